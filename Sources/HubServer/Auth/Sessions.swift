import Foundation
import Synchronization

/// A signed-in browser (or API client). Its CSRF token goes with every state-changing request.
public struct Session: Sendable, Hashable {
    public let id: String
    public let user: String
    public let csrf: String
    var lastSeen: Date
}

/// Sessions in memory: a restart signs everyone out, which for a single admin server is a fair
/// price for keeping session secrets out of the database. Idle sessions expire.
final class SessionStore: Sendable {
    private let sessions = Mutex<[String: Session]>([:])
    let idleTimeout: TimeInterval
    private let clock: @Sendable () -> Date

    init(idleTimeout: TimeInterval = 12 * 3600, clock: @escaping @Sendable () -> Date) {
        self.idleTimeout = idleTimeout
        self.clock = clock
    }

    func create(user: String) -> Session {
        let s = Session(id: Token.random(), user: user, csrf: Token.random(), lastSeen: clock())
        let now = s.lastSeen
        sessions.withLock { all in
            all = all.filter { now.timeIntervalSince($0.value.lastSeen) < idleTimeout }
            all[s.id] = s
        }
        return s
    }

    /// The live session with this id, touched.
    func session(_ id: String) -> Session? {
        let now = clock()
        return sessions.withLock { all in
            guard var s = all[id] else { return nil }
            guard now.timeIntervalSince(s.lastSeen) < idleTimeout else {
                all[id] = nil
                return nil
            }
            s.lastSeen = now
            all[id] = s
            return s
        }
    }

    func remove(_ id: String) { _ = sessions.withLock { $0.removeValue(forKey: id) } }
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

    /// Compares without an early exit, so timing says nothing about how much matched.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
