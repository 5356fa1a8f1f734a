import Foundation
import Hummingbird
import Logging
import Mail
import ServiceLifecycle
import Synchronization
import SyncEngine
import SyncModel
import SyncStore

/// The web app: the wizard, the hub pages and the JSON API, plus the scheduler. Built by the
/// composition root with a store and a `SpokeProvider`; it knows no concrete store or connector.
public final class HubApp: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// The address browsers use (behind a proxy, say): OAuth redirects are built on it.
        /// Default: the listen address (never a request's Host header).
        public var publicURL: URL?
        /// More names the server answers to (besides the listen address and `publicURL`): any
        /// other Host is refused, which is what defeats DNS rebinding.
        public var allowedHosts: [String]
        /// Addresses of reverse proxies whose `X-Forwarded-For` names the client (the sign-in
        /// throttle is per client address; without this, every client is the proxy).
        public var trustedProxies: [String]
        /// Cookies only over https. Default: when `publicURL` is https.
        public var secureCookies: Bool
        /// bcrypt work factor (tests use the minimum, 4).
        public var bcryptCost: UInt8
        public var scheduler: Bool
        /// Whether "Sync now" runs the pass in this process; false (a web-only server in front of
        /// `hubsync worker`s) asks the workers for it through the store.
        public var runsPasses = true
        /// The one-time code the first-run setup asks for (nil: a random one, `HubApp.setupCode`):
        /// whoever, or whatever page, reaches the server first must not become its admin. The
        /// composition root prints it where the server starts.
        public var setupToken: String?
        /// History older than this is let go at the end of each pass (nil: kept).
        public var keepHistory: TimeInterval?
        /// Passes running at once; the others wait their turn.
        public var maxPasses = 8
        /// Invitations: how their mail goes out (nil: the link is only shown), who it is from, and
        /// the organisation the invitee reads (nil: this server's name).
        public var mail: MailTransport? = nil
        public var mailFrom: String? = nil
        public var organisation: String? = nil
        /// On SIGTERM, how long running passes may take to finish before they are cancelled.
        public var shutdownGrace: Duration = .seconds(30)
        /// `/metrics` for any client, not only loopback, trusted proxies and signed-in admins.
        public var metricsOpen = false

        public init(
            host: String = "127.0.0.1", port: Int = 8080, publicURL: URL? = nil, secureCookies: Bool? = nil,
            bcryptCost: UInt8 = 12, scheduler: Bool = true, setupToken: String? = nil, allowedHosts: [String] = [],
            trustedProxies: [String] = []
        ) {
            self.trustedProxies = trustedProxies
            self.setupToken = setupToken
            self.allowedHosts = allowedHosts
            self.host = host
            self.port = port
            self.publicURL = publicURL
            self.secureCookies = secureCookies ?? (publicURL?.scheme == "https")
            self.bcryptCost = bcryptCost
            self.scheduler = scheduler
        }
    }

    let settings: Settings
    let store: any SyncStore & AccountStore
    let provider: any SpokeProvider
    let accounts: Accounts
    let sessions: SessionStore
    let signIns: SignIns
    /// Sessions, the rate limit, sign-ins under way, the setup code and API tokens.
    let webState: any WebStateStore
    let runner: SyncRunner
    let pages = Pages()
    let clock: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger
    /// What `/metrics` shows: this server's own registry (see `HubMetrics`).
    public let metrics: HubMetrics
    /// What `/readyz` answers from.
    public let readiness = Readiness()
    private let serving = Mutex<(task: Task<Void, any Error>?, port: Int?)>((nil, nil))

    public init(
        store: any SyncStore & AccountStore, provider: any SpokeProvider, settings: Settings = Settings(),
        lock: @escaping @Sendable (HubID) throws -> AnyObject? = { _ in NSObject() },
        clock: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "hubsync.server") { _ in SwiftLogNoOpLogHandler() }, metrics: HubMetrics = HubMetrics()
    ) {
        self.metrics = metrics
        self.settings = settings
        self.store = store
        self.provider = provider
        self.clock = clock
        self.sleep = sleep
        self.logger = logger
        webState = Self.webState(of: store, logger: logger)
        accounts = Accounts(
            store: store, web: webState, cost: settings.bcryptCost, setupToken: settings.setupToken ?? Self.newSetupToken(), clock: clock)
        sessions = SessionStore(store: webState, failureWindow: accounts.throttle.window, clock: clock)
        signIns = SignIns(store: webState, clock: clock)
        var engine = SyncEngine(store: store, clock: clock, logger: logger)
        engine.keepHistory = settings.keepHistory
        // Every server and worker of an installation leases the hubs it syncs from the store.
        let lease = (store as? any HubLeaseStore).map { PassLease(store: $0, worker: PassLease.newWorkerID()) }
        runner = SyncRunner(
            engine: engine, provider: provider, lock: lock, maxPasses: settings.maxPasses, lease: lease,
            asksWorkers: !settings.runsPasses, metrics: metrics, logger: logger)
    }

    /// The first admin, made by the composition root itself (the demo's pre-made login): no
    /// setup code needed.
    public func createAdmin(user: String, password: String) throws {
        _ = try accounts.createFirst(user: user, password: password, token: nil, trusted: true)
    }

    /// The code the first-run page asks for, while no admin exists (print it where the server
    /// starts); nil once there is one.
    public var setupCode: String? { accounts.needsSetup ? try? accounts.setupCode() : nil }

    /// A setup code for `Settings.setupToken`: short enough to type.
    public static func newSetupToken() -> String {
        (0..<3).map { _ in Token.readable(4) }.joined(separator: "-")
    }

    /// The routes, for `run`/`start` and for tests (HummingbirdTesting).
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: SessionMiddleware(sessions: sessions, tokens: apiTokens, policy: policy, trustedProxies: Set(settings.trustedProxies), logger: logger))
        addAuthRoutes(router)
        addCatalogRoutes(router)
        addLanguageRoutes(router)
        addHubRoutes(router)
        addGroupRoutes(router)
        addMigrationRoutes(router)
        addActivityRoutes(router)
        addDetailRoutes(router)
        addCalendarRoutes(router)
        addInvitationRoutes(router)
        addOpsRoutes(router)
        addTokenRoutes(router)
        return router
    }

    func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var app = Application(
            router: router(), configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "HubSync"),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port ?? 0
                // The bound port, for the OAuth redirect (`callbackBase`) when settings.port is 0.
                self.serving.withLock { $0.port = port }
                await onRunning(port)
            }, logger: logger)
        if settings.scheduler {
            app.addServices(Scheduler(runner: runner, clock: clock, sleep: sleep, logger: logger, readiness: readiness))
        }
        // Last: its shutdown comes first after the web server's, before the scheduler's.
        app.addServices(Drain(runner: runner, readiness: readiness, stop: GracefulStop(grace: settings.shutdownGrace), logger: logger))
        return app
    }

    /// Serves until SIGINT or SIGTERM, then lets running passes finish within the grace
    /// (`Settings.shutdownGrace`) and cancels the rest.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService()
        await runner.waitAll()
    }

    /// Serves in the background; the bound port (settings.port 0 picks a free one).
    public func start() async throws -> Int {
        let resumed = Mutex(false)
        let claim: @Sendable () -> Bool = { resumed.withLock { r in defer { r = true }; return !r } }
        return try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Int, any Error>) in
            let app = application { [self] port in
                self.serving.withLock { $0.port = port }
                if claim() { cont.resume(returning: port) }
            }
            let task = Task { try await app.run() }
            serving.withLock { $0.task = task }
            Task {
                // A bind that fails ends the task before the server runs.
                let error: any Error = await { do { try await task.value; return CancellationError() } catch { return error } }()
                if claim() { cont.resume(throwing: error) }
            }
        }
    }

    public func stop() async {
        let task = serving.withLock { s in defer { s = (nil, nil) }; return s.task }
        task?.cancel()
        _ = try? await task?.value
        await runner.waitAll()
    }

    var policy: RequestPolicy {
        RequestPolicy(listen: settings.host, publicURL: settings.publicURL, allowed: settings.allowedHosts)
    }

    /// Where a provider sends a sign-in back: --public-url, else the address the server listens
    /// on (with the port it bound). Never the request's Host: a forged one would send the code
    /// elsewhere.
    func callbackBase() throws -> String {
        if let publicURL = settings.publicURL { return publicURL.absoluteString.trimmingSuffix("/") }
        let host = RequestPolicy.name(settings.host)
        guard !RequestPolicy.wildcards.contains(host) else {
            throw APIError(.unprocessableContent, words: APIWords.everyAddress)
        }
        let port = serving.withLock { $0.port } ?? settings.port
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// Waits for the hub's running pass, if any.
    public func waitForSync(_ hub: HubID) async { await runner.wait(hub) }
}
