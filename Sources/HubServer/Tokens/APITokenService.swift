import Foundation
import SyncStore

/// API tokens for scripts and monitoring, for the web app and the CLI alike: 256 random bits
/// shown once, kept only as their SHA-256, scoped (read: GET only; admin: what an admin's
/// session may do), revocable. A token is sent as `Authorization: Bearer <token>`.
public struct APITokenService: Sendable {
    let store: any WebStateStore
    let clock: @Sendable () -> Date
    /// Marks the secret as HubSync's, for secret scanners and for people reading a config file.
    public static let prefix = "hubsync_"
    /// The last-used time is written at most this often (not on every request).
    static let touchInterval: TimeInterval = 60
    static let maxNameLength = 64

    public init(store: any WebStateStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    /// A new token and its secret (shown once: only its hash is kept).
    public func create(name: String, scope: APITokenScope, by user: String) throws -> (token: APIToken, secret: String) {
        let name = try HubApp.name(name, what: "token", limit: Self.maxNameLength)
        let secret = Self.prefix + Token.random()
        let token = APIToken(
            id: Token.readable(8), name: name, tokenHash: Token.hash(secret), scope: scope, createdBy: user, createdAt: clock())
        try store.insertAPIToken(token)
        return (token, secret)
    }

    public func list() throws -> [APIToken] { try store.apiTokens() }

    /// False when there is no token with this id.
    public func revoke(id: String) throws -> Bool { try store.deleteAPIToken(id: id) }

    /// The token a bearer secret is, its use noted; nil when unknown or revoked.
    func authenticate(_ secret: String) throws -> APIToken? {
        guard secret.hasPrefix(Self.prefix), secret.utf8.count <= 200, var token = try store.apiToken(hash: Token.hash(secret))
        else { return nil }
        let now = clock()
        if token.lastUsed.map({ now.timeIntervalSince($0) >= Self.touchInterval }) ?? true {
            try store.touchAPIToken(id: token.id, at: now)
            token.lastUsed = now
        }
        return token
    }

    /// The secret of an `Authorization` value, when it is a bearer token.
    static func bearer(_ authorization: String) -> String? {
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
