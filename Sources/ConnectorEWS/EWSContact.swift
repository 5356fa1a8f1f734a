import Foundation
import SyncModel

/// A contact as an Exchange contact item holds it: fixed, keyed slots. Mapping goes through this
/// both ways, so what the mailbox keeps of a contact (`EWSContact.fit`) is exactly what a read
/// gives back. Exchange has no custom label text, preferred flag or IM service: the fit drops
/// them, so the hub keeps them (`SpokeView.lift`) while Exchange never shows them.
struct EWSContact: Hashable, Sendable {
    /// Plain text properties by FieldURI name ("GivenName", "CompanyName"…).
    var text: [TextProperty: String] = [:]
    var emails: [String: String] = [:]          // EmailAddress1…3
    var phones: [String: String] = [:]          // PhoneNumberKey
    var addresses: [String: PostalAddress] = [:]  // Home, Business, Other
    var ims: [String: String] = [:]             // ImAddress1…3
    var categories: [String] = []
    var birthday: PartialDate?
    var anniversary: PartialDate?
    var photo: Photo?
    /// Exchange properties HubSync has no field for, offered as custom fields to map.
    var extras: [String: String] = [:]

    enum TextProperty: String, CaseIterable, Sendable {
        case displayName = "DisplayName", givenName = "GivenName", middleName = "MiddleName", surname = "Surname"
        case generation = "Generation", nickname = "Nickname", companyName = "CompanyName"
        case department = "Department", jobTitle = "JobTitle", businessHomePage = "BusinessHomePage"
        /// The body, as text.
        case body = "Body"
        /// PidTagDisplayNamePrefix ("Dr."), which the EWS contact schema has no element for.
        case prefix = "Prefix"
    }

    static let emailKeys = ["EmailAddress1", "EmailAddress2", "EmailAddress3"]
    static let imKeys = ["ImAddress1", "ImAddress2", "ImAddress3"]
    static let addressKeys: [(String, ContactLabel)] = [("Business", .work), ("Home", .home), ("Other", .other)]
    /// Phone keys per label, in the order they are filled; reading walks `phoneOrder`.
    static let phoneKeys: [ContactLabel: [String]] = [
        .mobile: ["MobilePhone"],
        .work: ["BusinessPhone", "BusinessPhone2"],
        .home: ["HomePhone", "HomePhone2"],
        .main: ["PrimaryPhone", "CompanyMainPhone"],
        // Each kind of fax in its own slot first, then in the others (which read back as theirs).
        .workFax: ["BusinessFax", "OtherFax", "HomeFax"],
        .homeFax: ["HomeFax", "OtherFax", "BusinessFax"],
        .fax: ["OtherFax", "BusinessFax", "HomeFax"],
        .pager: ["Pager"],
        // AssistantPhone last: the slot Graph's spoke also fills last, so both hold the same numbers.
        .other: ["OtherTelephone", "Callback", "CarPhone", "RadioPhone", "Isdn", "TtyTddPhone", "Telex", "AssistantPhone"],
    ]
    static let phoneOrder = [
        "MobilePhone", "BusinessPhone", "BusinessPhone2", "HomePhone", "HomePhone2", "PrimaryPhone", "CompanyMainPhone",
        "BusinessFax", "HomeFax", "OtherFax", "Pager", "OtherTelephone", "Callback", "CarPhone", "RadioPhone", "Isdn",
        "TtyTddPhone", "Telex", "AssistantPhone",
    ]
    /// Written and read, never deleted by an update: the hub sends them only when mapped.
    static let extraFields = ["OfficeLocation", "Profession", "AssistantName", "Manager", "SpouseName"]

    /// Years Outlook writes for a birthday without one.
    static let noYear = 1604
}

extension EWSContact {
    init(_ c: Contact) {
        func set(_ p: TextProperty, _ v: String?) { if let v, !v.isEmpty { text[p] = v } }
        set(.prefix, c.namePrefix)
        set(.givenName, c.givenName)
        set(.middleName, c.middleName)
        set(.surname, c.familyName)
        set(.generation, c.nameSuffix)
        set(.nickname, c.nickname)
        // Exchange makes up a display name when none is given; giving ours keeps it predictable.
        set(.displayName, c.displayName ?? Normalize.text(c.formattedName))
        set(.companyName, c.organization)
        set(.department, c.department)
        set(.jobTitle, c.title)
        set(.body, c.notes)
        set(.businessHomePage, c.websites.first?.value)
        for (key, e) in zip(Self.emailKeys, c.emails) { emails[key] = e.value }
        for (key, im) in zip(Self.imKeys, c.ims) { ims[key] = im.value }
        for p in c.phones {
            let label = Self.phoneKeys[p.label] == nil ? ContactLabel.other : p.label
            if let free = Self.phoneKeys[label]!.first(where: { phones[$0] == nil }) { phones[free] = p.value }
        }
        for var a in c.addresses {
            // EWS has one multi-line Street and no PO box or extended line.
            a.street = [a.street, a.extended, a.poBox].filter { !$0.isEmpty }.joined(separator: "\n")
            (a.extended, a.poBox) = ("", "")
            (a.customLabel, a.preferred) = (nil, false)
            let key = Self.addressKeys.first { $0.1 == a.label }?.0 ?? "Other"
            if addresses[key] == nil { addresses[key] = a } else if addresses["Other"] == nil { addresses["Other"] = a }
        }
        categories = c.categories
        birthday = c.birthday
        anniversary = c.anniversary
        photo = c.photo
        for key in Self.extraFields { if let v = c.custom[key] { extras[key] = v } }
    }

    var contact: Contact {
        var c = Contact()
        c.namePrefix = text[.prefix]
        c.givenName = text[.givenName]
        c.middleName = text[.middleName]
        c.familyName = text[.surname]
        c.nameSuffix = text[.generation]
        c.nickname = text[.nickname]
        c.displayName = text[.displayName]
        c.organization = text[.companyName]
        c.department = text[.department]
        c.title = text[.jobTitle]
        c.notes = text[.body]
        c.websites = text[.businessHomePage].map { [LabeledValue($0, label: .work)] } ?? []
        c.emails = Self.emailKeys.compactMap { emails[$0] }.map { LabeledValue($0, label: .other) }
        c.ims = Self.imKeys.compactMap { ims[$0] }.map { LabeledValue($0, label: .other) }
        c.phones = Self.phoneOrder.compactMap { key in
            phones[key].map { LabeledValue($0, label: Self.label(ofPhone: key)) }
        }
        c.addresses = Self.addressKeys.compactMap { key, label in
            addresses[key].map { a in
                var a = a
                a.label = label
                return a
            }
        }
        c.categories = categories
        c.birthday = birthday
        c.anniversary = anniversary
        c.photo = photo
        c.custom = extras
        return c.normalized()
    }

    /// The label of a slot: the one whose first slot it is (faxes share slots), else the one holding it.
    static func label(ofPhone key: String) -> ContactLabel {
        phoneKeys.first { $0.value.first == key }?.key ?? phoneKeys.first { $0.value.contains(key) }?.key ?? .other
    }

    /// What a mailbox keeps of a contact: the slots written, then read back.
    static let fit: @Sendable (Contact) -> Contact = { EWSContact($0.normalized()).contact }
}

extension EWSContact {
    /// `c` as slots for an item that holds `old`: an email, IM or phone already in a slot stays in
    /// that slot (a phone while its label still fits there), the rest fill free slots. So an
    /// update neither moves values nobody touched nor reorders them (`ContactWriter.changes`).
    init(_ c: Contact, keeping old: EWSContact) {
        self.init(c)
        emails = Self.keep(c.emails, old.emails, Self.emailKeys, key: Normalize.key(email:)) { _ in Self.emailKeys }
        ims = Self.keep(c.ims, old.ims, Self.imKeys, key: Normalize.key(im:)) { _ in Self.imKeys }
        phones = Self.keep(c.phones, old.phones, Self.phoneOrder, key: Normalize.key(phone:), slots: { v in
            Self.phoneKeys[v.label] ?? Self.phoneKeys[.other]!
        }, stays: { v, slot in
            // Only where it reads back with its label: a fax relabelled "home" leaves BusinessFax.
            Self.phoneKeys[v.label] == nil || Self.label(ofPhone: slot) == v.label
        })
    }

    private static func keep(
        _ values: [LabeledValue], _ old: [String: String], _ order: [String], key: (LabeledValue) -> String,
        slots: (LabeledValue) -> [String], stays: (LabeledValue, String) -> Bool = { _, _ in true }
    ) -> [String: String] {
        var out: [String: String] = [:]
        var rest: [LabeledValue] = []
        for v in values {
            let k = key(v)
            if let slot = slots(v).first(where: { s in
                out[s] == nil && stays(v, s) && old[s].map { key(LabeledValue($0)) == k } == true
            }) {
                out[slot] = v.value
            } else {
                rest.append(v)
            }
        }
        for v in rest {
            if let free = slots(v).first(where: { out[$0] == nil && old[$0] == nil })
                ?? slots(v).first(where: { out[$0] == nil }) {
                out[free] = v.value
            }
        }
        return out
    }
}
