import Foundation

/// The sign-in rate limit, pure. Built so that a stranger can slow guessing down but cannot
/// lock the admin out:
/// - per user name, growing delays: after `freeFailures` failures in a row each attempt must
///   wait 1, 2, 4 … seconds (at most `maxDelay`) after the last failure; never a lock;
/// - per peer address, a hard lock: `peerLimit` failures within `window` lock that address
///   (only it) until the oldest leaves the window;
/// - an address that signed in successfully before is not delayed by failures of others on
///   the same user name (it is still locked by its own).
struct LoginThrottle: Sendable {
    var freeFailures = 3
    var maxDelay: TimeInterval = 60
    var peerLimit = 10
    var window: TimeInterval = 15 * 60
    /// Bounds on what is remembered, so a flood of names or addresses cannot grow memory.
    static let maxEntries = 10_000

    private var users: [String: (count: Int, last: Date)] = [:]
    private var peers: [String: [Date]] = [:]
    private var trusted: [String: Date] = [:]

    init(freeFailures: Int = 3, maxDelay: TimeInterval = 60, peerLimit: Int = 10, window: TimeInterval = 15 * 60) {
        self.freeFailures = freeFailures
        self.maxDelay = maxDelay
        self.peerLimit = peerLimit
        self.window = window
    }

    enum Wait: Equatable {
        /// This address is locked (its own failures).
        case peer(Int)
        /// This user name must wait a little (failures from elsewhere).
        case user(Int)

        var seconds: Int {
            switch self {
            case .peer(let s), .user(let s): s
            }
        }
    }

    /// How long `peer` must wait before trying `user`; nil when it may now.
    func retryAfter(user: String, peer: String, now: Date) -> Wait? {
        let recent = (peers[peer] ?? []).filter { now.timeIntervalSince($0) < window }
        if recent.count >= peerLimit, let oldest = recent.min() {
            return .peer(Self.seconds(window - now.timeIntervalSince(oldest)))
        }
        guard trusted[peer] == nil, let u = users[user], now.timeIntervalSince(u.last) < window, u.count >= freeFailures
        else { return nil }
        let left = delay(afterFailures: u.count) - now.timeIntervalSince(u.last)
        return left > 0 ? .user(Self.seconds(left)) : nil
    }

    /// The wait after `count` failures in a row on one user name.
    func delay(afterFailures count: Int) -> TimeInterval {
        guard count >= freeFailures else { return 0 }
        return min(maxDelay, pow(2, Double(min(count - freeFailures, 30))))
    }

    mutating func failed(user: String, peer: String, now: Date) {
        if users.count >= Self.maxEntries { users = users.filter { now.timeIntervalSince($0.value.last) < window } }
        if peers.count >= Self.maxEntries { peers = peers.filter { $0.value.contains { now.timeIntervalSince($0) < window } } }
        let previous = users[user].flatMap { now.timeIntervalSince($0.last) < window ? $0.count : nil } ?? 0
        users[user] = (previous + 1, now)
        peers[peer, default: []].removeAll { now.timeIntervalSince($0) >= window }
        peers[peer, default: []].append(now)
    }

    /// A success forgets the user name's failures and trusts the address from now on (not its
    /// own failures: one known password must not reset the count for guessing others).
    mutating func succeeded(user: String, peer: String, now: Date) {
        users[user] = nil
        if trusted.count >= Self.maxEntries, let oldest = trusted.min(by: { $0.value < $1.value }) {
            trusted[oldest.key] = nil
        }
        trusted[peer] = now
    }

    static func seconds(_ t: TimeInterval) -> Int { max(1, Int(t.rounded(.up))) }
}
