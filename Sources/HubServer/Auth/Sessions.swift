import Crypto
import Foundation
import SyncStore

/// A signed-in browser (or API client). Its CSRF token goes with every state-changing request
/// made with the cookie; an API token's session has no cookie and needs none.
public struct Session: Sendable, Hashable {
    public let id: String
    public let user: String
    public let csrf: String
    var lastSeen: Date
    /// Set when the caller is an API token (`Authorization: Bearer`), not a browser.
    public internal(set) var apiScope: APITokenScope? = nil
}

/// Sessions in the store (`WebStateStore`), so every server of an installation knows them and a
/// restart signs nobody out. The store keeps only the SHA-256 of a session's id (the cookie).
/// Idle sessions expire; the last-seen time is written at most once a `touchInterval`, so a
/// busy page costs reads, not a write per request.
final class SessionStore: Sendable {
    let store: any WebStateStore
    let idleTimeout: TimeInterval
    let touchInterval: TimeInterval = 60
    /// How far back the sign-in rate limit looks: its failures are swept with idle sessions.
    let failureWindow: TimeInterval
    private let clock: @Sendable () -> Date

    init(store: any WebStateStore, idleTimeout: TimeInterval = 12 * 3600, failureWindow: TimeInterval, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.idleTimeout = idleTimeout
        self.failureWindow = failureWindow
        self.clock = clock
    }

    func create(user: String) throws -> Session {
        let now = clock()
        let s = Session(id: Token.random(), user: user, csrf: Token.random(), lastSeen: now)
        // A sign-in is rare enough to pay for the sweep of what expired meanwhile.
        try store.sweepWebState(now: now, sessionsSeenBefore: now - idleTimeout, failuresBefore: now - failureWindow)
        try store.insertSession(WebSession(idHash: Token.hash(s.id), user: user, csrf: s.csrf, createdAt: now, lastSeen: now))
        return s
    }

    /// The live session with this id, touched when last seen over a minute ago.
    func session(_ id: String) throws -> Session? {
        let now = clock(), hash = Token.hash(id)
        guard let stored = try store.session(idHash: hash) else { return nil }
        guard now.timeIntervalSince(stored.lastSeen) < idleTimeout else {
            try store.deleteSession(idHash: hash)
            return nil
        }
        if now.timeIntervalSince(stored.lastSeen) >= touchInterval { try store.touchSession(idHash: hash, at: now) }
        return Session(id: id, user: stored.user, csrf: stored.csrf, lastSeen: now)
    }

    func remove(_ id: String) throws { try store.deleteSession(idHash: Token.hash(id)) }
}

enum Token {
    /// 256 random bits, URL-safe base64.
    static func random() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &g) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// `count` random characters that read aloud and type without confusion (no 0/o, 1/l/i).
    static func readable(_ count: Int) -> String {
        let letters = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in letters.randomElement(using: &g)! })
    }

    /// Hex SHA-256: what the store keeps of a session id, an API token or a sign-in's state.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares without an early exit, so timing says nothing about how much matched.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
