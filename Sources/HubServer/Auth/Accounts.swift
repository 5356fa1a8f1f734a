import Foundation
import HummingbirdBcrypt
import Synchronization
import SyncStore

/// Sign-in checks: bcrypt hashes in the store, the login rate limit in memory.
final class Accounts: Sendable {
    let store: any AccountStore
    let cost: UInt8
    /// One-time: replaced by a code nobody knows once it made the admin.
    let setupToken: Mutex<String>
    private let throttle = Mutex(LoginThrottle())
    private let clock: @Sendable () -> Date
    /// Verified against when the user does not exist, so a wrong name costs as long as a
    /// wrong password (no user enumeration by timing).
    private let decoy: String

    init(store: any AccountStore, cost: UInt8, setupToken: String, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.cost = cost
        self.setupToken = Mutex(setupToken)
        self.clock = clock
        decoy = Bcrypt.hash(Token.random(), cost: cost)
    }

    static let minimumPasswordLength = 10

    var needsSetup: Bool { ((try? store.accountCount()) ?? 0) == 0 }

    /// The first-run admin; fails once any account exists, or without the setup code (unless
    /// `trusted`: the composition root itself).
    func createFirst(user: String, password: String, token: String?, trusted: Bool = false) throws -> String {
        guard needsSetup else { throw APIError(.conflict, "an administrator exists already; sign in instead") }
        if !trusted {
            let given = (token ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard Token.equal(given, setupToken.withLock { $0 }) else {
                throw APIError(.forbidden, "enter the setup code HubSync printed when it started", field: "setupToken")
            }
        }
        let name = try Self.validName(user)
        try Self.checkStrength(password)
        let account = AdminAccount(name: name, passwordHash: Bcrypt.hash(password, cost: cost), createdAt: clock())
        guard try store.createFirstAccount(account) else {
            throw APIError(.conflict, "an administrator exists already; sign in instead")
        }
        setupToken.withLock { $0 = Token.random() }
        return name
    }

    /// The user name when the password is right; a 401 or (too many failures) a 429 otherwise.
    func verify(user: String, password: String, peer: String) throws -> String {
        let name = user.trimmingCharacters(in: .whitespaces)
        let key = String(name.lowercased().prefix(Self.maxNameLength + 1))
        switch throttle.withLock({ $0.retryAfter(user: key, peer: peer, now: clock()) }) {
        case .peer(let wait):
            throw APIError(.tooManyRequests, words: APIWords.tooManyFromAddress, ["wait": Self.minutes(wait)]).retrying(after: wait)
        case .user(let wait):
            throw APIError(.tooManyRequests, words: APIWords.tooManyForUser, ["wait": Self.minutes(wait)]).retrying(after: wait)
        case nil: break
        }
        let account = try store.account(named: name)
        let ok = Bcrypt.verify(password, hash: account?.passwordHash ?? decoy) && account != nil
        guard ok else {
            throttle.withLock { $0.failed(user: key, peer: peer, now: clock()) }
            throw APIError(.unauthorized, "wrong user name or password")
        }
        throttle.withLock { $0.succeeded(user: key, peer: peer, now: clock()) }
        return name
    }

    static let maxNameLength = 64

    static func validName(_ user: String) throws -> String {
        try HubApp.name(user, what: "user", field: "user", limit: maxNameLength)
    }

    static func checkStrength(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw APIError(.badRequest, words: APIWords.passwordShort, ["n": "\(minimumPasswordLength)"], field: "password")
        }
        guard password.utf8.count <= 1024 else {
            throw APIError(.badRequest, words: APIWords.passwordLong, field: "password")
        }
    }

    /// "8 s", "5 min": written alike in English and French.
    static func minutes(_ seconds: Int) -> String {
        seconds < 90 ? "\(seconds) s" : "\((seconds + 59) / 60) min"
    }
}
