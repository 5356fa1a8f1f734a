import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SyncModel
import SyncStore

/// When scheduled hubs are due, pure. A hub with "sync every N minutes" runs once in each of
/// its N-minute slots; each hub's slots start at its own place in the interval (`phase`, from
/// its id), so a thousand hubs on the same schedule start spread over the interval, not all at
/// the minute. A hub that never ran is due at once.
enum Schedule {
    typealias Phase = @Sendable (HubID, Int) -> TimeInterval

    /// Where the hub's slots start within `minutes` (seconds from the interval's start): a
    /// stable hash of its id (FNV-1a), the same in every process and after every restart.
    static let phase: Phase = { hub, minutes in
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in hub.rawValue.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return TimeInterval(h % UInt64(max(1, minutes) * 60))
    }

    /// The start of the slot `now` is in.
    static func slot(_ hub: HubID, minutes: Int, now: Date, phase: Phase) -> Date {
        let interval = Double(minutes) * 60
        let t = now.timeIntervalSince1970 - phase(hub, minutes)
        return Date(timeIntervalSince1970: now.timeIntervalSince1970 - (t - (t / interval).rounded(.down) * interval))
    }

    static func due(_ hubs: [HubConfig], lastStarted: (HubID) -> Date?, now: Date, phase: Phase = Schedule.phase) -> [HubID] {
        hubs.filter { hub in
            guard let minutes = hub.scheduleMinutes, minutes > 0 else { return false }
            guard let last = lastStarted(hub.id) else { return true }
            return last < slot(hub.id, minutes: minutes, now: now, phase: phase)
        }.map(\.id)
    }

    /// When a due hub became due: the start of its current slot (now for one that never ran).
    static func dueSince(_ hub: HubConfig, lastStarted: Date?, now: Date, phase: Phase = Schedule.phase) -> Date {
        guard let minutes = hub.scheduleMinutes, minutes > 0, lastStarted != nil else { return now }
        return slot(hub.id, minutes: minutes, now: now, phase: phase)
    }

    /// When a hub's next scheduled pass starts (nil: not scheduled); `now` when it is due.
    static func next(_ hub: HubConfig, lastStarted: Date?, now: Date, phase: Phase = Schedule.phase) -> Date? {
        guard let minutes = hub.scheduleMinutes, minutes > 0 else { return nil }
        guard let last = lastStarted else { return now }
        let current = slot(hub.id, minutes: minutes, now: now, phase: phase)
        return last < current ? now : current.addingTimeInterval(Double(minutes) * 60)
    }

    /// Seconds until the next hub is due; nil when none is scheduled.
    static func wait(_ hubs: [HubConfig], lastStarted: (HubID) -> Date?, now: Date, phase: Phase = Schedule.phase) -> TimeInterval? {
        hubs.compactMap { hub -> TimeInterval? in
            next(hub, lastStarted: lastStarted(hub.id), now: now, phase: phase).map { max(0, $0.timeIntervalSince(now)) }
        }.min()
    }
}

/// Starts the passes of hubs that are due, as a service of the server or of `hubsync worker`:
/// scheduled hubs in their slots, hubs asked for by "Sync now" on a server that runs no passes
/// (with leases), and hubs whose last pass was cut off (its process died). Wakes when the next
/// hub is due, and at least once a minute (every `poll` with leases, for other servers'
/// requests), so a schedule changed in the UI takes effect.
struct Scheduler: Service {
    let runner: SyncRunner
    let clock: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger
    var phase: Schedule.Phase = Schedule.phase
    /// How often a worker looks for requests and hubs freed by others.
    var poll: TimeInterval = 5
    /// A hub that could not start (another process holds it) is left alone this long.
    var retryAfter: TimeInterval = 30
    /// Told of each look at the schedule (`/readyz`).
    var readiness = Readiness()
    private let between = BetweenLooks()

    /// One look: starts what is due; the seconds to wait before the next look. Between looks at
    /// the whole schedule (at most a minute apart) a worker reads only the leases that want
    /// work (requests, expired leases) and starts what the last full look found due and had no
    /// room for: a pass ending costs a small read, whatever the number of hubs.
    func tick() throws -> TimeInterval {
        let now = clock()
        readiness.ticked(at: now)
        if let nextFull = between.nextFull, now < nextFull, let lease = runner.lease {
            let leases = try lease.store.leasesWanted(at: now)
            let asked = Dictionary(uniqueKeysWithValues: leases.map { ($0.hub, $0.requestedAt) })
            _ = try start(Self.requested(leases, now: now, worker: lease.worker).map { Due($0, .asked, asked[$0] ?? nil) }, now: now)
            _ = try start(Self.abandoned(leases, now: now).map { Due($0, .abandoned) }, now: now)
            between.pending = try start(between.pending, now: now)
            return max(1, min(poll, nextFull.timeIntervalSince(now)))
        }
        let wait = try fullTick(now: now)
        between.nextFull = now.addingTimeInterval(wait)
        return max(1, runner.lease == nil ? wait : min(poll, wait))
    }

    /// Hubs asked for and not running anywhere, oldest request first.
    static func requested(_ leases: [HubLease], now: Date, worker: WorkerID?) -> [HubID] {
        leases.filter { $0.requestedAt != nil && !($0.isHeld(at: now) && $0.owner != worker) }
            .sorted { $0.requestedAt! < $1.requestedAt! }.map(\.hub)
    }

    /// Hubs whose worker stopped renewing (died) without handing them back: their pass was cut off.
    static func abandoned(_ leases: [HubLease], now: Date) -> [HubID] {
        leases.filter { $0.owner != nil && !$0.isHeld(at: now) }.map(\.hub)
    }

    /// Looks at every hub: scheduled, asked for, cut off. Seconds until the next such look.
    private func fullTick(now: Date) throws -> TimeInterval {
        let store = runner.store
        let hubs = try store.hubs()
        // Leases before runs: a pass that ended between the two reads shows finished, never as
        // an unfinished run with no lease (which would run it again).
        let rows = try runner.lease?.store.leases() ?? []
        let lastRuns = try store.latestRuns()
        let last = { (hub: HubID) in lastRuns[hub]?.startedAt }
        let leases = Dictionary(uniqueKeysWithValues: rows.map { ($0.hub, $0) })
        let heldElsewhere = { (hub: HubID) in leases[hub].map { $0.isHeld(at: now) && $0.owner != runner.lease?.worker } ?? false }
        // Cut off: unfinished with no live lease at all (a pass running here holds one).
        let cutOff = lastRuns.values.filter { $0.finishedAt == nil }.map(\.hub).sorted()
            .filter { !(leases[$0]?.isHeld(at: now) ?? false) }
        let configs = Dictionary(uniqueKeysWithValues: hubs.map { ($0.id, $0) })
        let due = Schedule.due(hubs, lastStarted: last, now: now, phase: phase)
        let wanted = Self.requested(rows, now: now, worker: runner.lease?.worker).map { Due($0, .asked, leases[$0]?.requestedAt) }
            + cutOff.map { Due($0, .cutOff) }
            + due.filter { !heldElsewhere($0) }.compactMap { hub in
                configs[hub].map { Due(hub, .scheduled($0), Schedule.dueSince($0, lastStarted: last(hub), now: now, phase: phase)) }
            }
        // What had no room waits here for the passes running to end; this look replaces it.
        between.pending = try start(wanted, now: now)
        // The hubs due now are started or waiting: the next look is for the ones due after.
        let dueNow = Set(due)
        return min(60, Schedule.wait(hubs.filter { !dueNow.contains($0.id) }, lastStarted: last, now: clock(), phase: phase) ?? 60)
    }

    /// A hub to start, why, and when it was due (for the lease-lag metric).
    struct Due: Sendable {
        var hub: HubID
        var why: Why
        var due: Date?
        init(_ hub: HubID, _ why: Why, _ due: Date? = nil) { (self.hub, self.why, self.due) = (hub, why, due) }
    }

    /// Starts the hubs not running here nor resting, as many as this process has room for
    /// when it shares hubs through leases (the rest is for other workers); those left for want
    /// of room.
    private func start(_ hubs: [Due], now: Date) throws -> [Due] {
        let ready = hubs.filter { !runner.isRunning($0.hub) && !runner.isStopping && !between.isResting($0.hub, now: now) }
        let room = runner.lease == nil ? ready.count : max(0, runner.maxPasses - runner.busyCount)
        for d in ready.prefix(room) {
            logger.info("sync due", metadata: ["hub": "\(d.hub)", "why": "\(d.why.name)"])
            do {
                try runner.start(d.hub, due: d.due, stillWanted: runner.lease == nil ? nil : { try stillWanted(d.hub, d.why, now: now) })
            } catch {
                // Busy elsewhere, say: the other hubs still get their turn.
                between.rest(d.hub, until: now.addingTimeInterval(retryAfter))
                logger.notice("sync not started", metadata: ["hub": "\(d.hub)", "error": "\(error)"])
            }
        }
        return Array(ready.dropFirst(room))
    }

    /// Why a hub is started.
    enum Why: Sendable {
        case asked, cutOff, abandoned
        /// With the hub's schedule as the look read it.
        case scheduled(HubConfig)

        var name: String {
            switch self {
            case .asked: "asked"
            case .cutOff: "cut off"
            case .abandoned: "lease expired"
            case .scheduled: "scheduled"
            }
        }
    }

    /// Read again once the hub is leased here: what the look read may be stale, another worker
    /// having synced the hub between that read and this lease (it would run twice in a slot).
    func stillWanted(_ hub: HubID, _ why: Why, now: Date) throws -> Bool {
        let store = runner.store
        switch why {
        case .asked:
            return try runner.lease?.store.lease(hub: hub)?.requestedAt != nil
        case .cutOff:
            return try store.runs(hub: hub, limit: 1).first.map { $0.finishedAt == nil } ?? false
        case .abandoned:
            return true
        case .scheduled(let config):
            let last = try store.runs(hub: hub, limit: 1).first?.startedAt
            return !Schedule.due([config], lastStarted: { _ in last }, now: now, phase: phase).isEmpty
        }
    }

    /// Waits `seconds`, or less with leases: until a pass here ends and leaves room for the
    /// next hub (a worker would otherwise idle until its next poll).
    private func nextLook(in seconds: TimeInterval) async throws {
        guard runner.lease != nil else { return try await sleep(.milliseconds(Int(seconds * 1000))) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sleep(.milliseconds(Int(seconds * 1000))) }
            group.addTask { await runner.lookAgain.wait() }
            try await group.next()
            group.cancelAll()
        }
    }

    func run() async throws {
        // A shutdown cancels the wait: that is the normal end, not a failure of the server. The
        // looks read the store, which blocks: on the passes' threads, not the cooperative pool.
        try? await withTaskExecutorPreference(PassThreads.shared) {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    if let notices = (runner.lease?.store as? any SyncRequestNotices)?.syncRequestNotices() {
                        group.addTask { for await _ in notices { runner.lookAgain.signal() } }
                    }
                    defer { group.cancelAll() }
                    while !Task.isCancelled {
                        let wait: TimeInterval
                        do {
                            wait = try tick()
                        } catch {
                            logger.error("scheduler", metadata: ["error": "\(error)"])
                            wait = 60
                        }
                        try await nextLook(in: wait)
                    }
                }
            }
        }
        await runner.waitAll()
    }
}

/// What the scheduler keeps from one look to the next: hubs left alone for a while after they
/// could not start, what was due with no room for it, and when to look at every hub next.
private final class BetweenLooks: Sendable {
    private let until = Mutex<[HubID: Date]>([:])
    private let full = Mutex<Date?>(nil)
    private let waiting = Mutex<[Scheduler.Due]>([])

    /// Due at the last full look, not started for want of room.
    var pending: [Scheduler.Due] {
        get { waiting.withLock { $0 } }
        set { waiting.withLock { $0 = newValue } }
    }

    var nextFull: Date? {
        get { full.withLock { $0 } }
        set { full.withLock { $0 = newValue } }
    }

    func rest(_ hub: HubID, until date: Date) { until.withLock { $0[hub] = date } }

    func isResting(_ hub: HubID, now: Date) -> Bool {
        until.withLock { all in
            guard let date = all[hub] else { return false }
            if date <= now { all[hub] = nil }
            return date > now
        }
    }
}
