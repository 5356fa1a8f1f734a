import Foundation
import Synchronization

/// Microsoft Graph (v1.0: personal contacts, contact folders, delta, `$batch`, the directory) and
/// the Microsoft identity platform v2 endpoints on loopback, faithful enough for msgraph-sdk.
///
/// Stable API for tests (PROTOCOLS.md §1, §2.1):
/// ```swift
/// let g = GraphEmulator()                                    // one tenant: g.tenantID, g.domain
/// let ann = g.addUser(displayName: "Ann Lee", mailNickname: "ann")   // a user with a mailbox
/// g.addApp(clientID: "cid", secret: "s")                     // an app registration
/// let root = try await g.start()                             // http://127.0.0.1:PORT/
/// g.graphURL      // http://127.0.0.1:PORT/v1.0   (msgraph-sdk: adapter.base_url)
/// g.authorityURL  // http://127.0.0.1:PORT        (+ /{tenant}/oauth2/v2.0/authorize|token)
/// let t = g.issueTokens(for: ann.upn, clientID: "cid")      // delegated, without the browser
/// let app = g.issueAppToken(clientID: "cid")                // client credentials
/// try g.createContact(in: ann.upn, fields: ["givenName": "Bo"])   // see GraphEmulator+Inspection
/// g.faults.inject(.httpStatus(503), operation: "contacts.delta")  // see GraphRoute.operation
/// g.expireDeltaTokens(); g.expireAccessTokens(); g.advanceClock(by: 3600)
/// g.concurrencyLimit = 4; g.setRequestBudget(100)            // 429 ApplicationThrottled / TooManyRequests
/// await g.stop()
/// ```
/// Operation names (counts and faults): `contacts.list|get|create|update|delete|delta`,
/// `contacts.photo.get|put`, `contactFolders.list|get|create|delete`, `translateExchangeIds`,
/// `users.list|get|delta|photo`, `groups.list|get|members`, `batch`, `oauth.authorize`,
/// `oauth.token.<grant_type>`. `$batch` members are counted, throttled and faulted one by one.
/// `$batch` answers its members in reverse order by default (`batchAnswersInOrder`), since
/// Graph promises no order.
public final class GraphEmulator: Sendable {
    public static let defaultScope = "https://graph.microsoft.com/.default"

    public enum Consent: Sendable { case autoApprove, consentPage }
    /// How an expired or unknown delta token is answered (PROTOCOLS.md §1.2).
    public enum DeltaExpiry: Sendable { case gone410, syncStateNotFound }

    struct Settings: Sendable {
        var consent = Consent.autoApprove
        var rotateRefreshTokens = true
        var deltaExpiry = DeltaExpiry.gone410
        var replayInDelta = false
        var concurrencyLimit = 4
        var concurrencyRetryAfter: Int?
        var budget: Int?
        var budgetWindow: TimeInterval = 600
        var budgetRetryAfter: Int? = 10
        var batchAnswersInOrder = false
    }
    struct Stats: Sendable {
        var operations: [String: Int] = [:]
        var paths: [String: Int] = [:]
        var throttled = 0
        var inFlight: [String: Int] = [:]
        var peakInFlight: [String: Int] = [:]
        var window: [String: (Date, Int)] = [:]
    }

    public let tenantID: String
    public let domain: String
    /// Fault plan, by operation name (see above).
    public let faults = FaultInjector()
    let store = GraphStore()
    let settings = Mutex(Settings())
    let stats = Mutex(Stats())
    let clock = EmulatorClock()
    let oauth: OAuthServer
    private let server = Mutex<EmulatorHTTPServer?>(nil)
    private let base = Mutex<String?>(nil)

    public init(tenantID: String = "8a1f4f1e-5c6e-4c53-9d0e-3f9a0c3e7b21", domain: String = "contoso.example") {
        self.tenantID = tenantID
        self.domain = domain
        let clock = self.clock
        oauth = OAuthServer(now: { clock.now }, prefixes: ("0.AQ", "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.", "0.AR"))
    }

    // MARK: Apps and tokens

    /// Registers an app (client id + secret). `redirectURIs` empty: any loopback URI, as for a
    /// "Mobile and desktop" platform.
    public func addApp(clientID: String, secret: String, redirectURIs: [String] = []) {
        oauth.addClient(clientID, secret: secret, account: "", redirectURIs: redirectURIs)
    }

    /// Delegated tokens for a user, as if the browser flow had run.
    public func issueTokens(for upn: String, clientID: String,
                            scope: String = "Contacts.ReadWrite User.Read User.Read.All offline_access") -> (access: String, refresh: String) {
        let id = store.with { $0.userID(upn) } ?? upn
        let t = oauth.issue(account: id, client: clientID, scope: scope, withRefresh: true)
        return (t.access, t.refresh!)
    }

    /// An app-only token (client credentials).
    public func issueAppToken(clientID: String) -> String {
        oauth.issue(account: "", client: clientID, scope: Self.defaultScope, withRefresh: false).access
    }

    public var consent: Consent {
        get { settings.withLock { $0.consent } }
        set { settings.withLock { $0.consent = newValue } }
    }
    /// A refresh grant answers a new refresh token and revokes the one used (default true: the
    /// strict reading of Microsoft's rotation, so a client must keep the newest).
    public var rotateRefreshTokens: Bool {
        get { settings.withLock { $0.rotateRefreshTokens } }
        set { settings.withLock { $0.rotateRefreshTokens = newValue } }
    }
    /// Lifetime of new access tokens, seconds (Microsoft: 3599 or more).
    public var accessTokenLifetime: Int {
        get { oauth.accessLifetime.withLock { $0 } }
        set { oauth.accessLifetime.withLock { $0 = newValue } }
    }
    public func expireAccessTokens() { oauth.expireAccessTokens() }
    public func revokeRefreshTokens(forUser upn: String? = nil) {
        oauth.revokeRefreshTokens(account: upn.map { u in store.with { $0.userID(u) } ?? u })
    }

    // MARK: Clock, delta, throttling

    public var now: Date { clock.now }
    public func advanceClock(by seconds: TimeInterval) { clock.advance(by: seconds) }

    public var deltaExpiry: DeltaExpiry {
        get { settings.withLock { $0.deltaExpiry } }
        set { settings.withLock { $0.deltaExpiry = newValue } }
    }
    /// Each delta round sends its first change again at the end (Graph may replay).
    public var replayInDelta: Bool {
        get { settings.withLock { $0.replayInDelta } }
        set { settings.withLock { $0.replayInDelta = newValue } }
    }
    /// Every delta and skip token handed out so far (contacts of every mailbox, and users) is refused.
    public func expireDeltaTokens() {
        store.with { t in
            for k in t.mailboxes.keys { t.mailboxes[k]!.deltaEpoch += 1; t.mailboxes[k]!.rounds = [:] }
            t.directoryEpoch += 1
        }
    }
    /// Requests running at once per mailbox before 429 ApplicationThrottled (Outlook: 4).
    public var concurrencyLimit: Int {
        get { settings.withLock { $0.concurrencyLimit } }
        set { settings.withLock { $0.concurrencyLimit = newValue } }
    }
    /// Retry-After (seconds) on the concurrency 429; nil: none, as Outlook often sends.
    public var concurrencyRetryAfter: Int? {
        get { settings.withLock { $0.concurrencyRetryAfter } }
        set { settings.withLock { $0.concurrencyRetryAfter = newValue } }
    }
    /// Requests per mailbox per window (emulator clock) before 429 TooManyRequests; nil: unlimited.
    public func setRequestBudget(_ requests: Int?, window: TimeInterval = 600, retryAfter: Int? = 10) {
        settings.withLock { $0.budget = requests; $0.budgetWindow = window; $0.budgetRetryAfter = retryAfter }
        stats.withLock { $0.window = [:] }
    }
    public var batchAnswersInOrder: Bool {
        get { settings.withLock { $0.batchAnswersInOrder } }
        set { settings.withLock { $0.batchAnswersInOrder = newValue } }
    }

    // MARK: Lifecycle

    /// Starts on 127.0.0.1 and returns the root URL (`http://127.0.0.1:PORT/`), which is both the
    /// authority host and the Graph host.
    @discardableResult
    public func start(port: Int = 0) async throws -> URL {
        if let url = baseURL { return url }
        let server = EmulatorHTTPServer(serverName: "Microsoft-IIS/10.0") { [self] request, context in await handle(request, context) }
        self.server.withLock { $0 = server }
        let bound = try await server.start(port: port)
        base.withLock { $0 = "http://127.0.0.1:\(bound)" }
        return baseURL!
    }

    /// Stops the server; the tenant and tokens are kept.
    public func stop() async {
        let server = self.server.withLock { s in defer { s = nil }; return s }
        await server?.stop()
        base.withLock { $0 = nil }
    }

    public var port: Int? { server.withLock { $0?.port } }
    public var baseURL: URL? { base.withLock { $0 }.flatMap { URL(string: $0 + "/") } }
    /// `http://127.0.0.1:PORT/v1.0`.
    public var graphURL: URL? { base.withLock { $0 }.flatMap { URL(string: $0 + "/v1.0") } }
    /// `http://127.0.0.1:PORT`: endpoints are `{authority}/{tenant}/oauth2/v2.0/authorize|token`.
    public var authorityURL: URL? { base.withLock { $0 }.flatMap { URL(string: $0) } }
    public var tokenEndpoint: URL? { authorityURL?.appendingPathComponent("\(tenantID)/oauth2/v2.0/token") }
    var root: String { base.withLock { $0 } ?? "http://127.0.0.1" }

    // MARK: Counters

    /// Requests per operation name, faulted and throttled ones included.
    public var requestCounts: [String: Int] { stats.withLock { $0.operations } }
    public func requestCount(_ operation: String) -> Int { stats.withLock { $0.operations[operation] ?? 0 } }
    /// Requests per method and path (`GET /v1.0/me/contacts`), without the query.
    public var pathCounts: [String: Int] { stats.withLock { $0.paths } }
    /// Requests refused by the concurrency limit or the budget.
    public var throttledCount: Int { stats.withLock { $0.throttled } }
    /// The most requests seen running at once on one mailbox.
    public func peakConcurrency(mailbox upn: String) -> Int {
        let id = store.with { $0.userID(upn) } ?? upn
        return stats.withLock { $0.peakInFlight[id] ?? 0 }
    }
    public func resetCounters() { stats.withLock { $0.operations = [:]; $0.paths = [:]; $0.throttled = 0; $0.peakInFlight = [:] } }

    func count(_ operation: String, path: String?) {
        stats.withLock { st in
            st.operations[operation, default: 0] += 1
            if let path { st.paths[path, default: 0] += 1 }
        }
    }
}
