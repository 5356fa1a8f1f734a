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
        c.emails = Self.values(p.emailAddresses, \.value, \.metadata) { LabeledValue($0, type: $1.type, Self.label) }
        c.phones = Self.values(p.phoneNumbers, \.value, \.metadata) { LabeledValue($0, type: $1.type, Self.phoneLabel) }
        c.websites = Self.values(p.urls, \.value, \.metadata) { LabeledValue($0, type: $1.type, Self.label) }
        c.ims = Self.values(p.imClients, \.username, \.metadata) { username, e in
            var v = LabeledValue(username, type: e.type, Self.label)
            v.service = IMService.canonical(e.protocol)
            return v
        }
        let several = (p.addresses?.count ?? 0) > 1
        c.addresses = (p.addresses ?? []).map { a in
            let (label, custom) = Self.labels(a.type, Self.label)
            return PostalAddress(label: label, poBox: a.poBox ?? "", extended: a.extendedAddress ?? "",
                                 street: a.streetAddress ?? "", city: a.city ?? "", region: a.region ?? "",
                                 postalCode: a.postalCode ?? "", country: a.country ?? "", customLabel: custom,
                                 preferred: several && a.metadata?.isPrimary == true)
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
        p.emailAddresses = c.emails.enumerated().map { i, v in
            Person.Typed(value: v.value, type: v.customLabel ?? Self.type(v.label), metadata: Self.primary(i, c.emails))
        }
        p.phoneNumbers = c.phones.enumerated().map { i, v in
            Person.Typed(value: v.value, type: v.customLabel ?? Self.phoneType(v.label), metadata: Self.primary(i, c.phones))
        }
        p.urls = c.websites.enumerated().map { i, v in
            Person.Typed(value: v.value, type: v.customLabel ?? Self.type(v.label), metadata: Self.primary(i, c.websites))
        }
        p.imClients = c.ims.enumerated().map { i, v in
            Person.IM(username: IMService.handle(v.value), protocol: IMService.service(of: v).map(Self.googleProtocol),
                      type: v.customLabel ?? Self.type(v.label), metadata: Self.primary(i, c.ims))
        }
        p.addresses = c.addresses.enumerated().map { i, a in
            Person.Address(type: a.customLabel ?? Self.type(a.label), metadata: Self.primary(i, c.addresses),
                           poBox: a.poBox.nilIfEmpty, streetAddress: a.street.nilIfEmpty,
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

    /// Entries of one field. Google marks one value of several primary (the first, unless a
    /// client chose another); of a single value, primary says nothing, so it is not "preferred".
    static func values<E, V>(_ list: [E]?, _ value: KeyPath<E, String?>, _ meta: KeyPath<E, Person.FieldMetadata?>,
                             _ make: (String, E) -> V) -> [V] where V: PreferredFlag {
        let list = list ?? []
        return list.compactMap { e in
            e[keyPath: value].map { v in
                var out = make(v, e)
                out.preferred = list.count > 1 && e[keyPath: meta]?.isPrimary == true
                return out
            }
        }
    }

    /// The value Google marks primary when there are several: the preferred one, else the first
    /// (as Google would). Written always, so an unchanged field compares equal (`UpdateMask`).
    static func primary<T: PreferredFlag>(_ i: Int, _ list: [T]) -> Person.FieldMetadata? {
        guard list.count > 1 else { return nil }
        return i == (list.firstIndex { $0.preferred } ?? 0) ? Person.FieldMetadata(sourcePrimary: true) : nil
    }

    /// A standard type is a label; any other text is a custom label (Google's `type` is free text).
    static func labels(_ type: String?, _ standard: (String) -> ContactLabel?) -> (ContactLabel, String?) {
        guard let t = type?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return (.other, nil) }
        return standard(t.lowercased()).map { ($0, nil) } ?? (.other, t)
    }

    static func label(_ type: String) -> ContactLabel? {
        switch type {
        case "home": .home
        case "work": .work
        case "mobile": .mobile
        case "school": .school
        case "other": .other
        default: nil
        }
    }

    static func phoneLabel(_ type: String) -> ContactLabel? {
        switch type {
        case "mobile", "workmobile": .mobile
        case "homefax": .homeFax
        case "workfax": .workFax
        case "otherfax": .fax
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
        case .mobile, .fax, .workFax, .homeFax, .pager, .main, .other: "other"
        }
    }

    static func phoneType(_ label: ContactLabel) -> String {
        switch label {
        case .mobile: "mobile"
        case .fax: "otherFax"
        case .workFax: "workFax"
        case .homeFax: "homeFax"
        case .pager: "pager"
        case .main: "main"
        case .home, .work, .school, .other: type(label)
        }
    }

    /// The People API's spelling of a service token (`googleTalk`); others as they are.
    static func googleProtocol(_ token: String) -> String {
        ["googletalk": "googleTalk", "netmeeting": "netMeeting"][token] ?? token
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

protocol PreferredFlag { var preferred: Bool { get set } }
extension PostalAddress: PreferredFlag {}
extension LabeledValue: PreferredFlag {
    init(_ value: String, type: String?, _ standard: (String) -> ContactLabel?) {
        let (label, custom) = PersonMapping.labels(type, standard)
        self.init(value, label: label, customLabel: custom)
    }
}
