import Foundation
import SyncStore

/// The sign-in rate limit. Built so that a stranger can slow guessing down but cannot lock the
/// admin out:
/// - per user name, growing delays: after `freeFailures` failures in a row each attempt must
///   wait 1, 2, 4 … seconds (at most `maxDelay`) after the last failure; never a lock;
/// - per peer address, a hard lock: `peerLimit` failures within `window` lock that address
///   (only it) until the oldest leaves the window;
/// - an address that signed in successfully before is not delayed by failures of others on
///   the same user name (it is still locked by its own).
/// The counters live in the store, so failures made on any server of the installation count.
struct LoginThrottle: Sendable {
    let store: any WebStateStore
    var freeFailures = 3
    var maxDelay: TimeInterval = 60
    var peerLimit = 10
    var window: TimeInterval = 15 * 60

    init(store: any WebStateStore, freeFailures: Int = 3, maxDelay: TimeInterval = 60, peerLimit: Int = 10, window: TimeInterval = 15 * 60) {
        self.store = store
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
    func retryAfter(user: String, peer: String, now: Date) throws -> Wait? {
        Self.wait(try store.signInFailures(user: user, peer: peer, since: now - window), now: now, self)
    }

    /// The decision itself, pure.
    static func wait(_ f: SignInFailures, now: Date, _ t: LoginThrottle) -> Wait? {
        if f.peerFailures >= t.peerLimit, let oldest = f.peerOldestFailure {
            return .peer(seconds(t.window - now.timeIntervalSince(oldest)))
        }
        guard !f.peerTrusted, let last = f.userLastFailure, f.userFailures >= t.freeFailures else { return nil }
        let left = t.delay(afterFailures: f.userFailures) - now.timeIntervalSince(last)
        return left > 0 ? .user(seconds(left)) : nil
    }

    /// The wait after `count` failures in a row on one user name.
    func delay(afterFailures count: Int) -> TimeInterval {
        guard count >= freeFailures else { return 0 }
        return min(maxDelay, pow(2, Double(min(count - freeFailures, 30))))
    }

    func failed(user: String, peer: String, now: Date) throws {
        try store.recordSignInFailure(user: user, peer: peer, at: now, since: now - window)
    }

    /// A success forgets the user name's failures and trusts the address from now on (not its
    /// own failures: one known password must not reset the count for guessing others).
    func succeeded(user: String, peer: String, now: Date) throws {
        try store.recordSignInSuccess(user: user, peer: peer, at: now)
    }

    static func seconds(_ t: TimeInterval) -> Int { max(1, Int(t.rounded(.up))) }
}
