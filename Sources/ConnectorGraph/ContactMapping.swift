import Foundation
import SyncModel

/// Graph contact ↔ Contact, pure. A contact is handled as its JSON fields: `fields` gives every
/// field HubSync maps, `patch` only those whose value would change, so whatever nobody changed
/// (and everything HubSync does not map) stays on the server exactly as it is.
enum ContactMapping {
    /// Exchange properties HubSync has no field for, offered as custom fields (the names the
    /// Exchange Server spoke uses, so a mapping works with both).
    static let extras: [(custom: String, graph: String)] = [
        ("OfficeLocation", "officeLocation"), ("Profession", "profession"), ("AssistantName", "assistantName"),
        ("Manager", "manager"), ("SpouseName", "spouseName"),
    ]
    static var text: [(String, WritableKeyPath<Contact, String?>)] { [
        ("title", \.namePrefix), ("givenName", \.givenName), ("middleName", \.middleName), ("surname", \.familyName),
        ("generation", \.nameSuffix), ("nickName", \.nickname), ("companyName", \.organization),
        ("department", \.department), ("jobTitle", \.title), ("personalNotes", \.notes),
    ] }
    static let addressSlots: [(String, ContactLabel)] = [("businessAddress", .work), ("homeAddress", .home), ("otherAddress", .other)]
    /// Graph's slots (the server refuses more: "max allowed value of 3"); phones: `PhoneSlots`.
    static let maxEmails = 3, maxIMs = 3
    /// The year Outlook stores for a birthday without one.
    static let noYear = 1604

    /// What `$select` asks for: the fields mapped, and what a version and a folder need.
    static let selected: [String] = ["id", "changeKey", "parentFolderId", "lastModifiedDateTime", "displayName"]
        + text.map(\.0) + ["emailAddresses", "mobilePhone", "businessPhones", "homePhones", "imAddresses", "businessHomePage",
                           "birthday", "categories"] + addressSlots.map(\.0) + extras.map(\.graph)

    // MARK: Graph → Contact

    static func contact(_ o: JSONObject) -> Contact {
        var c = Contact()
        for (key, path) in text { c[keyPath: path] = o[key]?.text }
        c.displayName = o["displayName"]?.text
        c.emails = (o["emailAddresses"]?.array ?? []).compactMap { $0["address"]?.text }.map { LabeledValue($0, label: .other) }
        c.phones = PhoneSlots.phones(PhoneSlots.read(o))
        c.ims = strings(o["imAddresses"]).map { LabeledValue($0, label: .other) }
        c.websites = o["businessHomePage"]?.text.map { [LabeledValue($0, label: .work)] } ?? []
        c.addresses = addressSlots.compactMap { key, label in address(o[key], label) }
        c.birthday = o["birthday"]?.text.flatMap(date)
        c.categories = strings(o["categories"])
        for (custom, graph) in extras { if let v = o[graph]?.text { c.custom[custom] = v } }
        return c.normalized()
    }

    static func strings(_ v: JSONValue?) -> [String] { (v?.array ?? []).compactMap(\.text) }

    static func address(_ v: JSONValue?, _ label: ContactLabel) -> PostalAddress? {
        guard let o = v?.object else { return nil }
        let a = PostalAddress(label: label, street: o["street"]?.text ?? "", city: o["city"]?.text ?? "",
                              region: o["state"]?.text ?? "", postalCode: o["postalCode"]?.text ?? "",
                              country: o["countryOrRegion"]?.text ?? "")
        return a.isEmpty ? nil : a
    }

    /// `1980-03-15T00:00:00Z` (or a bare date): the date part; Outlook's no-year 1604 is no year.
    static func date(_ s: String) -> PartialDate? {
        let parts = s.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let d = PartialDate(year: parts[0] == noYear ? nil : parts[0], month: parts[1], day: parts[2])
        return d.isValid ? d : nil
    }

    // MARK: Contact → Graph

    /// Every mapped field of `c` (null when empty), in Graph's slots. Emails, phones, IM
    /// addresses and categories already on the item (`there`) in the same normalised form stay
    /// as they are written there, where they are: only what changed moves.
    static func fields(_ c: Contact, keeping there: JSONObject = [:]) -> JSONObject {
        var o: JSONObject = [:]
        for (key, path) in text { o[key] = .text(c[keyPath: path]) }
        // Exchange makes up a display name when none is given; giving ours keeps it predictable.
        o["displayName"] = .text(c.displayName ?? Normalize.text(c.formattedName))
        let oldEmails = (there["emailAddresses"]?.array ?? []).filter { $0["address"]?.text != nil }
        o["emailAddresses"] = .array(keep(
            Array(c.emails.prefix(maxEmails)).map { JSONValue.object(["address": .string($0.value), "name": .string($0.value)]) },
            old: oldEmails, key: { Normalize.email($0["address"]?.text ?? "") }))
        // Phones by Outlook's slots, the ones Graph has no property for as extended properties.
        PhoneSlots.write(PhoneSlots.assign(c.phones, keeping: PhoneSlots.read(there)), into: &o)
        o["imAddresses"] = .array(keep(Array(c.ims.prefix(maxIMs)).map { .string($0.value) },
                                       old: there["imAddresses"]?.array ?? [], key: { ($0.text ?? "").lowercased() }))
        o["businessHomePage"] = .text(c.websites.first?.value)
        var slots: [String: PostalAddress] = [:]
        for a in c.addresses {
            let key = addressSlots.first { $0.1 == a.label }?.0 ?? "otherAddress"
            if slots[key] == nil { slots[key] = a } else if slots["otherAddress"] == nil { slots["otherAddress"] = a }
        }
        for (key, _) in addressSlots { o[key] = slots[key].map(address) ?? .null }
        o["birthday"] = c.birthday.map { .string(birthday($0)) } ?? .null
        o["categories"] = .array(keep(c.categories.map { .string($0) }, old: there["categories"]?.array ?? [],
                                      key: { Normalize.key(category: $0.text ?? "") }))
        // Extras only when the hub maps them; an empty value is one the hub cleared.
        for (custom, graph) in extras { if let v = c.custom[custom] { o[graph] = .text(v) } }
        return o
    }

    /// `wanted` (in the hub's order), with the entries `old` already holds by key kept as they
    /// are and where they are, the new ones after them.
    static func keep(_ wanted: [JSONValue], old: [JSONValue], key: (JSONValue) -> String) -> [JSONValue] {
        let wantedKeys = wanted.map(key)
        var used = Set<String>()
        var out: [JSONValue] = []
        for v in old {
            let k = key(v)
            if wantedKeys.contains(k), used.insert(k).inserted { out.append(v) }
        }
        for (v, k) in zip(wanted, wantedKeys) where used.insert(k).inserted { out.append(v) }
        return out
    }

    static func address(_ a: PostalAddress) -> JSONValue {
        // Graph has one multi-line street and no PO box or extended line.
        let street = [a.street, a.extended, a.poBox].filter { !$0.isEmpty }.joined(separator: "\n")
        return .object(["street": .text(street), "city": .text(a.city), "state": .text(a.region),
                        "postalCode": .text(a.postalCode), "countryOrRegion": .text(a.country)])
    }

    static func birthday(_ d: PartialDate) -> String {
        var y = PartialDate(year: d.year ?? noYear, month: d.month, day: d.day).description
        y += "T00:00:00Z"
        return y
    }

    /// The body of a create: the fields that hold something, and the marker, in one request
    /// (extended properties go in the create itself, so a create costs one request).
    static func create(_ c: Contact, marker: String) -> JSONObject {
        var o = fields(c).filter { !$0.value.isNull && $0.value != .array([]) }
        o[ExtendedProperties.key(Marker.propertyID)] = .string(marker)
        return ExtendedProperties.wire(o, dropEmpty: true)
    }

    /// The PATCH that turns `there` (the item as Graph holds it) into `c`: only the fields whose
    /// value would change; empty when it already holds `c`. Each is compared with what HubSync
    /// would write for what is there, so representation alone is no change.
    static func patch(_ c: Contact, there: JSONObject) -> JSONObject {
        let desired = fields(c, keeping: there)
        let now = fields(contact(there), keeping: there)
        return ExtendedProperties.wire(desired.filter { key, value in
            if key == "categories" { return Set(value.array ?? []) != Set(now[key]?.array ?? []) }
            return (now[key] ?? .null) != value
        })
    }

    /// What a mailbox keeps of a contact: the slots written, then read back.
    static let fit: @Sendable (Contact) -> Contact = { c in
        var back = contact(ExtendedProperties.wire(fields(c.normalized())))
        back.photo = c.photo
        return back.normalized()
    }
}

/// The create marker: a single-value extended property, in the Exchange spoke's property set
/// and name, so an item keeps it whichever of the two protocols reads the mailbox.
enum Marker {
    static let propertyID = "String {8c9f4f53-2c6b-4a3e-9b1e-6d1c0a7e5b21} Name HubSyncMarker"

    static func read(_ o: JSONObject) -> CreateMarker? {
        (o["singleValueExtendedProperties"]?.array ?? []).first { p in
            p["id"]?.string?.caseInsensitiveCompare(propertyID) == .orderedSame
        }?["value"]?.string.flatMap(CreateMarker.init(parsing:))
    }

    /// `$filter` finding the item a create with `marker` made.
    static func filter(_ marker: CreateMarker) -> String {
        "singleValueExtendedProperties/Any(ep: ep/id eq '\(propertyID)' and ep/value eq '\(marker.description)')"
    }
}
