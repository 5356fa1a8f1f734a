import Foundation

/// One Exchange contact in its two wire forms: the EWS emulator's `EWSContact` (element names)
/// and the Graph emulator's properties (`microsoft.graph.contact`), so both emulators can serve
/// one mailbox. Exchange keeps one item behind both protocols; this is the correspondence
/// Microsoft documents between the EWS elements and the Graph properties (PROTOCOLS.md §1.3).
enum MailboxContactForms {
    /// Graph string property ↔ EWS element.
    static let strings: [(graph: String, ews: String)] = [
        ("displayName", "DisplayName"), ("givenName", "GivenName"), ("middleName", "MiddleName"), ("surname", "Surname"),
        ("nickName", "Nickname"), ("initials", "Initials"), ("generation", "Generation"), ("fileAs", "FileAs"),
        ("companyName", "CompanyName"), ("department", "Department"), ("jobTitle", "JobTitle"),
        ("officeLocation", "OfficeLocation"), ("profession", "Profession"), ("manager", "Manager"),
        ("assistantName", "AssistantName"), ("spouseName", "SpouseName"), ("businessHomePage", "BusinessHomePage"),
        ("personalNotes", "Body"), ("yomiGivenName", "PhoneticFirstName"), ("yomiSurname", "PhoneticLastName"),
        ("birthday", "Birthday"),
    ]
    /// Graph collection ↔ EWS dictionary keys, in slot order.
    static let phoneSlots: [(graph: String, keys: [String])] = [
        ("businessPhones", ["BusinessPhone", "BusinessPhone2"]), ("homePhones", ["HomePhone", "HomePhone2"]),
    ]
    static let emailKeys = ["EmailAddress1", "EmailAddress2", "EmailAddress3"]
    static let imKeys = ["ImAddress1", "ImAddress2", "ImAddress3"]
    static let lists: [(graph: String, ews: String)] = [("categories", "Categories"), ("children", "Children")]
    static let addresses: [(graph: String, ews: String)] = [("homeAddress", "Home"), ("businessAddress", "Business"), ("otherAddress", "Other")]

    // MARK: EWS → Graph

    static func graphFields(_ c: EWSContact) -> [String: JSONValue] {
        var o: [String: JSONValue] = [:]
        for m in strings { if let v = c.fields[m.ews] { o[m.graph] = .string(v) } }
        if let t = c.title { o["title"] = .string(t) }
        if let m = c.phoneNumbers["MobilePhone"] { o["mobilePhone"] = .string(m) }
        for slot in phoneSlots {
            let values = slot.keys.compactMap { c.phoneNumbers[$0] }
            if !values.isEmpty { o[slot.graph] = .array(values.map { .string($0) }) }
        }
        let emails = emailKeys.compactMap { c.emailAddresses[$0] }
        if !emails.isEmpty { o["emailAddresses"] = .array(emails.map { ["name": .string($0), "address": .string($0)] }) }
        let ims = imKeys.compactMap { c.imAddresses[$0] }
        if !ims.isEmpty { o["imAddresses"] = .array(ims.map { .string($0) }) }
        for l in lists { if let v = c.lists[l.ews], !v.isEmpty { o[l.graph] = .array(v.map { .string($0) }) } }
        for a in addresses {
            guard let p = c.physicalAddresses[a.ews], !p.isEmpty else { continue }
            var addr: [String: JSONValue] = [:]
            for (key, sub) in [("street", "Street"), ("city", "City"), ("state", "State"), ("countryOrRegion", "CountryOrRegion"),
                               ("postalCode", "PostalCode")] {
                if let v = p[sub: sub] { addr[key] = .string(v) }
            }
            o[a.graph] = .object(addr)
        }
        return o
    }

    /// Single-value extended properties in Graph's id form: `String {guid} Name X`,
    /// `String {guid} Id 0x8012`, `String 0x3A45`. The title's property is Graph's `title`.
    static func graphExtended(_ c: EWSContact) -> [(id: String, value: String)] {
        c.extendedProperties.compactMap { p in
            guard p.propertyTag != EWSExtendedProperty.titleTag, let value = p.value, let id = graphID(p) else { return nil }
            return (id, value)
        }
    }

    static func graphID(_ p: EWSExtendedProperty) -> String? {
        if let tag = p.propertyTag { return "\(p.propertyType) 0x\(String(format: "%04X", tag))" }
        let set = p.propertySetId ?? p.distinguishedPropertySetId
        guard let set else { return nil }
        let guid = p.propertySetId != nil ? "{\(set)}" : set
        if let name = p.propertyName { return "\(p.propertyType) \(guid) Name \(name)" }
        if let pid = p.propertyId { return "\(p.propertyType) \(guid) Id 0x\(String(format: "%04X", pid))" }
        return nil
    }

    // MARK: Graph → EWS

    /// `fields` (Graph's stored properties, complete for the mapped ones) written over `keeping`:
    /// what Graph does not map (other phone slots, e-mail display names, MAPI properties Graph
    /// cannot see) stays as it was.
    static func ewsContact(_ fields: [String: JSONValue], extended: [(id: String, value: String)], keeping old: EWSContact) -> EWSContact {
        var c = old
        func text(_ key: String) -> String? { fields[key]?.string.flatMap { $0.isEmpty ? nil : $0 } }
        for m in strings { c.fields[m.ews] = text(m.graph) }
        c.title = text("title")
        c.phoneNumbers["MobilePhone"] = text("mobilePhone")
        for slot in phoneSlots {
            let values = (fields[slot.graph]?.array ?? []).compactMap(\.string)
            for (i, key) in slot.keys.enumerated() { c.phoneNumbers[key] = i < values.count ? values[i] : nil }
        }
        let emails = (fields["emailAddresses"]?.array ?? []).compactMap { $0["address"]?.string }
        for (i, key) in emailKeys.enumerated() { c.emailAddresses[key] = i < emails.count ? emails[i] : nil }
        let ims = (fields["imAddresses"]?.array ?? []).compactMap(\.string)
        for (i, key) in imKeys.enumerated() { c.imAddresses[key] = i < ims.count ? ims[i] : nil }
        for l in lists {
            let v = (fields[l.graph]?.array ?? []).compactMap(\.string)
            c.lists[l.ews] = v.isEmpty ? nil : v
        }
        for a in addresses {
            guard let o = fields[a.graph]?.object else { c.physicalAddresses[a.ews] = nil; continue }
            let p = EWSPhysicalAddress(street: o["street"]?.string, city: o["city"]?.string, state: o["state"]?.string,
                                       countryOrRegion: o["countryOrRegion"]?.string, postalCode: o["postalCode"]?.string)
            c.physicalAddresses[a.ews] = p.isEmpty ? nil : p
        }
        let title = c.extendedProperties.filter { $0.propertyTag == EWSExtendedProperty.titleTag }
        c.extendedProperties = title + extended.compactMap { ewsProperty($0.id, value: $0.value) }
        return c
    }

    /// Graph's extended property id back to EWS's ExtendedFieldURI.
    static func ewsProperty(_ id: String, value: String) -> EWSExtendedProperty? {
        let parts = id.split(separator: " ").map(String.init)
        guard parts.count >= 2 else { return nil }
        let type = parts[0]
        func number(_ s: String) -> Int? { s.lowercased().hasPrefix("0x") ? Int(s.dropFirst(2), radix: 16) : Int(s) }
        if parts.count == 2 { return number(parts[1]).map { EWSExtendedProperty(propertyTag: $0, propertyType: type, value: value) } }
        guard parts.count >= 4 else { return nil }
        let set = parts[1]
        let isGUID = set.hasPrefix("{")
        let guid = isGUID ? String(set.dropFirst().dropLast()) : nil
        let distinguished = isGUID ? nil : set
        switch parts[2].lowercased() {
        case "name":
            return EWSExtendedProperty(distinguishedPropertySetId: distinguished, propertySetId: guid,
                                       propertyName: parts[3...].joined(separator: " "), propertyType: type, value: value)
        case "id":
            return number(parts[3]).map {
                EWSExtendedProperty(distinguishedPropertySetId: distinguished, propertySetId: guid, propertyId: $0, propertyType: type, value: value)
            }
        default:
            return nil
        }
    }
}
