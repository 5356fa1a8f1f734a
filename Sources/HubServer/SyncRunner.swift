import Foundation
import Logging
import Synchronization
import ConnectorKit
import SyncEngine
import SyncModel
import SyncStore

/// Runs sync passes for the web app and the scheduler: one pass per hub at a time, in the
/// background, with its live progress kept for the progress view.
final class SyncRunner: Sendable {
    struct Running: Sendable {
        var startedAt: Date
        var progress: [SpokeID: SyncProgress] = [:]
        var task: Task<Void, Never>?
        /// An admin change (undo, approve, reject) holds the hub, not a pass.
        var admin = false
        /// When the pass was due (a scheduled slot): its lag is measured when its turn comes.
        var due: Date?
        /// It got its turn among `passes` (else it is queued).
        var began = false
    }

    private let state = Mutex<[HubID: Running]>([:])
    /// Shutting down: no pass starts any more.
    private let stopping = Mutex(false)
    /// Live status streams (server-sent events): woken at each start, progress step and end.
    private let watchers = Mutex<[UUID: AsyncStream<Void>.Continuation]>([:])
    let engine: SyncEngine
    let provider: any SpokeProvider
    /// Holds the hub against other processes for the pass (nil: busy elsewhere).
    let lock: @Sendable (HubID) throws -> AnyObject?
    let logger: Logger
    /// Passes running at once; the others wait their turn, holding no file or connection, so a
    /// thousand hubs due together neither exhaust the process's files nor start all at once.
    let passes: Limiter
    let maxPasses: Int
    /// Holds each hub against every other process of the installation, on any machine, for
    /// its pass (nil: the store keeps no leases; the lock alone guards the hub).
    let lease: PassLease?
    /// A web-only server: a pass is asked of the workers (a request in the store), not run here.
    let asksWorkers: Bool
    let metrics: HubMetrics
    /// Signalled as each pass here ends, and when a pass is asked for anywhere (the store's
    /// notices): a scheduler with leases looks for its next hub at once.
    let lookAgain = Wakeup()

    init(
        engine: SyncEngine, provider: any SpokeProvider, lock: @escaping @Sendable (HubID) throws -> AnyObject?,
        maxPasses: Int = 8, lease: PassLease? = nil, asksWorkers: Bool = false, metrics: HubMetrics = HubMetrics(),
        logger: Logger
    ) {
        self.asksWorkers = asksWorkers && lease != nil
        self.metrics = metrics
        self.engine = engine
        self.provider = provider
        self.lock = lock
        self.logger = logger
        self.maxPasses = maxPasses
        self.lease = lease
        passes = Limiter(limit: maxPasses)
    }

    /// Hubs with a pass running or waiting here (admin changes included).
    var busyCount: Int { state.withLock { $0.count } }

    var store: any SyncStore { engine.store }

    /// A stream woken at every change of any hub's sync status (only the latest wake is kept).
    func watch() -> (UUID, AsyncStream<Void>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        watchers.withLock { $0[id] = continuation }
        return (id, stream)
    }

    func unwatch(_ id: UUID) { watchers.withLock { $0.removeValue(forKey: id) }?.finish() }

    /// Wakes one watcher (`id`) or all of them.
    func signal(_ id: UUID? = nil) {
        for c in watchers.withLock({ all in id.map { all[$0].map { [$0] } ?? [] } ?? Array(all.values) }) { c.yield() }
    }

    func isRunning(_ hub: HubID) -> Bool { state.withLock { $0[hub].map { !$0.admin } ?? false } }

    func status(_ hub: HubID) throws -> SyncStatusDTO {
        let running = state.withLock { $0[hub] }.flatMap { $0.admin ? nil : $0 }
        let last = try store.runs(hub: hub, limit: 2).first(where: { $0.finishedAt != nil })
        // A pass asked of the workers, or one running there, is running as far as this page goes.
        let elsewhere = try asksWorkers && running == nil
            ? lease?.store.lease(hub: hub).map { $0.requestedAt != nil || $0.isHeld(at: engine.clock()) } ?? false
            : false
        return SyncStatusDTO(
            running: running != nil || elsewhere, startedAt: running?.startedAt,
            progress: (running?.progress.values.sorted { $0.spokeName < $1.spokeName } ?? []).map(ProgressDTO.init),
            lastRun: last.map(RunDTO.init))
    }

    /// Starts a pass unless one is running; either way the hub's sync status. A hub another
    /// process is syncing (`hubsync sync`, a second server) is a 409. `due`: when a scheduled
    /// pass was due, for the lease-lag metric. `stillWanted`: asked once the hub is held here
    /// (no other process can start it then), whether the reason to run it still holds: what the
    /// scheduler read before may be stale, another worker having synced the hub meanwhile.
    @discardableResult
    func start(_ hub: HubID, due: Date? = nil, stillWanted: (() throws -> Bool)? = nil) throws -> SyncStatusDTO {
        guard try store.hub(hub) != nil else { throw APIError.notFound("hub \(hub)") }
        if asksWorkers, let lease {
            try lease.store.requestSync(hub: hub, at: engine.clock())
            return try status(hub)
        }
        if isStopping { throw APIError(.serviceUnavailable, "the server is shutting down; the sync runs when it is back") }
        let started = try state.withLock { all -> Bool in
            if all[hub]?.admin == true {
                throw APIError(.conflict, words: APIWords.adminChangeSaving)
            }
            guard all[hub] == nil else { return false }
            all[hub] = Running(startedAt: engine.clock(), due: due)
            return true
        }
        if started {
            // Busy elsewhere is said now; the lock itself is taken when the pass's turn comes.
            let began = engine.clock()
            do {
                guard try lock(hub) != nil, try lease?.acquire(hub, now: began) ?? true else {
                    throw APIError(.locked, words: APIWords.otherProcessSyncing)
                }
                // Unsure (the store failed to answer): a pass is always safe to run.
                if let stillWanted, (try? stillWanted()) == false {
                    lease?.release(hub, logger: logger)
                    _ = state.withLock { $0.removeValue(forKey: hub) }
                    return try status(hub)
                }
            } catch {
                _ = state.withLock { $0.removeValue(forKey: hub) }
                throw error
            }
            // On threads of its own: its blocking store calls hold no cooperative thread.
            let task = Task(executorPreference: PassThreads.shared) { [self] in
                if let lease {
                    await lease.holding(hub, began: began, clock: engine.clock, logger: logger) { await self.queued(hub) }
                } else {
                    await self.queued(hub)
                }
            }
            state.withLock { $0[hub]?.task = task }
            signal()
        }
        return try status(hub)
    }

    /// Runs an admin change (undo, approve, reject) with the hub to itself: queued behind the
    /// pass running here, if any, and under the hub's lock against other processes, so an admin
    /// write never interleaves with a pass.
    func exclusive<T>(_ hub: HubID, _ body: () async throws -> T) async throws -> T {
        while true {
            let claim = state.withLock { all -> (claimed: Bool, running: Task<Void, Never>?) in
                if let r = all[hub] { return (false, r.task) }
                all[hub] = Running(startedAt: engine.clock(), admin: true)
                return (true, nil)
            }
            if claim.claimed { break }
            if let running = claim.running { await running.value } else { await Task.yield() }
        }
        defer { _ = state.withLock { $0.removeValue(forKey: hub) } }
        guard let held = try lock(hub) else {
            throw APIError(.locked, words: APIWords.otherProcessSyncing)
        }
        defer { withExtendedLifetime(held) {} }
        return try await body()
    }

    /// Waits for the hub's running pass, if any (tests, shutdown).
    func wait(_ hub: HubID) async {
        await state.withLock { $0[hub]?.task }?.value
    }

    var isStopping: Bool { stopping.withLock { $0 } }

    /// Shutdown: takes no new pass, and the queued ones (not begun) are dropped; their hubs
    /// are due again at the next start.
    func stopTaking() {
        stopping.withLock { $0 = true }
        for task in state.withLock({ $0.values.filter { !$0.began && !$0.admin }.compactMap(\.task) }) { task.cancel() }
    }

    /// Cancels every pass (the grace is over).
    func cancelAll() {
        for task in state.withLock({ $0.values.compactMap(\.task) }) { task.cancel() }
    }

    func waitAll() async {
        for task in state.withLock({ $0.values.compactMap(\.task) }) { await task.value }
    }

    /// Waits for a turn among `passes`, then runs the pass under the hub's lock.
    private func queued(_ hub: HubID) async {
        defer {
            _ = state.withLock { $0.removeValue(forKey: hub) }
            signal()
            lookAgain.signal()
        }
        do { try await passes.acquire() } catch { return }
        defer { passes.release() }
        guard !isStopping, !Task.isCancelled else { return }
        state.withLock { $0[hub]?.began = true }
        if let due = state.withLock({ $0[hub]?.due }) { metrics.observeLeaseLag(due: due, started: engine.clock()) }
        do {
            guard let held = try lock(hub) else {
                logger.notice("sync not started: another process took the hub meanwhile", metadata: ["hub": "\(hub)"])
                return
            }
            await run(hub, holding: held)
        } catch {
            logger.error("sync failed", metadata: ["hub": "\(hub)", "error": "\(DisplayText.neutralised(String(describing: error)))"])
        }
    }

    private func run(_ hub: HubID, holding held: AnyObject) async {
        do {
            // A group's new members are synced in this very pass; those who left are paused.
            if let groups = provider as? any GroupMailboxProvider { await groups.refreshGroupMailboxes(hub: hub) }
            var unavailable: [SpokeID: ConnectorError] = [:]
            let spokes = try store.spokes(hub: hub)
            let connectors: HubConnectors = switch try store.hub(hub)?.objectKind ?? .contacts {
            case .contacts:
                .contacts(Self.made(spokes, &unavailable) { SyncEngine.asItemConnector(try provider.connector(for: $0)) })
            case .calendar:
                .calendar(Self.made(spokes, &unavailable) { try provider.calendarConnector(for: $0) })
            }
            let run = try await engine.sync(hub: hub, connectors: connectors, unavailable: unavailable) { [self] p in
                self.state.withLock { $0[hub]?.progress[p.spoke] = p }
                self.signal()
            }
            withExtendedLifetime(held) {}
            metrics.record(run, kinds: Dictionary(spokes.map { ($0.id, $0.kind) }) { a, _ in a })
            logger.info("sync finished", metadata: ["hub": "\(hub)", "status": "\(run.status.rawValue)"])
        } catch {
            metrics.recordError()
            logger.error("sync failed", metadata: ["hub": "\(hub)", "error": "\(DisplayText.neutralised(String(describing: error)))"])
        }
    }

    /// Each spoke's connector; a spoke whose connector cannot be made is `unavailable`, with why.
    private static func made<Item>(
        _ spokes: [SpokeConfig], _ unavailable: inout [SpokeID: ConnectorError],
        _ make: (SpokeConfig) throws -> any ItemConnector<Item>
    ) -> [SpokeID: any ItemConnector<Item>] {
        var out: [SpokeID: any ItemConnector<Item>] = [:]
        for spoke in spokes {
            do {
                out[spoke.id] = try make(spoke)
            } catch let e as ConnectorError {
                unavailable[spoke.id] = e
            } catch {
                unavailable[spoke.id] = ConnectorError(.misconfigured, "\(error)")
            }
        }
        return out
    }
}
