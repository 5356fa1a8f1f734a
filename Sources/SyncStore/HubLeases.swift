import Foundation
import SyncModel

/// A `hubsync worker` process (or a server's scheduler), named in the leases it holds. Unique
/// per process: its host, its pid and a random part (a restarted worker is a new one).
public enum WorkerTag {}
public typealias WorkerID = Identifier<WorkerTag>

/// Who may sync a hub now, and whether a pass was asked for. One row per hub that was ever
/// leased or asked for.
public struct HubLease: Hashable, Sendable {
    public var hub: HubID
    /// The worker holding the lease (nil: free).
    public var owner: WorkerID?
    /// Past this the lease is expired: its worker died or stalled, and another may take the hub.
    public var until: Date?
    /// A pass asked for ("Sync now" on a web server that runs no passes itself) and not yet served.
    public var requestedAt: Date?

    public init(hub: HubID, owner: WorkerID? = nil, until: Date? = nil, requestedAt: Date? = nil) {
        self.hub = hub
        self.owner = owner
        self.until = until
        self.requestedAt = requestedAt
    }

    /// Held by someone at `now` (an expired lease is as good as free).
    public func isHeld(at now: Date) -> Bool {
        guard owner != nil, let until else { return false }
        return until >= now
    }
}

/// The hubs' leases, shared by every worker and server of an installation (the store is the
/// one place they all see). A hub is synced only under a live lease, so two workers never sync
/// it at once; a worker that dies stops renewing, its leases expire, and another worker takes
/// its hubs (the engine's crash safety makes the interrupted pass harmless). Each operation is
/// one atomic statement, keyed by hub, so it needs no cross-hub lock (PROTOCOLS.md §5.3).
/// Worker clocks must agree within a small part of a lease's length (NTP).
public protocol HubLeaseStore: Sendable {
    /// Leases the hub to `worker` until `until`, unless another worker's lease is live at `now`.
    /// True when `worker` holds it now (taking its own lease again extends it).
    func acquireLease(hub: HubID, worker: WorkerID, now: Date, until: Date) throws -> Bool
    /// Extends the lease `worker` holds; false when it holds it no longer (it expired and was
    /// taken): the worker must stop the pass.
    func renewLease(hub: HubID, worker: WorkerID, until: Date) throws -> Bool
    /// Ends the lease `worker` holds (nothing when it holds none). A request made at or before
    /// `served` was answered by this pass and is cleared; a later one stays.
    func releaseLease(hub: HubID, worker: WorkerID, served: Date?) throws
    /// Asks for a pass of the hub: the next worker with room takes it. An earlier request
    /// still waiting stays (it is the older).
    func requestSync(hub: HubID, at: Date) throws
    /// Every hub's lease row, in hub order.
    func leases() throws -> [HubLease]
    /// One hub's (nil: never leased nor asked for).
    func lease(hub: HubID) throws -> HubLease?
    /// The rows a worker's look between full looks needs, in hub order: hubs asked for, and
    /// leases expired at `now` without being handed back. Few, whatever the number of hubs.
    func leasesWanted(at now: Date) throws -> [HubLease]
}

extension HubLeaseStore {
    public func leasesWanted(at now: Date) throws -> [HubLease] {
        try leases().filter { $0.requestedAt != nil || ($0.owner != nil && !$0.isHeld(at: now)) }
    }
}

/// A store that tells every process at once that a pass was asked for (PostgreSQL's
/// LISTEN/NOTIFY), so a worker wakes then rather than at its next poll. Only a wake-up: the
/// request itself is in the leases, and polling finds it without any notice.
public protocol SyncRequestNotices: Sendable {
    /// Yields when any process asks for a pass (and once when it starts listening), until the
    /// stream is dropped.
    func syncRequestNotices() -> AsyncStream<Void>
}
