import Foundation
import Synchronization

/// The Google People API (v1) and Google's OAuth 2.0 endpoints on loopback, faithful enough for
/// Google's own clients (google-api-python-client with the shipped discovery document).
///
/// ```swift
/// let g = PeopleEmulator()
/// g.addAccount(email: "ann@example.com", clientID: "cid", clientSecret: "secret")
/// let base = try await g.start()            // http://127.0.0.1:PORT/  (api_endpoint / rootUrl)
/// let (access, refresh) = g.issueTokens(for: "ann@example.com")
/// g.faults.inject(.httpStatus(503), operation: "people.connections.list")
/// g.expireSyncTokens(); g.expireAccessTokens()
/// await g.stop()
/// ```
public final class PeopleEmulator: Sendable {
    public static let contactsScope = "https://www.googleapis.com/auth/contacts"

    /// How `/o/oauth2/v2/auth` answers: redirect at once, or show an "Allow" page that posts back.
    public enum Consent: Sendable { case autoApprove, consentPage }
    /// The answer once an account's per-minute budget is spent.
    public enum QuotaAnswer: Sendable { case resourceExhausted429, rateLimitExceeded403, userRateLimitExceeded403 }

    struct Settings: Sendable {
        var consent = Consent.autoApprove
        var requirePKCE = true
        var rotateRefreshTokens = false
        var syncTokenMaxAge: TimeInterval = 7 * 24 * 3600
        var quota: Int?
        var quotaAnswer = QuotaAnswer.resourceExhausted429
        var quotaRetryAfter: Int?
    }
    struct Stats: Sendable {
        var requests: [String: Int] = [:]
        /// Requests per account in the current minute window (window start, count). The window
        /// opens at an account's first request, not on a wall-clock minute, so a test's few
        /// requests never straddle a reset.
        var window: [String: (Date, Int)] = [:]
        var throttled = 0
    }

    /// Fault plan (operation names are Google method ids, e.g. `people.connections.list`, plus `oauth.token`).
    public let faults = FaultInjector()
    let store = PeopleStore()
    let settings = Mutex(Settings())
    let clock = EmulatorClock()
    let stats = Mutex(Stats())
    let oauth: OAuthServer
    private let server = Mutex<EmulatorHTTPServer?>(nil)
    private let base = Mutex<String?>(nil)

    public init() {
        let clock = self.clock
        oauth = OAuthServer(now: { clock.now })
    }

    // MARK: Accounts and tokens

    /// Adds a Google account reachable through OAuth client `clientID` (created on first use).
    /// `redirectURIs` empty: any loopback redirect is accepted, as for Google's desktop clients.
    public func addAccount(email: String, clientID: String, clientSecret: String, displayName: String? = nil,
                           redirectURIs: [String] = []) {
        store.add(PeopleAccount(email: email, displayName: displayName ?? email, now: now))
        oauth.addClient(clientID, secret: clientSecret, account: email, redirectURIs: redirectURIs)
    }

    public var accounts: [String] { store.emails }

    /// Access and refresh tokens for `email`, as if the browser flow had run (for tests that skip it).
    public func issueTokens(for email: String, scope: String = PeopleEmulator.contactsScope) -> (access: String, refresh: String) {
        let client = oauth.state.withLock { $0.clients.first { $0.value.accounts.contains(email) }?.key } ?? ""
        let t = oauth.issue(account: email, client: client, scope: scope, withRefresh: true)
        return (t.access, t.refresh!)
    }

    public var consent: Consent {
        get { settings.withLock { $0.consent } }
        set { settings.withLock { $0.consent = newValue } }
    }
    /// Refuse authorization requests without a `code_challenge` (default true).
    public var requirePKCE: Bool {
        get { settings.withLock { $0.requirePKCE } }
        set { settings.withLock { $0.requirePKCE = newValue } }
    }
    /// A refresh grant also answers a new refresh token and revokes the one used (Google does this
    /// for some clients and policies; a client must keep the newest).
    public var rotateRefreshTokens: Bool {
        get { settings.withLock { $0.rotateRefreshTokens } }
        set { settings.withLock { $0.rotateRefreshTokens = newValue } }
    }
    /// Lifetime of new access tokens, seconds (Google: 3599).
    public var accessTokenLifetime: Int {
        get { oauth.accessLifetime.withLock { $0 } }
        set { oauth.accessLifetime.withLock { $0 = newValue } }
    }
    /// Every access token handed out so far answers 401 from now on; refresh tokens still work.
    public func expireAccessTokens() { oauth.expireAccessTokens() }
    /// Refresh tokens (all, or one account's) answer `invalid_grant`; their access tokens stop working.
    public func revokeRefreshTokens(for email: String? = nil) { oauth.revokeRefreshTokens(account: email) }

    // MARK: Clock, sync tokens, quota

    /// The emulator's clock (wall clock plus `advanceClock`): token expiry, sync token age, quota windows.
    public var now: Date { clock.now }
    public func advanceClock(by seconds: TimeInterval) { clock.advance(by: seconds) }
    /// From now on the clock moves only by `advanceClock` (a test's injected waits).
    public func freezeClock() { clock.freeze() }

    /// Age after which a sync token is refused with EXPIRED_SYNC_TOKEN (Google: 7 days).
    public var syncTokenMaxAge: TimeInterval {
        get { settings.withLock { $0.syncTokenMaxAge } }
        set { settings.withLock { $0.syncTokenMaxAge = newValue } }
    }
    /// Every sync token handed out so far is refused with EXPIRED_SYNC_TOKEN.
    public func expireSyncTokens() { store.forEach { $0.syncEpoch += 1; $0.syncTokens = [:] } }
    /// Every page token handed out so far is refused ("Page token is not valid."), as Google
    /// does once a listing's snapshot is gone.
    public func expirePageTokens() { store.forEach { $0.pages = [:] } }

    /// People API requests allowed per account per (emulator-clock) minute; nil: unlimited.
    public func setQuota(requestsPerMinute: Int?, answer: QuotaAnswer = .resourceExhausted429, retryAfter: Int? = nil) {
        settings.withLock { $0.quota = requestsPerMinute; $0.quotaAnswer = answer; $0.quotaRetryAfter = retryAfter }
        stats.withLock { $0.window = [:] }
    }

    // MARK: Lifecycle

    /// Starts on 127.0.0.1 and returns the root URL (`http://127.0.0.1:PORT/`): the API endpoint and
    /// the OAuth host at once.
    @discardableResult
    public func start(port: Int = 0) async throws -> URL {
        if let url = baseURL { return url }
        let server = EmulatorHTTPServer(serverName: "ESF") { [self] request, context in await handle(request, context) }
        self.server.withLock { $0 = server }
        let bound = try await server.start(port: port)
        base.withLock { $0 = "http://127.0.0.1:\(bound)" }
        return baseURL!
    }

    /// Stops the server; accounts, contacts and tokens are kept.
    public func stop() async {
        let server = self.server.withLock { s in defer { s = nil }; return s }
        await server?.stop()
        base.withLock { $0 = nil }
    }

    public var baseURL: URL? { base.withLock { $0 }.flatMap { URL(string: $0 + "/") } }
    public var authorizationEndpoint: URL? { base.withLock { $0 }.flatMap { URL(string: $0 + "/o/oauth2/v2/auth") } }
    public var tokenEndpoint: URL? { base.withLock { $0 }.flatMap { URL(string: $0 + "/token") } }
    var root: String { base.withLock { $0 } ?? "http://127.0.0.1" }

    // MARK: Counters

    /// Requests per operation (Google method ids such as `people.connections.list`;
    /// `oauth.authorize`, `oauth.token.authorization_code`, `oauth.token.refresh_token`), faulted ones included.
    public var requestCounts: [String: Int] { stats.withLock { $0.requests } }
    public func requestCount(_ operation: String) -> Int { stats.withLock { $0.requests[operation] ?? 0 } }
    /// Requests refused by the quota.
    public var throttledCount: Int { stats.withLock { $0.throttled } }
    public func resetCounters() { stats.withLock { $0.requests = [:]; $0.throttled = 0 } }

    func count(_ operation: String) { stats.withLock { $0.requests[operation, default: 0] += 1 } }

    /// Spends one request of the account's budget; the error to answer when it is gone.
    func spendQuota(account: String, write: Bool) -> GoogleError? {
        let (limit, answer, retryAfter) = settings.withLock { ($0.quota, $0.quotaAnswer, $0.quotaRetryAfter) }
        guard let limit else { return nil }
        let now = self.now
        let allowed = stats.withLock { st -> Bool in
            var (start, used) = st.window[account] ?? (now, 0)
            if now.timeIntervalSince(start) >= 60 { (start, used) = (now, 0) }
            used += 1
            st.window[account] = (start, used)
            if used > limit { st.throttled += 1 }
            return used <= limit
        }
        if allowed { return nil }
        switch answer {
        case .resourceExhausted429: return .quotaExceeded(write: write, retryAfter: retryAfter)
        case .rateLimitExceeded403: return .rateLimit403(reason: "rateLimitExceeded", retryAfter: retryAfter)
        case .userRateLimitExceeded403: return .rateLimit403(reason: "userRateLimitExceeded", retryAfter: retryAfter)
        }
    }
}
