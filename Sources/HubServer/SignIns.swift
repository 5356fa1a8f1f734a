import Crypto
import Foundation
import SyncModel
import SyncStore

/// OAuth sign-ins under way ("Sign in with Google"): begun by a session, finished by the
/// provider's redirect to `/oauth/<kind>/callback`, on whichever server of the installation it
/// reaches. The `state` sent to the provider is the sign-in's random id, so an answer finishes
/// only the sign-in that asked for it. The store keeps the id's SHA-256 and the entry sealed
/// (AES-GCM) with a key made from the id, so the PKCE verifier, an invitee's link and the tokens
/// a finished sign-in brings are not readable from the database alone.
final class SignIns: Sendable {
    enum Status: String, Sendable, Codable { case pending, done, failed }

    struct Entry: Sendable, Codable {
        var kind: SpokeKind
        /// The SHA-256 of the id of the session that began it (`SignIns.owner`).
        var session: String
        var verifier: String
        var redirectURI: URL
        var startedAt: Date
        var status = Status.pending
        /// The sealed settings of a finished sign-in, handed to the new spoke.
        var settings: [String: String]?
        var account: String?
        var error: String?
        /// An invitee's sign-in: the invitation, and its link's token (for the page it ends on).
        var invitation: String? = nil
        var invitationToken: String? = nil
    }

    private let store: any WebStateStore
    private let clock: @Sendable () -> Date
    /// An unfinished or unused sign-in is forgotten after this long.
    let lifetime: TimeInterval = 30 * 60

    init(store: any WebStateStore, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.clock = clock
    }

    /// What an entry keeps of the session that began it.
    static func owner(_ session: Session) -> String { Token.hash(session.id) }

    /// `prefix`: says, even once the sign-in is forgotten, whose it was (an invitee's).
    func begin(_ entry: Entry, prefix: String = "") throws -> String {
        let id = prefix + Token.random()
        try store.insertSignIn(try Self.sealed(id, entry, expiresAt: entry.startedAt + lifetime))
        return id
    }

    /// The verifier, once the provider's URL is made (the id had to exist first).
    func update(_ id: String, _ entry: Entry) throws {
        _ = try store.replaceSignIn(try Self.sealed(id, entry, expiresAt: entry.startedAt + lifetime), ifPending: true)
    }

    /// The pending sign-in an answer's `state` names.
    func pending(_ id: String) throws -> Entry? {
        try opened(id).flatMap { $0.status == .pending ? $0 : nil }
    }

    /// False when another answer finished it first (another server, say).
    @discardableResult
    func finish(_ id: String, settings: [String: String], account: String?) throws -> Bool {
        try settle(id) {
            $0.status = .done
            $0.settings = settings
            $0.account = account
        }
    }

    @discardableResult
    func fail(_ id: String, _ error: String) throws -> Bool {
        try settle(id) {
            $0.status = .failed
            $0.error = error
        }
    }

    /// The sign-in, only to the session that began it.
    func entry(_ id: String, session: Session) throws -> Entry? {
        try opened(id).flatMap { Token.equal($0.session, Self.owner(session)) ? $0 : nil }
    }

    /// Once its spoke exists, the sign-in's tokens are not handed out again.
    func forget(_ id: String) throws { try store.deleteSignIn(idHash: Token.hash(id)) }

    private func settle(_ id: String, _ change: (inout Entry) -> Void) throws -> Bool {
        guard var entry = try pending(id) else { return false }
        change(&entry)
        var sealed = try Self.sealed(id, entry, expiresAt: entry.startedAt + lifetime)
        sealed.pending = false
        return try store.replaceSignIn(sealed, ifPending: true)
    }

    private func opened(_ id: String) throws -> Entry? {
        guard !id.isEmpty, id.utf8.count <= 200, let stored = try store.signIn(idHash: Token.hash(id), now: clock()) else { return nil }
        // A row that does not open with this id's key is not this sign-in's (or was tampered with).
        guard let box = try? AES.GCM.SealedBox(combined: stored.sealed),
            let json = try? AES.GCM.open(box, using: Self.key(id))
        else { return nil }
        return try? JSONDecoder().decode(Entry.self, from: json)
    }

    private static func sealed(_ id: String, _ entry: Entry, expiresAt: Date) throws -> PendingSignIn {
        let json = try JSONEncoder().encode(entry)
        guard let combined = try AES.GCM.seal(json, using: key(id)).combined else {
            throw APIError(.internalServerError, words: APIWords.serverFailed)
        }
        return PendingSignIn(idHash: Token.hash(id), pending: entry.status == .pending, sealed: combined, expiresAt: expiresAt)
    }

    /// Not the stored hash: a key nobody holding only the database can make.
    private static func key(_ id: String) -> SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data(("hubsync sign-in seal\u{0}" + id).utf8)))
    }
}
