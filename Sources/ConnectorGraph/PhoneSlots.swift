import Foundation
import SyncModel

/// Outlook's phone slots as Graph reaches them. Graph has properties for five of them
/// (`mobilePhone`, two `businessPhones`, two `homePhones`); the others (faxes, pager, other,
/// callback, car…) exist on every Outlook contact but only as MAPI properties, which Graph reads
/// and writes as single-value extended properties in the proptag form `String 0x3A24`. The slots
/// and their order are the Exchange Server spoke's, so a mailbox reads the same over both.
enum PhoneSlots {
    /// MAPI property tags (MS-OXPROPS, all PtypString): PidTagPrimaryTelephoneNumber,
    /// PidTagCompanyMainTelephoneNumber, PidTagBusinessFaxNumber, PidTagHomeFaxNumber,
    /// PidTagPrimaryFaxNumber (Outlook's "Other fax"), PidTagPagerTelephoneNumber,
    /// PidTagOtherTelephoneNumber, PidTagCallbackTelephoneNumber, PidTagCarTelephoneNumber,
    /// PidTagRadioTelephoneNumber, PidTagIsdnNumber, PidTagTelecommunicationsDeviceForDeafTelephoneNumber,
    /// PidTagTelexNumber, PidTagAssistantTelephoneNumber.
    static let extended: [(slot: String, id: String)] = [
        ("PrimaryPhone", "String 0x3A1A"), ("CompanyMainPhone", "String 0x3A57"), ("BusinessFax", "String 0x3A24"),
        ("HomeFax", "String 0x3A25"), ("OtherFax", "String 0x3A23"), ("Pager", "String 0x3A21"),
        ("OtherTelephone", "String 0x3A1F"), ("Callback", "String 0x3A02"), ("CarPhone", "String 0x3A1E"),
        ("RadioPhone", "String 0x3A1D"), ("Isdn", "String 0x3A2D"), ("TtyTddPhone", "String 0x3A4B"),
        ("Telex", "String 0x3A2C"), ("AssistantPhone", "String 0x3A2E"),
    ]
    static let business = ["BusinessPhone", "BusinessPhone2"], home = ["HomePhone", "HomePhone2"]

    /// Slots per label, in the order they are filled.
    static let keys: [ContactLabel: [String]] = [
        .mobile: ["MobilePhone"],
        .work: business,
        .home: home,
        .main: ["PrimaryPhone", "CompanyMainPhone"],
        // Each kind of fax in its own slot first, then in the others (which read back as theirs).
        .workFax: ["BusinessFax", "OtherFax", "HomeFax"],
        .homeFax: ["HomeFax", "OtherFax", "BusinessFax"],
        .fax: ["OtherFax", "BusinessFax", "HomeFax"],
        .pager: ["Pager"],
        .other: ["OtherTelephone", "Callback", "CarPhone", "RadioPhone", "Isdn", "TtyTddPhone", "Telex", "AssistantPhone"],
    ]
    /// The order a read gives the phones in.
    static let order = ["MobilePhone"] + business + home + extended.map(\.slot)

    /// The label a slot reads back as: the one whose first slot it is (faxes share slots), else
    /// the one holding it.
    static func label(of slot: String) -> ContactLabel {
        keys.first { $0.value.first == slot }?.key ?? keys.first { $0.value.contains(slot) }?.key ?? .other
    }

    /// The slots an item holds: its phone properties and the extended properties read with it.
    static func read(_ o: JSONObject) -> [String: String] {
        var slots: [String: String] = [:]
        slots["MobilePhone"] = o["mobilePhone"]?.text
        for (key, v) in zip(business, ContactMapping.strings(o["businessPhones"]).filter { !$0.isEmpty }) { slots[key] = v }
        for (key, v) in zip(home, ContactMapping.strings(o["homePhones"]).filter { !$0.isEmpty }) { slots[key] = v }
        let ext = ExtendedProperties.values(o)
        for (slot, id) in extended {
            if let v = ext[id.lowercased()], !v.isEmpty { slots[slot] = v }
        }
        return slots
    }

    static func phones(_ slots: [String: String]) -> [LabeledValue] {
        order.compactMap { key in slots[key].map { LabeledValue($0, label: label(of: key)) } }
    }

    /// `phones` in slots. A phone already in a slot of `old` stays there, as `old` writes it,
    /// while its label still reads back from that slot (a fax relabelled "home" leaves BusinessFax);
    /// the rest fill free slots of their label, those `old` leaves empty first. So an update moves
    /// nothing nobody touched. What finds no slot is left out (`fit` says so).
    static func assign(_ phones: [LabeledValue], keeping old: [String: String] = [:]) -> [String: String] {
        func slots(_ v: LabeledValue) -> [String] { keys[v.label] ?? keys[.other]! }
        var out: [String: String] = [:]
        var rest: [LabeledValue] = []
        for v in phones {
            let k = Normalize.key(phone: v)
            if let slot = slots(v).first(where: { s in
                out[s] == nil && (keys[v.label] == nil || label(of: s) == v.label)
                    && old[s].map { Normalize.key(phone: LabeledValue($0)) == k } == true
            }) {
                out[slot] = old[slot]
            } else {
                rest.append(v)
            }
        }
        for v in rest {
            if let free = slots(v).first(where: { out[$0] == nil && old[$0] == nil }) ?? slots(v).first(where: { out[$0] == nil }) {
                out[free] = v.value
            }
        }
        return out
    }

    /// The slots as Graph fields: the phone properties, and each extended slot under its
    /// property id (`ExtendedProperties.key`), null when empty.
    static func write(_ slots: [String: String], into o: inout JSONObject) {
        o["mobilePhone"] = .text(slots["MobilePhone"])
        o["businessPhones"] = .strings(business.compactMap { slots[$0] })
        o["homePhones"] = .strings(home.compactMap { slots[$0] })
        for (slot, id) in extended { o[ExtendedProperties.key(id)] = .text(slots[slot]) }
    }
}

/// Single-value extended properties beside a contact's own fields. Inside the mapping each one
/// is a field of its own (`ext:<id>`), so a PATCH compares and names them one by one like any
/// other; on the wire they go in `singleValueExtendedProperties`.
enum ExtendedProperties {
    static let prefix = "ext:"
    static let wireKey = "singleValueExtendedProperties"

    static func key(_ id: String) -> String { prefix + id }

    /// PidLidHasPicture (PSETID_Address, LID 0x8015, PtypBoolean): Outlook sets it when a contact
    /// gets a photo. Read with the item, it spares a photo request per contact that has none.
    static let hasPicture = "Boolean {00062004-0000-0000-C000-000000000046} Id 0x8015"

    /// Every property HubSync reads with an item: the create marker, the phone slots, the photo flag.
    static var read: [String] { [Marker.propertyID] + PhoneSlots.extended.map(\.id) + [hasPicture] }

    /// `$expand` that reads them with the item (Graph has no call listing an item's properties).
    static var expand: String {
        "\(wireKey)($filter=" + read.map { "id eq '\($0)'" }.joined(separator: " or ") + ")"
    }

    /// The properties read with an item, by lower-cased id (Exchange may give ids in its own case).
    static func values(_ o: JSONObject) -> [String: String] {
        var out: [String: String] = [:]
        for p in o[wireKey]?.array ?? [] {
            if let id = p["id"]?.string, let v = p["value"]?.string { out[id.lowercased()] = v }
        }
        return out
    }

    /// True or false when the item says whether it has a photo; nil when it does not say.
    static func hasPicture(_ o: JSONObject) -> Bool? {
        values(o)[hasPicture.lowercased()].map { $0.lowercased() == "true" }
    }

    /// `o` with its `ext:` fields as `singleValueExtendedProperties` (null sent as "", which is how a
    /// string property is emptied: Graph has no call deleting one). `dropEmpty`: leave out the
    /// empty ones (a create).
    static func wire(_ o: JSONObject, dropEmpty: Bool = false) -> JSONObject {
        var out: JSONObject = [:]
        var props: [JSONValue] = []
        for (k, v) in o.sorted(by: { $0.key < $1.key }) {
            guard k.hasPrefix(prefix) else { out[k] = v; continue }
            let value = v.string ?? ""
            if dropEmpty && value.isEmpty { continue }
            props.append(.object(["id": .string(String(k.dropFirst(prefix.count))), "value": .string(value)]))
        }
        if !props.isEmpty { out[wireKey] = .array(props) }
        return out
    }
}
