import Foundation

/// The login rate limit, pure: failed attempts per key (a peer address, a user name) within a
/// window. Past `limit` failures the key must wait until the oldest failure leaves the window.
/// Keyed by both, so neither one address guessing many names nor many addresses guessing one
/// name get far.
struct LoginThrottle: Sendable {
    var limit = 5
    var window: TimeInterval = 15 * 60
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before `keys` may try again; nil when they may now.
    func retryAfter(_ keys: [String], now: Date) -> Int? {
        let waits = keys.compactMap { key -> TimeInterval? in
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            guard recent.count >= limit, let oldest = recent.min() else { return nil }
            return window - now.timeIntervalSince(oldest)
        }
        return waits.max().map { max(1, Int($0.rounded(.up))) }
    }

    mutating func failed(_ keys: [String], now: Date) {
        for key in keys {
            failures[key, default: []].removeAll { now.timeIntervalSince($0) >= window }
            failures[key, default: []].append(now)
        }
    }

    /// A success forgets the user name's failures (not the address's: an attacker who knows one
    /// password must not reset the counter for guessing others).
    mutating func succeeded(user: String) { failures["user:" + user] = nil }
}
