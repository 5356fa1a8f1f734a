import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SyncEngine
import SyncModel
import SyncStore

/// `hubsync worker`: syncs the installation's due hubs, with no web app. Any number of them,
/// on any machines sharing the store, split the hubs between them through leases (a hub is
/// synced by one at a time; a dead worker's hubs go to another once its leases expire). Web
/// servers in front of them run with `--no-scheduler` and hand "Sync now" to them.
public final class HubWorker: Sendable {
    public struct Settings: Sendable {
        /// Passes this worker runs at once; it leases no more hubs than that.
        public var maxPasses = 8
        /// History older than this is let go at the end of each pass (nil: kept).
        public var keepHistory: TimeInterval?
        /// How long a lease lives unless renewed (a dead worker's hubs wait this long).
        public var leaseLength: TimeInterval = 60
        /// How often the worker looks for requests and hubs freed by others.
        public var poll: TimeInterval = 5
        /// On SIGTERM, how long running passes get to finish before they are cancelled (their
        /// leases are handed back either way).
        public var shutdownGrace: Duration = .seconds(30)
        /// `/metrics`, `/healthz` and `/readyz` on this address (nil: none).
        public var monitor: Monitor?
        public init() {}
    }

    public let id: WorkerID
    let runner: SyncRunner
    let scheduler: Scheduler
    let shutdownGrace: Duration
    let monitor: Monitor?
    /// This worker's passes, for its `/metrics`.
    public let metrics: HubMetrics
    let logger: Logger

    public init(
        store: any SyncStore & HubLeaseStore, provider: any SpokeProvider, settings: Settings = Settings(),
        id: WorkerID = PassLease.newWorkerID(),
        lock: @escaping @Sendable (HubID) throws -> AnyObject? = { _ in NSObject() },
        clock: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "hubsync.worker") { _ in SwiftLogNoOpLogHandler() }
    ) {
        self.id = id
        let metrics = HubMetrics()
        self.metrics = metrics
        var engine = SyncEngine(store: store, clock: clock, logger: logger)
        engine.keepHistory = settings.keepHistory
        runner = SyncRunner(
            engine: engine, provider: provider, lock: lock, maxPasses: settings.maxPasses,
            lease: PassLease(store: store, worker: id, length: settings.leaseLength), metrics: metrics, logger: logger)
        var scheduler = Scheduler(runner: runner, clock: clock, sleep: sleep, logger: logger)
        scheduler.poll = settings.poll
        self.scheduler = scheduler
        shutdownGrace = settings.shutdownGrace
        monitor = settings.monitor
        self.logger = logger
    }

    /// Works until SIGTERM or SIGINT, then takes no more hubs and lets the running passes
    /// finish within the grace, cancelling the rest; each lease is handed back as its pass ends.
    public func run() async throws {
        let drain = Drain(runner: runner, readiness: scheduler.readiness, stop: GracefulStop(grace: shutdownGrace), logger: scheduler.logger)
        var services: [any Service] = [scheduler, drain]
        if let monitor {
            services.append(Application(
                router: probesRouter(listen: monitor.host),
                configuration: .init(address: .hostname(monitor.host, port: monitor.port), serverName: "HubSync worker"), logger: logger))
        }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: scheduler.logger)
        try await group.run()
    }

    /// One look for due hubs (tests): starts what this worker has room for; seconds until the next.
    @discardableResult
    public func tick() throws -> TimeInterval { try scheduler.tick() }

    /// Waits for the passes this worker runs.
    public func waitAll() async { await runner.waitAll() }
}
