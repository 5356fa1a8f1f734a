import Foundation
import Logging
import ServiceLifecycle
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

/// Starts the passes of scheduled hubs, as a service of the server. Wakes when the next hub is
/// due, and at least once a minute, so a schedule changed in the UI takes effect.
struct Scheduler: Service {
    let runner: SyncRunner
    let clock: @Sendable () -> Date
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger
    var phase: Schedule.Phase = Schedule.phase
    /// Told of each look at the schedule (`/readyz`).
    var readiness = Readiness()

    /// One look at the schedule: starts what is due; the seconds to wait before the next look.
    func tick() throws -> TimeInterval {
        let store = runner.store
        let hubs = try store.hubs()
        let now = clock()
        readiness.ticked(at: now)
        let last = { (hub: HubID) in try? store.runs(hub: hub, limit: 1).first?.startedAt }
        for hub in Schedule.due(hubs, lastStarted: last, now: now, phase: phase) where !runner.isRunning(hub) && !runner.isStopping {
            logger.info("scheduled sync", metadata: ["hub": "\(hub)"])
            do {
                let config = hubs.first { $0.id == hub }
                try runner.start(hub, due: config.map { Schedule.dueSince($0, lastStarted: last(hub), now: now, phase: phase) })
            } catch {
                // Busy elsewhere, say: the other hubs still get their turn.
                logger.notice("scheduled sync not started", metadata: ["hub": "\(hub)", "error": "\(error)"])
            }
        }
        return min(60, max(1, Schedule.wait(hubs, lastStarted: last, now: clock(), phase: phase) ?? 60))
    }

    func run() async throws {
        // A shutdown cancels the wait: that is the normal end, not a failure of the server.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let wait: TimeInterval
                do {
                    wait = try tick()
                } catch {
                    logger.error("scheduler", metadata: ["error": "\(error)"])
                    wait = 60
                }
                try await sleep(.milliseconds(Int(wait * 1000)))
            }
        }
        await runner.waitAll()
    }
}
