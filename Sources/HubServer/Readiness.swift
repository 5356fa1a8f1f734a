import Foundation
import Synchronization
import SyncModel
import SyncStore

/// Whether this server should be sent traffic (`/readyz`): its store answers, its scheduler
/// (when it has one) has looked at the schedule lately, and it is not shutting down. Each
/// answer says only which of these failed: nothing of the configuration.
public final class Readiness: Sendable {
    /// The scheduler looks at least once a minute; three missed looks mean it is stuck or gone.
    static let schedulerLate: TimeInterval = 180

    private let state = Mutex<(lastTick: Date?, stopping: Bool)>((nil, false))

    public init() {}

    /// The scheduler looked at the schedule (whether or not a hub was due).
    func ticked(at date: Date) { state.withLock { $0.lastTick = date } }

    /// Shutdown began: a load balancer should send new requests elsewhere.
    public func stopping() { state.withLock { $0.stopping = true } }

    /// Nil when ready; else the reason, in a few words.
    func problem(store: any SyncStore, scheduler: Bool, now: Date) -> String? {
        // A primary-key lookup of an id no hub has: the shortest query every store answers.
        problem(storeAnswers: { _ = try store.hub(HubID("-readiness")) }, scheduler: scheduler, now: now)
    }

    func problem(storeAnswers: () throws -> Void, scheduler: Bool, now: Date) -> String? {
        let (lastTick, stopping) = state.withLock { ($0.lastTick, $0.stopping) }
        if stopping { return "shutting down" }
        do { try storeAnswers() } catch { return "store unreachable" }
        if scheduler {
            guard let lastTick else { return "scheduler not started" }
            if now.timeIntervalSince(lastTick) > Self.schedulerLate { return "scheduler stalled" }
        }
        return nil
    }
}
