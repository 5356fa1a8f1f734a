import Foundation

/// A signed-in browser. The cookie's value is never stored, only its SHA-256 (`idHash`), so
/// the database alone signs nobody in.
public struct WebSession: Hashable, Sendable {
    /// Hex SHA-256 of the session cookie's value.
    public var idHash: String
    public var user: String
    /// Sent with every state-changing request; useless without the cookie.
    public var csrf: String
    public var createdAt: Date
    /// Touched at most about once a minute (`WebStateStore.touchSession`), not on every request.
    public var lastSeen: Date

    public init(idHash: String, user: String, csrf: String, createdAt: Date, lastSeen: Date) {
        self.idHash = idHash
        self.user = user
        self.csrf = csrf
        self.createdAt = createdAt
        self.lastSeen = lastSeen
    }
}

/// What the sign-in rate limit needs to know about one attempt (user name and client address),
/// counted within the window the caller gives.
public struct SignInFailures: Hashable, Sendable {
    /// Failures in a row on the user name (zero once its last failure left the window).
    public var userFailures: Int
    public var userLastFailure: Date?
    /// The address's failures within the window, and the oldest of them.
    public var peerFailures: Int
    public var peerOldestFailure: Date?
    /// The address signed in successfully before.
    public var peerTrusted: Bool

    public init(userFailures: Int = 0, userLastFailure: Date? = nil, peerFailures: Int = 0, peerOldestFailure: Date? = nil, peerTrusted: Bool = false) {
        self.userFailures = userFailures
        self.userLastFailure = userLastFailure
        self.peerFailures = peerFailures
        self.peerOldestFailure = peerOldestFailure
        self.peerTrusted = peerTrusted
    }
}

/// An OAuth sign-in under way, as the store sees it: keyed by the SHA-256 of its `state`, the
/// rest sealed by the web app with a key only the state gives (so the PKCE verifier and the
/// tokens a finished sign-in brings are not readable from the database alone).
public struct PendingSignIn: Hashable, Sendable {
    public var idHash: String
    /// Still waiting for the provider's answer: only one answer may finish it (`replaceSignIn`).
    public var pending: Bool
    public var sealed: Data
    public var expiresAt: Date

    public init(idHash: String, pending: Bool, sealed: Data, expiresAt: Date) {
        self.idHash = idHash
        self.pending = pending
        self.sealed = sealed
        self.expiresAt = expiresAt
    }
}

/// What an API token may do.
public enum APITokenScope: String, Codable, Sendable, CaseIterable {
    /// GET (and HEAD) only.
    case read
    /// Everything an admin's session may do.
    case admin
}

/// A token for scripts and monitoring: shown once, kept only as its SHA-256.
public struct APIToken: Hashable, Sendable {
    /// Short and random; names the token in lists and `token revoke` (not the secret).
    public var id: String
    public var name: String
    public var tokenHash: String
    public var scope: APITokenScope
    public var createdBy: String
    public var createdAt: Date
    public var lastUsed: Date?

    public init(id: String, name: String, tokenHash: String, scope: APITokenScope, createdBy: String, createdAt: Date, lastUsed: Date? = nil) {
        self.id = id
        self.name = name
        self.tokenHash = tokenHash
        self.scope = scope
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.lastUsed = lastUsed
    }
}

/// The web servers' shared state: sessions, the sign-in rate limit's counters, OAuth sign-ins
/// under way, the setup code and API tokens. Kept in the store so any number of `serve`
/// processes on one database behave as one, and a restart signs nobody out.
/// Expired rows are dropped where a read meets them and by `sweepWebState`.
public protocol WebStateStore: Sendable {
    // MARK: Sessions
    func insertSession(_ session: WebSession) throws
    func session(idHash: String) throws -> WebSession?
    /// Sets the session's last-seen time (no-op when it is gone).
    func touchSession(idHash: String, at: Date) throws
    func deleteSession(idHash: String) throws

    // MARK: Sign-in rate limit
    /// The counts for `user` and `peer`, ignoring failures at or before `since` (the window's
    /// start: a failure exactly a window ago has left it).
    func signInFailures(user: String, peer: String, since: Date) throws -> SignInFailures
    /// One more failure for both; a user name's count restarts when its last failure is at or before `since`.
    func recordSignInFailure(user: String, peer: String, at: Date, since: Date) throws
    /// Forgets the user name's failures and trusts the address (not forgetting its own failures).
    func recordSignInSuccess(user: String, peer: String, at: Date) throws

    // MARK: OAuth sign-ins under way
    /// Fails (`.conflict`) when the id hash exists.
    func insertSignIn(_ signIn: PendingSignIn) throws
    /// Nil when absent or expired at `now` (an expired one is deleted).
    func signIn(idHash: String, now: Date) throws -> PendingSignIn?
    /// Replaces it only while the stored one is still pending: two answers to one sign-in (two
    /// servers) cannot both finish it. False when it is not (or is gone).
    func replaceSignIn(_ signIn: PendingSignIn, ifPending: Bool) throws -> Bool
    func deleteSignIn(idHash: String) throws

    // MARK: Setup code
    /// The installation's setup code: `candidate` is stored when there is none yet (atomically:
    /// of servers starting together, one code wins and all show it).
    func setupCode(creating candidate: String) throws -> String
    func deleteSetupCode() throws

    // MARK: API tokens
    /// Newest first.
    func apiTokens() throws -> [APIToken]
    func apiToken(hash: String) throws -> APIToken?
    /// Fails (`.conflict`) when the id or hash exists.
    func insertAPIToken(_ token: APIToken) throws
    /// False when there is none with this id.
    func deleteAPIToken(id: String) throws -> Bool
    func touchAPIToken(id: String, at: Date) throws

    // MARK: Sweep
    /// Deletes sessions last seen before `sessionsSeenBefore`, sign-ins expired by `now`, and
    /// rate-limit failures from before `failuresBefore`.
    func sweepWebState(now: Date, sessionsSeenBefore: Date, failuresBefore: Date) throws
}
