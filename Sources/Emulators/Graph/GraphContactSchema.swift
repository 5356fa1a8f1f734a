import Foundation

/// The `microsoft.graph.contact` resource (PROTOCOLS.md §1.3): which properties a client may set,
/// Outlook's hidden caps on multi-value properties, and how a stored contact is rendered.
enum GraphContactSchema {
    static let strings = [
        "displayName", "givenName", "middleName", "surname", "nickName", "title", "generation", "initials", "fileAs",
        "companyName", "department", "jobTitle", "officeLocation", "profession", "manager", "assistantName",
        "spouseName", "businessHomePage", "personalNotes", "mobilePhone", "yomiGivenName", "yomiSurname",
        "yomiCompanyName",
    ]
    static let collections = ["emailAddresses", "businessPhones", "homePhones", "imAddresses", "children", "categories"]
    static let addresses = ["homeAddress", "businessAddress", "otherAddress"]
    static let writable = Set(strings + collections + addresses + ["birthday"])
    static let readOnly = ["id", "changeKey", "parentFolderId", "createdDateTime", "lastModifiedDateTime"]
    /// Outlook's caps: the server refuses more (microsoft-graph-docs#15276; homePhones assumed 2).
    static let caps: [(property: String, wire: String, max: Int)] = [
        ("emailAddresses", "EmailAddresses", 3), ("businessPhones", "BusinessPhones", 2), ("homePhones", "HomePhones", 2),
    ]
    /// PidLidHasPicture (PSETID_Address, LID 0x8015), as a single-value extended property id.
    static let hasPicture = "Boolean {00062004-0000-0000-C000-000000000046} Id 0x8015"
    static let relations = ["singleValueExtendedProperties", "multiValueExtendedProperties", "photo", "extensions"]

    /// Checks a POST or PATCH body and splits it into properties to store and extended properties.
    /// OData annotations (`@odata.type`) are accepted and dropped; read-only properties are ignored
    /// as Outlook does.
    static func parse(_ body: [String: JSONValue]) throws(GraphError) -> (fields: [String: JSONValue], extended: [(id: String, value: String)]?) {
        var fields: [String: JSONValue] = [:]
        var extended: [(id: String, value: String)]?
        for (key, value) in body {
            if key.hasPrefix("@") || key.contains("@odata.") || readOnly.contains(key) { continue }
            if key == "singleValueExtendedProperties" {
                extended = try (value.array ?? []).map { (p: JSONValue) throws(GraphError) -> (id: String, value: String) in
                    guard let id = p["id"]?.string, let v = p["value"]?.string else {
                        throw GraphError.badRequest("An extended property needs an 'id' and a 'value'.")
                    }
                    return (id, v)
                }
                continue
            }
            guard writable.contains(key) else { throw GraphError.unknownProperty(key) }
            if collections.contains(key), value != .null, value.array == nil {
                throw GraphError(status: 400, code: "RequestBodyRead",
                                 message: "Cannot convert a primitive value to the expected type 'Collection'.")
            }
            fields[key] = value
        }
        return (fields, extended)
    }

    static func checkCaps(_ fields: [String: JSONValue]) throws(GraphError) {
        for cap in caps {
            let n = fields[cap.property]?.array?.count ?? 0
            if n > cap.max { throw GraphError.tooManyValues(cap.wire, n, max: cap.max) }
        }
    }

    /// Upserts extended properties by id (ids compare case-insensitively, as Exchange normalises them).
    static func merge(_ existing: [(id: String, value: String)], _ new: [(id: String, value: String)]) -> [(id: String, value: String)] {
        var out = existing
        for p in new {
            if let i = out.firstIndex(where: { $0.id.lowercased() == p.id.lowercased() }) { out[i].value = p.value } else { out.append(p) }
        }
        return out
    }

    /// The JSON a GET answers. `select` nil: every property; `expandIDs` non-nil: the matching
    /// `singleValueExtendedProperties` (empty set: all of them).
    static func render(_ c: GraphStoredContact, select: [String]?, expandIDs: Set<String>?) -> JSONValue {
        var o: [String: JSONValue] = ["@odata.etag": .string(c.etag), "id": .string(c.id)]
        let meta: [String: JSONValue] = [
            "changeKey": .string(c.changeKey), "parentFolderId": .string(c.folderID),
            "createdDateTime": .string(GraphFormat.date(c.created)),
            "lastModifiedDateTime": .string(GraphFormat.date(c.modified)),
        ]
        func value(_ key: String) -> JSONValue {
            if let m = meta[key] { return m }
            if let v = c.fields[key] { return v }
            if collections.contains(key) { return [] }
            if addresses.contains(key) { return [:] }
            return .null
        }
        let keys = select ?? (readOnly.filter { $0 != "id" } + strings + collections + addresses + ["birthday"])
        for key in keys where key != "id" { o[key] = value(key) }
        if let expandIDs {
            var props = c.extended.filter { expandIDs.isEmpty || expandIDs.contains($0.id.lowercased()) }
            // Exchange keeps PidLidHasPicture itself: set when a contact photo is attached.
            if c.photo != nil, expandIDs.isEmpty || expandIDs.contains(hasPicture.lowercased()),
               !props.contains(where: { $0.id.lowercased() == hasPicture.lowercased() }) {
                props.append((hasPicture, "true"))
            }
            o["singleValueExtendedProperties"] = .array(props.map { ["id": .string($0.id), "value": .string($0.value)] })
        }
        return .object(o)
    }

    /// `$select` names must be properties of the type.
    static func checkSelect(_ select: [String]?) throws(GraphError) {
        for key in select ?? [] where !(writable.contains(key) || readOnly.contains(key)) {
            throw GraphError(status: 400, code: "RequestBroker--ParseUri",
                             message: "Could not find a property named '\(key)' on type 'microsoft.graph.contact'.")
        }
    }
}
