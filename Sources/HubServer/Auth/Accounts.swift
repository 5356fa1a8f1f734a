import Foundation
import HummingbirdBcrypt
import Synchronization
import SyncStore

/// Sign-in checks: bcrypt hashes in the store, the login rate limit in memory.
final class Accounts: Sendable {
    let store: any AccountStore
    let cost: UInt8
    let setupToken: String?
    private let throttle = Mutex(LoginThrottle())
    private let clock: @Sendable () -> Date
    /// Verified against when the user does not exist, so a wrong name costs as long as a
    /// wrong password (no user enumeration by timing).
    private let decoy: String

    init(store: any AccountStore, cost: UInt8, setupToken: String?, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.cost = cost
        self.setupToken = setupToken
        self.clock = clock
        decoy = Bcrypt.hash(Token.random(), cost: cost)
    }

    static let minimumPasswordLength = 10

    var needsSetup: Bool { ((try? store.accountCount()) ?? 0) == 0 }

    /// The first-run admin; fails once any account exists, or without the setup code when the
    /// server asks for one.
    func createFirst(user: String, password: String, token: String?) throws -> String {
        if let setupToken {
            let given = (token ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard Token.equal(given, setupToken) else {
                throw APIError(.forbidden, "enter the setup code HubSync printed when it started", field: "setupToken")
            }
        }
        let name = try Self.validName(user)
        try Self.checkStrength(password)
        let account = AdminAccount(name: name, passwordHash: Bcrypt.hash(password, cost: cost), createdAt: clock())
        guard try store.createFirstAccount(account) else {
            throw APIError(.conflict, "an administrator exists already; sign in instead")
        }
        return name
    }

    /// The user name when the password is right; a 401 or (too many failures) a 429 otherwise.
    func verify(user: String, password: String, peer: String) throws -> String {
        let name = user.trimmingCharacters(in: .whitespaces)
        let keys = ["peer:" + peer, "user:" + name.lowercased()]
        if let wait = throttle.withLock({ $0.retryAfter(keys, now: clock()) }) {
            throw APIError(.tooManyRequests, "too many failed sign-ins; try again in \(Self.minutes(wait))", retryAfter: wait)
        }
        let account = try store.account(named: name)
        let ok = Bcrypt.verify(password, hash: account?.passwordHash ?? decoy) && account != nil
        guard ok else {
            throttle.withLock { $0.failed(keys, now: clock()) }
            throw APIError(.unauthorized, "wrong user name or password")
        }
        throttle.withLock { $0.succeeded(user: name.lowercased()) }
        return name
    }

    static func validName(_ user: String) throws -> String {
        let name = user.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64 else { throw APIError(.badRequest, "choose a user name", field: "user") }
        return name
    }

    static func checkStrength(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw APIError(.badRequest, "the password needs at least \(minimumPasswordLength) characters", field: "password")
        }
    }

    static func minutes(_ seconds: Int) -> String {
        seconds < 90 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }
}
