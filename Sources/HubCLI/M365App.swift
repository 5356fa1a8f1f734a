import ConnectorGraph
import Foundation
import Secrets

/// The Microsoft 365 app a spoke signs in with, as its settings keep it: the tenant, the client
/// id, the identity platform's and Graph's addresses, and the sealed client secret. One writer
/// and one reader for `spoke add`, the wizard's sign-in, the directory, the mailboxes of a group
/// and `spoke migrate`.
enum M365App {
    static let tenantKey = "m365.tenant", clientIDKey = "m365.clientID", authorityKey = "m365.authority"
    static let graphKey = "m365.graph", secretKey = "m365.clientSecret"

    /// The keys of `graph`'s app. No secret, no key. (The directory and group spokes used to seal
    /// "" for a missing one; they cannot be set up without one, so what they store is the same.)
    static func keys(_ graph: GraphSettings, secrets: SecretBox) throws -> [String: String] {
        var s = [
            tenantKey: graph.tenant, clientIDKey: graph.clientID,
            authorityKey: graph.authorityBase.absoluteString, graphKey: graph.graphBase.absoluteString,
        ]
        if let secret = graph.clientSecret { s[secretKey] = try secrets.seal(secret) }
        return s
    }

    /// The app the keys name (no mailbox, the default folder), nil when the client id or an
    /// address is missing. A missing tenant reads as `organizations` (delegated sign-in's); a
    /// sealed secret is opened as it is, "" included, as before there was this reader.
    static func read(_ s: [String: String], secrets: () throws -> SecretBox) throws -> GraphSettings? {
        guard let id = s[clientIDKey], let authority = s[authorityKey].flatMap(URL.init(string:)),
            let graph = s[graphKey].flatMap(URL.init(string:))
        else { return nil }
        let secret = try s[secretKey].map { try secrets().open($0) }
        return GraphSettings(tenant: s[tenantKey] ?? "organizations", clientID: id, clientSecret: secret,
                             authorityBase: authority, graphBase: graph)
    }
}
