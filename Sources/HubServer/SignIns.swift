import Foundation
import Synchronization
import SyncModel

/// OAuth sign-ins under way ("Sign in with Google"): begun by a session, finished by the
/// provider's redirect to `/oauth/<kind>/callback`. The `state` sent to the provider is the
/// sign-in's random id, so an answer finishes only the sign-in that asked for it.
final class SignIns: Sendable {
    enum Status: String, Sendable { case pending, done, failed }

    struct Entry: Sendable {
        var kind: SpokeKind
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

    private let entries = Mutex<[String: Entry]>([:])
    private let clock: @Sendable () -> Date
    /// An unfinished or unused sign-in is forgotten after this long.
    let lifetime: TimeInterval = 30 * 60

    init(clock: @escaping @Sendable () -> Date) { self.clock = clock }

    /// `prefix`: says, even once the sign-in is forgotten, whose it was (an invitee's).
    func begin(_ entry: Entry, prefix: String = "") -> String {
        let id = prefix + Token.random()
        let now = clock()
        entries.withLock { all in
            all = all.filter { now.timeIntervalSince($0.value.startedAt) < lifetime }
            all[id] = entry
        }
        return id
    }

    func update(_ id: String, _ entry: Entry) { entries.withLock { $0[id] = entry } }

    /// The pending sign-in an answer's `state` names.
    func pending(_ id: String) -> Entry? {
        entries.withLock { $0[id] }.flatMap { $0.status == .pending && clock().timeIntervalSince($0.startedAt) < lifetime ? $0 : nil }
    }

    func finish(_ id: String, settings: [String: String], account: String?) {
        entries.withLock {
            $0[id]?.status = .done
            $0[id]?.settings = settings
            $0[id]?.account = account
        }
    }

    func fail(_ id: String, _ error: String) {
        entries.withLock {
            $0[id]?.status = .failed
            $0[id]?.error = error
        }
    }

    /// The sign-in, only to the session that began it.
    func entry(_ id: String, session: String) -> Entry? {
        entries.withLock { $0[id] }.flatMap { $0.session == session ? $0 : nil }
    }

    /// Once its spoke exists, the sign-in's tokens are not handed out again.
    func forget(_ id: String) { _ = entries.withLock { $0.removeValue(forKey: id) } }
}
