import Foundation
import SyncModel

/// Person ↔ Contact, pure. Contact groups are categories: `groups` names them both ways.
struct PersonMapping: Sendable {
    /// Group resource name → name, for the user's own groups (system groups are not categories).
    var groupNames: [String: String] = [:]

    static let markerKey = "hubsync.marker"

    func contact(_ p: Person) -> Contact {
        var c = Contact()
        if let n = p.names?.first {
            c.namePrefix = n.honorificPrefix
            c.givenName = n.givenName
            c.middleName = n.middleName
            c.familyName = n.familyName
            c.nameSuffix = n.honorificSuffix
        }
        c.nickname = p.nicknames?.first?.value
        if let o = p.organizations?.first {
            c.organization = o.name
            c.department = o.department
            c.title = o.title
        }
        c.notes = p.biographies?.first?.value
        c.birthday = p.birthdays?.lazy.compactMap { Self.date($0.date) }.first
        c.anniversary = p.events?.first { $0.type?.lowercased() == "anniversary" }.flatMap { Self.date($0.date) }
        c.emails = (p.emailAddresses ?? []).compactMap { e in e.value.map { LabeledValue($0, label: Self.label(e.type)) } }
        c.phones = (p.phoneNumbers ?? []).compactMap { e in e.value.map { LabeledValue($0, label: Self.phoneLabel(e.type)) } }
        c.websites = (p.urls ?? []).compactMap { e in e.value.map { LabeledValue($0, label: Self.label(e.type)) } }
        c.ims = (p.imClients ?? []).compactMap { e in e.username.map { LabeledValue($0, label: Self.label(e.type)) } }
        c.addresses = (p.addresses ?? []).map { a in
            PostalAddress(label: Self.label(a.type), poBox: a.poBox ?? "", extended: a.extendedAddress ?? "",
                          street: a.streetAddress ?? "", city: a.city ?? "", region: a.region ?? "",
                          postalCode: a.postalCode ?? "", country: a.country ?? "")
        }
        c.categories = (p.memberships ?? []).compactMap { $0.contactGroupMembership?.contactGroupResourceName }
            .compactMap { groupNames[$0] }
        for kv in p.userDefined ?? [] { c.custom[kv.key] = kv.value }
        return c.normalized()
    }

    /// The fields HubSync maps, set from `c` on top of `base` (the person as Google holds it, for
    /// an update): what HubSync does not map (system groups, other apps' clientData, custom
    /// fields not mapped) stays.
    func person(_ c: Contact, base: Person = Person(), marker: String?, groupIDs: [String: String]) -> Person {
        var p = base
        p.names = [Person.Name(familyName: c.familyName, givenName: c.givenName, middleName: c.middleName,
                               honorificPrefix: c.namePrefix, honorificSuffix: c.nameSuffix)]
        p.nicknames = c.nickname.map { [Person.Value(value: $0)] } ?? []
        p.organizations = (c.organization ?? c.department ?? c.title) == nil ? []
            : [Person.Organization(name: c.organization, department: c.department, title: c.title)]
        p.biographies = c.notes.map { [Person.Value(value: $0)] } ?? []
        p.birthdays = c.birthday.map { [Person.Event(date: Self.parts($0))] } ?? []
        p.events = c.anniversary.map { [Person.Event(date: Self.parts($0), type: "anniversary")] } ?? []
        p.emailAddresses = c.emails.map { Person.Typed(value: $0.value, type: Self.type($0.label)) }
        p.phoneNumbers = c.phones.map { Person.Typed(value: $0.value, type: Self.phoneType($0.label)) }
        p.urls = c.websites.map { Person.Typed(value: $0.value, type: Self.type($0.label)) }
        p.imClients = c.ims.map { Person.IM(username: $0.value, type: Self.type($0.label)) }
        p.addresses = c.addresses.map { a in
            Person.Address(type: Self.type(a.label), poBox: a.poBox.nilIfEmpty, streetAddress: a.street.nilIfEmpty,
                           extendedAddress: a.extended.nilIfEmpty, city: a.city.nilIfEmpty, region: a.region.nilIfEmpty,
                           postalCode: a.postalCode.nilIfEmpty, country: a.country.nilIfEmpty)
        }
        let ours = Set(groupNames.keys)
        let kept = (base.memberships ?? []).filter { m in
            m.contactGroupMembership?.contactGroupResourceName.map { !ours.contains($0) } ?? true
        }
        p.memberships = kept + c.categories.compactMap { groupIDs[Normalize.key(category: $0)] }
            .map { Person.Membership(contactGroupMembership: .init(contactGroupResourceName: $0)) }
        var userDefined = (base.userDefined ?? []).filter { c.custom[$0.key] == nil }
        // (An empty value is a mapped field the hub cleared: it goes.)
        userDefined += c.custom.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { Person.KeyValue(key: $0.key, value: $0.value) }
        p.userDefined = userDefined
        var clientData = (base.clientData ?? []).filter { $0.key != Self.markerKey }
        if let marker { clientData.append(.init(key: Self.markerKey, value: marker)) }
        else if let old = base.clientData?.first(where: { $0.key == Self.markerKey }) { clientData.append(old) }
        p.clientData = clientData
        p.metadata = nil
        p.photos = nil
        return p
    }

    static func marker(_ p: Person) -> String? { p.clientData?.first { $0.key == markerKey }?.value }

    // MARK: labels and dates

    static func label(_ type: String?) -> ContactLabel {
        switch type?.lowercased() {
        case "home": .home
        case "work": .work
        case "mobile": .mobile
        case "school": .school
        default: .other
        }
    }

    static func phoneLabel(_ type: String?) -> ContactLabel {
        switch type?.lowercased() {
        case "mobile", "workmobile": .mobile
        case "homefax", "workfax", "otherfax": .fax
        case "pager", "workpager": .pager
        case "main": .main
        default: label(type)
        }
    }

    static func type(_ label: ContactLabel) -> String {
        switch label {
        case .home: "home"
        case .work: "work"
        case .school: "school"
        case .mobile, .fax, .pager, .main, .other: "other"
        }
    }

    static func phoneType(_ label: ContactLabel) -> String {
        switch label {
        case .mobile: "mobile"
        case .fax: "otherFax"
        case .pager: "pager"
        case .main: "main"
        case .home, .work, .school, .other: type(label)
        }
    }

    static func date(_ d: Person.DateParts?) -> PartialDate? {
        guard let d, let m = d.month, let day = d.day else { return nil }
        let date = PartialDate(year: d.year.flatMap { $0 == 0 ? nil : $0 }, month: m, day: day)
        return date.isValid ? date : nil
    }

    static func parts(_ d: PartialDate) -> Person.DateParts { Person.DateParts(year: d.year, month: d.month, day: d.day) }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
