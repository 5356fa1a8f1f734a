import Foundation

/// Reads `<t:Contact>` elements and applies SetItemField / AppendToItemField / DeleteItemField.
enum ContactParsing {
    static func parse(_ node: XNode) -> EWSContact {
        var c = EWSContact()
        for child in node.children {
            let name = child.name
            if FieldPath.simpleContact.contains(name) || FieldPath.simpleItem.contains(name) {
                c.fields[name] = FieldPath.dates.contains(name) ? EWSDate.normalize(child.text) : child.text
            } else if name == "Body" {
                c.fields["Body"] = child.text
                c.fields["BodyType"] = child.attr("BodyType") ?? "Text"
            } else if FieldPath.lists.contains(name) {
                let values = child.all("String").map(\.text)
                c.lists[name] = values.isEmpty ? nil : values
            } else if name == "EmailAddresses" || name == "PhoneNumbers" || name == "ImAddresses" {
                for entry in child.all("Entry") {
                    guard let key = entry.attr("Key") else { continue }
                    let value = entry.text.trimmingCharacters(in: .whitespacesAndNewlines)
                    setDict(name, key, value.isEmpty ? nil : value, &c)
                }
            } else if name == "PhysicalAddresses" {
                for entry in child.all("Entry") {
                    guard let key = entry.attr("Key") else { continue }
                    var addr = EWSPhysicalAddress()
                    for sub in EWSPhysicalAddress.subfields { addr[sub: sub] = entry.childText(sub) }
                    c.physicalAddresses[key] = addr.isEmpty ? nil : addr
                }
            } else if name == "ExtendedProperty", let uri = child.child("ExtendedFieldURI") {
                var prop = FieldPath.extendedKey(uri)
                if let values = child.child("Values") {
                    prop.values = values.all("Value").map(\.text)
                } else {
                    prop.value = child.childText("Value") ?? ""
                }
                c.setExtendedProperty(prop)
            }
        }
        return c
    }

    static func dict(_ element: String, _ c: EWSContact) -> [String: String] {
        switch element {
        case "EmailAddresses": return c.emailAddresses
        case "PhoneNumbers": return c.phoneNumbers
        case "ImAddresses": return c.imAddresses
        default: return [:]
        }
    }

    static func setDict(_ element: String, _ key: String, _ value: String?, _ c: inout EWSContact) {
        switch element {
        case "EmailAddresses": c.emailAddresses[key] = value
        case "PhoneNumbers": c.phoneNumbers[key] = value
        case "ImAddresses": c.imAddresses[key] = value
        default: break
        }
    }

    static let readOnly: Set<String> = [
        "ItemId", "ParentFolderId", "DateTimeCreated", "DateTimeReceived", "LastModifiedTime", "HasAttachments",
        "Size", "HasPicture", "CompleteName", "Notes", "Attachments", "EffectiveRights", "ContactSource",
    ]

    /// Copies the addressed property from `partial` (the item element of a SetItemField) into `c`.
    static func set(_ path: FieldPath, from partial: EWSContact, into c: inout EWSContact) throws {
        switch path {
        case .field(let uri):
            let name = FieldPath.element(of: uri)
            if readOnly.contains(name) { throw EWSError.invalidPropertySet }
            if FieldPath.lists.contains(name) {
                c.lists[name] = partial.lists[name]
            } else if name == "Body" {
                c.fields["Body"] = partial.fields["Body"]; c.fields["BodyType"] = partial.fields["BodyType"]
            } else if FieldPath.simpleContact.contains(name) || FieldPath.simpleItem.contains(name) {
                c.fields[name] = partial.fields[name]
            } else if name == "ItemClass" {
                return
            } else {
                throw EWSError.invalidPropertySet
            }
        case .indexed(let uri, let key):
            guard let (element, sub) = FieldPath.dictionary(of: uri) else { throw EWSError.invalidPropertySet }
            if let sub {
                var addr = c.physicalAddresses[key] ?? EWSPhysicalAddress()
                addr[sub: sub] = partial.physicalAddresses[key]?[sub: sub]
                c.physicalAddresses[key] = addr.isEmpty ? nil : addr
            } else {
                setDict(element, key, dict(element, partial)[key], &c)
            }
        case .extended(let key):
            if let prop = partial.extendedProperty(key) { c.setExtendedProperty(prop) }
        }
    }

    /// AppendToItemField: lists get the new values, Body gets the text appended.
    static func append(_ path: FieldPath, from partial: EWSContact, into c: inout EWSContact) throws {
        guard case .field(let uri) = path else { throw EWSError.invalidPropertySet }
        let name = FieldPath.element(of: uri)
        if FieldPath.lists.contains(name) {
            c.lists[name] = (c.lists[name] ?? []) + (partial.lists[name] ?? [])
        } else if name == "Body" {
            c.fields["Body"] = (c.fields["Body"] ?? "") + (partial.fields["Body"] ?? "")
        } else {
            throw EWSError(code: "ErrorInvalidPropertyAppend", text: "The property does not support append.")
        }
    }

    static func delete(_ path: FieldPath, from c: inout EWSContact) throws {
        switch path {
        case .field(let uri):
            let name = FieldPath.element(of: uri)
            if readOnly.contains(name) {
                throw EWSError(code: "ErrorInvalidPropertyDelete", text: "This property can not be deleted.")
            }
            if FieldPath.lists.contains(name) { c.lists[name] = nil } else { c.fields[name] = nil }
            if name == "Body" { c.fields["BodyType"] = nil }
        case .indexed(let uri, let key):
            guard let (element, sub) = FieldPath.dictionary(of: uri) else { throw EWSError.invalidPropertySet }
            if let sub {
                c.physicalAddresses[key]?[sub: sub] = nil
                if c.physicalAddresses[key]?.isEmpty == true { c.physicalAddresses[key] = nil }
            } else {
                setDict(element, key, nil, &c)
            }
        case .extended(let key):
            c.extendedProperties.removeAll { $0.key == key.key }
        }
    }

    /// Values of a property for restrictions and sorting.
    static func values(_ path: FieldPath, of item: StoredItem) -> [String] {
        let c = item.contact
        switch path {
        case .field(let uri):
            let name = FieldPath.element(of: uri)
            switch name {
            case "ItemClass": return [item.itemClass]
            case "DateTimeCreated": return [EWSDate.format(item.created)]
            case "LastModifiedTime": return [EWSDate.format(item.modified)]
            case "HasAttachments": return [item.attachments.isEmpty ? "false" : "true"]
            case "HasPicture": return [item.hasPicture ? "true" : "false"]
            case "ItemId": return [item.id]
            case "Subject": return [c.fields["Subject"] ?? c.displayName].compactMap { $0 }
            case "EmailAddresses", "EmailAddress": return c.emailAddresses.keys.sorted().compactMap { c.emailAddresses[$0] }
            case "PhoneNumbers", "PhoneNumber": return c.phoneNumbers.keys.sorted().compactMap { c.phoneNumbers[$0] }
            default: return FieldPath.lists.contains(name) ? (c.lists[name] ?? []) : [c.fields[name]].compactMap { $0 }
            }
        case .indexed(let uri, let key):
            guard let (element, sub) = FieldPath.dictionary(of: uri) else { return [] }
            if let sub { return [c.physicalAddresses[key]?[sub: sub]].compactMap { $0 } }
            return [dict(element, c)[key]].compactMap { $0 }
        case .extended(let key):
            guard let p = c.extendedProperty(key) else { return [] }
            return p.values ?? [p.value].compactMap { $0 }
        }
    }
}

/// xs:dateTime helpers (UTC, second precision, "Z").
enum EWSDate {
    static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// Normalises an incoming dateTime to UTC "yyyy-MM-ddTHH:mm:ssZ"; leaves unparsable text alone.
    static func normalize(_ text: String) -> String {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            let f = ISO8601DateFormatter()
            f.formatOptions = options
            if let d = f.date(from: t) { return format(d) }
        }
        if t.count == 19, let d = ISO8601DateFormatter().date(from: t + "Z") { return format(d) }  // no zone: UTC
        if t.count == 10, let d = ISO8601DateFormatter().date(from: t + "T00:00:00Z") { return format(d) }
        return t
    }
}
