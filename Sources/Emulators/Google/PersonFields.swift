import Foundation

/// Person field masks and the JSON a person is rendered as (field metadata, derived names, etags).
enum PersonFields {
    /// Valid `personFields` / `readMask` paths (Google's list).
    static let readable: Set<String> = [
        "addresses", "ageRanges", "biographies", "birthdays", "calendarUrls", "clientData", "coverPhotos",
        "emailAddresses", "events", "externalIds", "genders", "imClients", "interests", "locales", "locations",
        "memberships", "metadata", "miscKeywords", "names", "nicknames", "occupations", "organizations",
        "phoneNumbers", "photos", "relations", "sipAddresses", "skills", "urls", "userDefined",
    ]
    /// Valid `updatePersonFields` / `updateMask` paths (photos have their own calls).
    static let updatable: Set<String> = [
        "addresses", "biographies", "birthdays", "calendarUrls", "clientData", "emailAddresses", "events",
        "externalIds", "genders", "imClients", "interests", "locales", "locations", "memberships", "miscKeywords",
        "names", "nicknames", "occupations", "organizations", "phoneNumbers", "relations", "sipAddresses", "urls",
        "userDefined",
    ]

    /// Parses a comma-separated field mask (`person.` prefixes allowed). nil/empty: `nil` unless required.
    static func mask(_ raw: String?, name: String, doc: String, valid: Set<String>, required: Bool) throws(GoogleError) -> Set<String>? {
        let paths = (raw ?? "").split(separator: ",").map {
            var p = $0.trimmingCharacters(in: .whitespaces)
            if p.hasPrefix("person.") { p.removeFirst("person.".count) }
            return p
        }.filter { !$0.isEmpty }
        guard !paths.isEmpty else {
            if required { throw GoogleError.maskRequired(name, doc: doc) }
            return nil
        }
        for p in paths where !valid.contains(p) {
            throw GoogleError.invalidArgument("Invalid \(name) mask path: \"\(p)\". Valid paths are documented at https://developers.google.com/people/api/rest/v1/\(doc).")
        }
        return Set(paths)
    }

    /// The storable part of an incoming person: updatable fields, each item without its metadata
    /// but for `sourcePrimary`, the one part a client sets (which value is the primary one).
    static func storable(_ person: [String: JSONValue], only: Set<String>? = nil) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (key, value) in person where updatable.contains(key) && key != "memberships" && (only?.contains(key) ?? true) {
            guard let items = value.array else { continue }
            let cleaned: [JSONValue] = items.compactMap { item in
                guard var o = item.object else { return nil }
                let primary = o["metadata"]?["sourcePrimary"] == true
                o["metadata"] = nil
                if o.isEmpty { return nil }
                if primary { o["metadata"] = ["sourcePrimary": true] }
                return .object(o)
            }
            if !cleaned.isEmpty { out[key] = .array(cleaned) }
        }
        return out
    }

    /// Group ids named by incoming `memberships` (nil when the field is absent).
    static func groupIDs(_ person: [String: JSONValue]) -> [String]? {
        guard let items = person["memberships"]?.array else { return nil }
        return items.compactMap { m -> String? in
            let cgm = m["contactGroupMembership"]
            if let rn = cgm?["contactGroupResourceName"]?.string { return String(rn.dropFirst("contactGroups/".count)) }
            return cgm?["contactGroupId"]?.string
        }
    }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    static func source(_ p: StoredPerson, full: Bool) -> JSONValue {
        var s: [String: JSONValue] = ["type": "CONTACT", "id": .string(p.sourceID)]
        if full { s["etag"] = .string(p.sourceEtag); s["updateTime"] = .string(timestamp(p.updated)) }
        return .object(s)
    }

    /// A person as Google renders it: `resourceName`, `etag`, then the masked fields with metadata.
    static func render(_ p: StoredPerson, mask: Set<String>?, baseURL: String) -> JSONValue {
        var out: [String: JSONValue] = ["resourceName": .string(p.resourceName), "etag": .string(p.etag)]
        let itemMeta = { (i: Int) -> JSONValue in
            i == 0 ? ["primary": true, "sourcePrimary": true, "source": source(p, full: false)] : ["source": source(p, full: false)]
        }
        for (key, value) in p.fields where mask?.contains(key) ?? true {
            guard let items = value.array else { continue }
            // The value a client marked `sourcePrimary` is the primary one; else the first.
            let primary = items.firstIndex { $0["metadata"]?["sourcePrimary"] == true } ?? 0
            out[key] = .array(items.enumerated().map { i, item in
                var o = derive(key, item.object ?? [:])
                o["metadata"] = itemMeta(i == primary ? 0 : i + 1)
                return .object(o)
            })
        }
        if mask?.contains("memberships") ?? true, !p.groups.isEmpty {
            out["memberships"] = .array(p.groups.map {
                ["metadata": ["source": source(p, full: false)],
                 "contactGroupMembership": ["contactGroupId": .string($0), "contactGroupResourceName": .string("contactGroups/\($0)")]]
            })
        }
        if mask?.contains("photos") ?? true {
            out["photos"] = p.photo == nil
                ? [["metadata": itemMeta(0), "url": .string("\(baseURL)/photos/default"), "default": true]]
                : [["metadata": itemMeta(0), "url": .string("\(baseURL)/photos/c\(p.id)/\(p.version)")]]
        }
        if mask?.contains("metadata") ?? true {
            out["metadata"] = ["sources": [source(p, full: true)], "objectType": "PERSON"]
        }
        return .object(out)
    }

    /// A deleted contact in a sync answer: its name, a new etag and `metadata.deleted`.
    static func render(_ t: PersonTombstone) -> JSONValue {
        let sourceID = String(UInt64(t.id) ?? 0, radix: 16)
        return ["resourceName": .string("people/c\(t.id)"), "etag": .string(t.etag),
                "metadata": ["sources": [["type": "CONTACT", "id": .string(sourceID), "etag": .string(t.sourceEtag),
                                          "updateTime": .string(timestamp(t.updated))]],
                             "objectType": "PERSON", "deleted": true]]
    }

    /// Read-only values Google computes: display names, formatted types, formatted addresses.
    static func derive(_ field: String, _ item: [String: JSONValue]) -> [String: JSONValue] {
        var o = item
        switch field {
        case "names":
            let parts = ["honorificPrefix", "givenName", "middleName", "familyName", "honorificSuffix"].compactMap { o[$0]?.string }
            let display = parts.isEmpty ? (o["unstructuredName"]?.string ?? "") : parts.joined(separator: " ")
            o["displayName"] = .string(display)
            if let family = o["familyName"]?.string {
                let rest = [o["givenName"]?.string, o["middleName"]?.string].compactMap { $0 }.joined(separator: " ")
                o["displayNameLastFirst"] = .string(rest.isEmpty ? family : "\(family), \(rest)")
            } else {
                o["displayNameLastFirst"] = .string(display)
            }
            if o["unstructuredName"] == nil { o["unstructuredName"] = .string(display) }
        case "addresses" where o["formattedValue"] == nil:
            let line2 = [o["city"]?.string, o["region"]?.string, o["postalCode"]?.string].compactMap { $0 }.joined(separator: " ")
            let lines = [o["poBox"]?.string, o["streetAddress"]?.string, o["extendedAddress"]?.string,
                         line2.isEmpty ? nil : line2, o["country"]?.string].compactMap { $0 }
            if !lines.isEmpty { o["formattedValue"] = .string(lines.joined(separator: "\n")) }
        case "phoneNumbers":
            if let v = o["value"]?.string, v.hasPrefix("+") { o["canonicalForm"] = .string("+" + v.filter(\.isNumber)) }
        case "imClients":
            if let p = o["protocol"]?.string { o["formattedProtocol"] = .string(formatted(p)) }
        default: break
        }
        if let t = o["type"]?.string, o["formattedType"] == nil {
            o["formattedType"] = .string(formatted(t))
        }
        return o
    }

    /// `homeFax` → `Home Fax`, `work` → `Work`.
    static func formatted(_ type: String) -> String {
        var words: [String] = [], current = ""
        for ch in type {
            if ch.isUppercase, !current.isEmpty { words.append(current); current = "" }
            current.append(ch)
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: " ")
    }
}
