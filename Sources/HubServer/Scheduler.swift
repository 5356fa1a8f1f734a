import Foundation
import Logging
import ServiceLifecycle
import SyncModel
import SyncStore

/// When scheduled hubs are due, pure: a hub with "sync every N minutes" is due N minutes after
/// its last pass started (at once when it never ran).
enum Schedule {
    static func due(_ hubs: [HubConfig], lastStarted: (HubID) -> Date?, now: Date) -> [HubID] {
        hubs.filter { hub in
            guard let minutes = hub.scheduleMinutes, minutes > 0 else { return false }
            guard let last = lastStarted(hub.id) else { return true }
            return now.timeIntervalSince(last) >= Double(minutes) * 60
        }.map(\.id)
    }

    /// When a hub's next scheduled pass starts (nil: not scheduled); `now` when it is due.
    static func next(_ hub: HubConfig, lastStarted: Date?, now: Date) -> Date? {
        guard let minutes = hub.scheduleMinutes, minutes > 0 else { return nil }
        guard let last = lastStarted else { return now }
        return max(now, last.addingTimeInterval(Double(minutes) * 60))
    }

    /// Seconds until the next hub is due; nil when none is scheduled.
    static func wait(_ hubs: [HubConfig], lastStarted: (HubID) -> Date?, now: Date) -> TimeInterval? {
        hubs.compactMap { hub -> TimeInterval? in
            guard let minutes = hub.scheduleMinutes, minutes > 0 else { return nil }
            guard let last = lastStarted(hub.id) else { return 0 }
            return max(0, Double(minutes) * 60 - now.timeIntervalSince(last))
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

    /// One look at the schedule: starts what is due; the seconds to wait before the next look.
    func tick() throws -> TimeInterval {
        let store = runner.store
        let hubs = try store.hubs()
        let now = clock()
        let last = { (hub: HubID) in try? store.runs(hub: hub, limit: 1).first?.startedAt }
        for hub in Schedule.due(hubs, lastStarted: last, now: now) where !runner.isRunning(hub) {
            logger.info("scheduled sync", metadata: ["hub": "\(hub)"])
            do {
                try runner.start(hub)
            } catch {
                // Busy elsewhere, say: the other hubs still get their turn.
                logger.notice("scheduled sync not started", metadata: ["hub": "\(hub)", "error": "\(error)"])
            }
        }
        return min(60, max(1, Schedule.wait(hubs, lastStarted: last, now: clock()) ?? 60))
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
