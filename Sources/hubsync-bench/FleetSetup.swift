import ConnectorKit
import ConnectorMemory
import Foundation
import HubServer
import Logging
import Synchronization
import SyncEngine
import SyncModel
import SyncStore

/// The fleet benchmark's hubs, their memory spokes and the clock the workers schedule by: it
/// stands still during a round (so no hub's next slot comes within it) and moves a minute
/// before each, so every hub is due at once.
final class FleetSetup: Sendable {
    let store: any SyncStore & HubLeaseStore
    /// Each worker's own store (its own connections), as each `hubsync worker` process has.
    let open: @Sendable () throws -> any SyncStore & HubLeaseStore
    let hubs: [HubID]
    let spokes: [HubID: (a: MemorySpoke, b: MemorySpoke)]
    let ids: [HubID: RemoteID]
    let loadSeconds: Double
    private let now = Mutex(Date())
    private let edits = Mutex(0)

    var clock: @Sendable () -> Date { { self.now.withLock { $0 } } }

    private init(store: any SyncStore & HubLeaseStore, open: @escaping @Sendable () throws -> any SyncStore & HubLeaseStore,
                 hubs: [HubID], spokes: [HubID: (a: MemorySpoke, b: MemorySpoke)], ids: [HubID: RemoteID], loadSeconds: Double) {
        self.store = store
        self.open = open
        self.hubs = hubs
        self.spokes = spokes
        self.ids = ids
        self.loadSeconds = loadSeconds
    }

    /// Makes the hubs and their spokes, and syncs each once (no latency): the state a fleet is
    /// in when its rounds begin.
    static func load(
        open: @escaping @Sendable () throws -> any SyncStore & HubLeaseStore, hubs count: Int, contacts: Int, maxPasses: Int
    ) async throws -> FleetSetup {
        let store = try open()
        var spokes: [HubID: (a: MemorySpoke, b: MemorySpoke)] = [:]
        var ids: [HubID: RemoteID] = [:]
        var hubs: [HubID] = []
        for i in 0..<count {
            let hub = HubID("fleet-\(i)")
            try store.saveHub(HubConfig(id: hub, name: "Fleet \(i)", scheduleMinutes: 1))
            for (n, id) in [SpokeID("a"), SpokeID("b")].enumerated() {
                try store.saveSpoke(SpokeConfig(id: id, hub: hub, name: id.rawValue, kind: .memory, position: n))
            }
            let a = MemorySpoke(name: "a", pageSize: 1000, maxBatch: 500), b = MemorySpoke(name: "b", pageSize: 1000, maxBatch: 500)
            for c in 0..<contacts {
                let id = a.userUpsert(SampleContacts.person(c))
                if c == 0 { ids[hub] = id }
            }
            spokes[hub] = (a, b)
            hubs.append(hub)
        }
        let engine = SyncEngine(store: store, batchSize: 500, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, hub) in hubs.enumerated() {
                if n >= maxPasses { try await group.next() }
                let pair = spokes[hub]!
                group.addTask(executorPreference: PassThreads.shared) {
                    let run = try await engine.sync(hub: hub, connectors: ["a": pair.a, "b": pair.b])
                    guard run.status == .succeeded else { throw BenchFailure("loading \(hub): \(run.status) \(run.errors.prefix(2))") }
                }
            }
            try await group.waitForAll()
        }
        return FleetSetup(store: store, open: open, hubs: hubs, spokes: spokes, ids: ids, loadSeconds: (ContinuousClock.now - start).seconds)
    }

    /// One contact of each hub's first spoke changes.
    func editOnePerHub() {
        let n = edits.withLock { $0 += 1; return $0 }
        for hub in hubs {
            var c = SampleContacts.person(0)
            c.title = "Edit \(n)"
            spokes[hub]!.a.userUpsert(c, id: ids[hub]!)
        }
    }

    /// One scheduled round: the clock moves a minute, `workers` workers sync every hub once;
    /// the seconds until the last pass ended. Checks every hub ran once, and the edit reached b.
    func round(workers count: Int, latency: Duration, maxPasses: Int, expectEdit: Bool) async throws -> Double {
        now.withLock { $0 = max($0, Date()).addingTimeInterval(60) }
        let began = clock()
        let provider = BenchProvider(spokes: spokes, latency: latency)
        var settings = HubWorker.Settings()
        settings.maxPasses = maxPasses
        settings.poll = 1
        let fleet = try (0..<count).map { n in
            HubWorker(store: try open(), provider: provider, settings: settings, id: WorkerID("bench-\(n)"), clock: clock,
                      logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
        }
        let start = ContinuousClock.now
        let tasks = fleet.map { w in Task { try await w.work() } }
        while true {
            let latest = try store.latestRuns()
            if hubs.allSatisfy({ latest[$0].map { $0.startedAt >= began && $0.finishedAt != nil } ?? false }) { break }
            // Often enough to time a round to a few percent, rarely enough to cost the workers little.
            try await Task.sleep(for: .milliseconds(100))
        }
        let seconds = (ContinuousClock.now - start).seconds
        for t in tasks { t.cancel() }
        for t in tasks { try? await t.value }
        let latest = try store.latestRuns()
        for hub in hubs {
            guard let run = latest[hub], run.status == .succeeded else { throw BenchFailure("\(hub): \(latest[hub]?.status.rawValue ?? "no run")") }
            let pushed = run.stats["b"]?.pushedUpdates ?? 0
            guard pushed == (expectEdit ? 1 : 0) else { throw BenchFailure("\(hub): \(pushed) updates sent to b: \(run) \(try store.runs(hub: hub, limit: 4).map { "\($0.startedAt.timeIntervalSince(began)) \($0.stats)" })") }
        }
        return seconds
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The workers' connectors: each hub's memory spokes, answering after `latency`.
struct BenchProvider: SpokeProvider {
    let spokes: [HubID: (a: MemorySpoke, b: MemorySpoke)]
    let latency: Duration

    var kinds: [SpokeKindInfo] { [] }
    func discover(_ kind: SpokeKind, _ form: SpokeForm) async throws -> Discovery { throw BenchFailure("no setup in the bench") }
    func settings(_ kind: SpokeKind, _ form: SpokeForm, folder: String?) async throws -> [String: String] { [:] }
    func changingPassword(_ spoke: SpokeConfig, to password: String) throws -> [String: String] { spoke.settings }
    func connector(for spoke: SpokeConfig) throws -> any SpokeConnector {
        guard let pair = spokes[spoke.hub] else { throw ConnectorError(.misconfigured, "no spokes for \(spoke.hub)") }
        return Slow(inner: spoke.id == "a" ? pair.a : pair.b, latency: latency)
    }
    func beginSignIn(_ kind: SpokeKind, redirectURI: URL, state: String) throws -> (url: URL, verifier: String) {
        throw BenchFailure("no sign-in in the bench")
    }
    func finishSignIn(_ kind: SpokeKind, code: String, verifier: String, redirectURI: URL) async throws -> (settings: [String: String], account: String?) {
        throw BenchFailure("no sign-in in the bench")
    }
    func describe(_ spoke: SpokeConfig) -> [String: String] { [:] }
}

/// A spoke on the far side of a network: every call answers after `latency`.
struct Slow: SpokeConnector {
    let inner: MemorySpoke
    let latency: Duration
    var capabilities: Set<ContactField>? { inner.capabilities }
    var maxBatch: Int { inner.maxBatch }
    func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Contact> {
        try await Task.sleep(for: latency)
        return try await inner.pull(since: cursor, page: page)
    }
    func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> ItemPullPage<Contact> {
        try await Task.sleep(for: latency)
        return try await inner.pull(since: cursor, page: page, known: known)
    }
    func write(_ ops: [ItemWriteOp<Contact>]) async throws -> [WriteOutcome] {
        try await Task.sleep(for: latency)
        return try await inner.write(ops)
    }
    func fetch(_ id: RemoteID) async throws -> Remote<Contact>? {
        try await Task.sleep(for: latency)
        return try await inner.fetch(id)
    }
    func find(marker: CreateMarker) async throws -> Remote<Contact>? {
        try await Task.sleep(for: latency)
        return try await inner.find(marker: marker)
    }
}

/// The machine's CPU time (all cores, every process: the workers and PostgreSQL alike), from
/// /proc/stat: how busy a round kept the cores, which says whether it could go faster.
struct MachineCPU {
    var busy: Double
    var total: Double

    static func now() -> MachineCPU {
        guard let s = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = s.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return MachineCPU(busy: .nan, total: .nan) }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        // user nice system idle iowait irq softirq steal: idle and iowait are the idle time.
        let idle = ticks.count > 4 ? ticks[3] + ticks[4] : .nan
        let total = ticks.prefix(8).reduce(0, +)
        return MachineCPU(busy: total - idle, total: total)
    }

    /// The share of the cores busy since `start` (1 = all of them, all the time).
    func busyShare(since start: MachineCPU) -> Double { (busy - start.busy) / max(1, total - start.total) }

    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }
}
