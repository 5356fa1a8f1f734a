import Foundation
import HummingbirdBcrypt
import SyncStore

/// Sign-in checks: bcrypt hashes in the store, and the login rate limit and setup code in its
/// web state (shared by every server of the installation).
final class Accounts: Sendable {
    let store: any AccountStore
    let cost: UInt8
    /// This server's proposal for the setup code: the store keeps the first server's.
    let setupCandidate: String
    let throttle: LoginThrottle
    private let clock: @Sendable () -> Date
    /// Verified against when the user does not exist, so a wrong name costs as long as a
    /// wrong password (no user enumeration by timing).
    private let decoy: String

    init(store: any AccountStore, web: any WebStateStore, cost: UInt8, setupToken: String, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.cost = cost
        setupCandidate = setupToken
        throttle = LoginThrottle(store: web)
        self.clock = clock
        decoy = Bcrypt.hash(Token.random(), cost: cost)
    }

    static let minimumPasswordLength = 10

    var needsSetup: Bool { ((try? store.accountCount()) ?? 0) == 0 }

    /// The installation's one-time setup code (made by the first server that asks).
    func setupCode() throws -> String { try throttle.store.setupCode(creating: setupCandidate) }

    /// The first-run admin; fails once any account exists, or without the setup code (unless
    /// `trusted`: the composition root itself).
    func createFirst(user: String, password: String, token: String?, trusted: Bool = false) throws -> String {
        guard needsSetup else { throw APIError(.conflict, words: APIWords.adminExists) }
        if !trusted {
            let given = (token ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard Token.equal(given, try setupCode()) else {
                throw APIError(.forbidden, words: APIWords.setupCode, field: "setupToken")
            }
        }
        let name = try Self.validName(user)
        try Self.checkStrength(password)
        let account = AdminAccount(name: name, passwordHash: Bcrypt.hash(password, cost: cost), createdAt: clock())
        guard try store.createFirstAccount(account) else {
            throw APIError(.conflict, words: APIWords.adminExists)
        }
        // One-time: gone once it made the admin (the first-run pages refuse anyway).
        try? throttle.store.deleteSetupCode()
        return name
    }

    /// The user name when the password is right; a 401 or (too many failures) a 429 otherwise.
    func verify(user: String, password: String, peer: String) throws -> String {
        let name = user.trimmingCharacters(in: .whitespaces)
        let key = String(name.lowercased().prefix(Self.maxNameLength + 1))
        switch try throttle.retryAfter(user: key, peer: peer, now: clock()) {
        case .peer(let wait):
            throw APIError(.tooManyRequests, words: APIWords.tooManyFromAddress, ["wait": Self.minutes(wait)]).retrying(after: wait)
        case .user(let wait):
            throw APIError(.tooManyRequests, words: APIWords.tooManyForUser, ["wait": Self.minutes(wait)]).retrying(after: wait)
        case nil: break
        }
        let account = try store.account(named: name)
        let ok = Bcrypt.verify(password, hash: account?.passwordHash ?? decoy) && account != nil
        guard ok else {
            try throttle.failed(user: key, peer: peer, now: clock())
            throw APIError(.unauthorized, words: APIWords.wrongPassword)
        }
        try throttle.succeeded(user: key, peer: peer, now: clock())
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
