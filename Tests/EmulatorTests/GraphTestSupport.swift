import Emulators
import Foundation

/// A running Graph emulator with the seeded tenant (Adele, Alex, Megan; "All Company"), an app
/// registration and an app-only token.
struct GraphFixture {
    static let clientID = "11111111-2222-3333-4444-555555555555", secret = "graph-s3cret"
    let g: GraphEmulator
    let root: URL
    let users: [GraphUserRecord]
    let groupID: String
    let app: String

    var adele: String { users[0].upn }

    static func start(contactsPerUser: Int = 3) async throws -> GraphFixture {
        let g = GraphEmulator()
        let (users, group) = try g.seedDemoTenant(contactsPerUser: contactsPerUser)
        g.addApp(clientID: clientID, secret: secret)
        let root = try await g.start()
        return GraphFixture(g: g, root: root, users: users, groupID: group, app: g.issueAppToken(clientID: clientID))
    }

    /// A Graph call (`path` below `/v1.0`, or an absolute next/delta link) with the app token (or `token`).
    func api(_ method: String, _ path: String, _ query: [(String, String)] = [], json: JSONValue? = nil, token: String? = nil,
             headers: [(String, String)] = []) async throws -> JSONResult {
        let rootString = root.absoluteString.hasSuffix("/") ? String(root.absoluteString.dropLast()) : root.absoluteString
        if path.hasPrefix("http") {
            let rel = String(path.dropFirst(rootString.count))
            let (p, q) = rel.firstIndex(of: "?").map { (String(rel[..<$0]), String(rel[rel.index(after: $0)...])) } ?? (rel, "")
            let items = q.split(separator: "&").map { kv -> (String, String) in
                let parts = kv.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }
            return try await api(method, String(p.dropFirst("/v1.0".count)), items + query, json: json, token: token, headers: headers)
        }
        return try await peopleHTTP(method, root, "/v1.0" + path, query, body: json.map { Array($0.serialized.utf8) },
                                    headers: [("Authorization", "Bearer \(token ?? app)"), ("Content-Type", "application/json")] + headers)
    }

    func form(_ path: String, _ fields: [(String, String)]) async throws -> JSONResult {
        try await peopleHTTP("POST", root, path, [], body: Array(formEncode(fields).utf8),
                             headers: [("Content-Type", "application/x-www-form-urlencoded")])
    }

    /// Follows a delta round to its deltaLink: every item, and the deltaLink.
    func deltaRound(_ first: String, query: [(String, String)] = [], pageSize: Int? = nil) async throws -> (items: [JSONValue], deltaLink: String, pages: Int) {
        var items: [JSONValue] = [], next = first, pages = 0, q = query
        let prefer = pageSize.map { [("Prefer", "odata.maxpagesize=\($0)")] } ?? []
        while true {
            let r = try await api("GET", next, q, headers: prefer + [("Prefer", "IdType=\"ImmutableId\"")])
            guard r.status == 200 else { throw GraphTestError.status(r.status, r.body) }
            pages += 1
            items += r.json["value"]?.array ?? []
            q = []
            if let link = r.json["@odata.nextLink"]?.string { next = link; continue }
            return (items, r.json["@odata.deltaLink"]?.string ?? "", pages)
        }
    }
}

enum GraphTestError: Error { case status(Int, String) }

extension JSONResult {
    /// `error.code` of a Graph error answer.
    var graphCode: String? { json["error"]?["code"]?.string }
}
