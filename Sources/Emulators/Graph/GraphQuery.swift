import Foundation

/// A Graph call as the operations see it: path segments after `/v1.0`, OData query options and
/// the headers that matter (`Prefer`, `If-Match`).
struct GraphRequest: Sendable {
    var method: String
    var segments: [String]
    var query: [(String, String)]
    /// Lower-cased names.
    var headers: [String: String]
    var body: Data

    func param(_ name: String) -> String? {
        query.last { $0.0.lowercased() == name.lowercased() || $0.0.lowercased() == "$" + name.lowercased() }?.1
    }
    func header(_ name: String) -> String? { headers[name.lowercased()] }

    func json() throws(GraphError) -> [String: JSONValue] {
        if body.isEmpty { throw GraphError.badRequest("Empty Payload. JSON content expected.") }
        guard let value = JSONValue.parse(body), let o = value.object else {
            throw GraphError(status: 400, code: "BadRequest", message: "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
        }
        return o
    }

    /// `$select=a,b` (nil when absent).
    var select: [String]? {
        param("select").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    func int(_ name: String) throws(GraphError) -> Int? {
        guard let raw = param(name) else { return nil }
        guard let v = Int(raw), v >= 0 else { throw GraphError.badRequest("Invalid value '\(raw)' for query option '$\(name)'.") }
        return v
    }

    /// `Prefer: odata.maxpagesize=N`.
    var maxPageSize: Int? { preference("odata.maxpagesize").flatMap { Int($0) } }
    /// `Prefer: IdType="ImmutableId"`.
    var wantsImmutableIDs: Bool { preference("IdType")?.lowercased() == "immutableid" }

    func preference(_ name: String) -> String? {
        guard let prefer = header("prefer") else { return nil }
        for part in prefer.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == name.lowercased() { return kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// `$expand=singleValueExtendedProperties($filter=id eq '…')`: the ids asked for (lower-cased;
    /// empty: all); nil when not expanded.
    func expandedExtendedIDs() throws(GraphError) -> Set<String>? {
        guard let expand = param("expand") else { return nil }
        let name = "singlevalueextendedproperties"
        guard expand.lowercased().hasPrefix(name) else {
            throw GraphError.badRequest("Parsing OData Select and Expand failed: Could not find a property named '\(expand)' on type 'microsoft.graph.contact'.")
        }
        let rest = expand.dropFirst(name.count)
        guard !rest.isEmpty else { return [] }
        return Set(ODataFilter.quoted(in: String(rest), after: "id eq").map { $0.lowercased() })
    }
}

/// The `$filter` shapes HubSync's clients use on contacts: the marker (PROTOCOLS.md §1.4),
/// `singleValueExtendedProperties/Any(ep: ep/id eq 'X' and ep/value eq 'Y')`, and a modification
/// time, `lastModifiedDateTime ge 2026-12-06T10:00:00Z` (or `gt`).
struct ODataFilter: Sendable {
    var propertyID: String?
    var value: String?
    var modified: (after: Date, inclusive: Bool)?

    static func parse(_ raw: String) throws(GraphError) -> ODataFilter {
        let invalid = GraphError(status: 400, code: "ErrorInvalidUrlQueryFilter", message: "The query filter contains one or more invalid nodes.")
        let lower = raw.lowercased().trimmingCharacters(in: .whitespaces)
        if lower.hasPrefix("lastmodifieddatetime ") {
            let parts = raw.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 3, ["ge", "gt"].contains(parts[1].lowercased()) else { throw invalid }
            let f = ISO8601DateFormatter()
            var date = f.date(from: parts[2])
            if date == nil {
                f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                date = f.date(from: parts[2])
            }
            guard let date else { throw invalid }
            return ODataFilter(modified: (date, parts[1].lowercased() == "ge"))
        }
        guard lower.hasPrefix("singlevalueextendedproperties/any("), raw.hasSuffix(")") else { throw invalid }
        guard let id = quoted(in: raw, after: "/id eq").first else { throw invalid }
        return ODataFilter(propertyID: id, value: quoted(in: raw, after: "/value eq").first)
    }

    func matches(_ c: GraphStoredContact) -> Bool {
        if let since = modified {
            // Graph compares at the second it renders.
            let m = c.modified.timeIntervalSince1970.rounded(.down)
            return since.inclusive ? m >= since.after.timeIntervalSince1970 : m > since.after.timeIntervalSince1970
        }
        guard let propertyID else { return false }
        return c.extended.contains { $0.id.lowercased() == propertyID.lowercased() && (value == nil || $0.value == value) }
    }

    /// The single-quoted literals following `marker` (OData doubles a quote inside a literal).
    static func quoted(in text: String, after marker: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: marker, options: .caseInsensitive) {
            rest = rest[r.upperBound...].drop { $0 == " " }
            guard rest.first == "'" else { continue }
            rest = rest.dropFirst()
            var literal = ""
            while let ch = rest.first {
                rest = rest.dropFirst()
                if ch == "'" {
                    if rest.first == "'" { literal.append("'"); rest = rest.dropFirst(); continue }
                    break
                }
                literal.append(ch)
            }
            out.append(literal)
        }
        return out
    }
}
