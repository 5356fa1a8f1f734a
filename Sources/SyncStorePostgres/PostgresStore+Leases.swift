import Foundation
import PostgresNIO
import SyncModel
import SyncStore

extension Schema {
    /// Which worker syncs a hub now, and a pass asked for (`HubLeaseStore`). A free lease keeps
    /// its row (NULL owner) so a request can wait in it. Keyed by hub alone: a hub table.
    static let fleetLeases = """
        CREATE TABLE hub_leases (
            hub_id text NOT NULL REFERENCES hubs(hub_id) ON DELETE CASCADE,
            lease_owner text,
            lease_until double precision,
            requested_at double precision,
            PRIMARY KEY (hub_id)
        );
        """
}

/// Each operation is one statement on the hub's row, outside any transaction: atomic between
/// workers without a cross-hub lock (PROTOCOLS.md §5.3). An upsert's WHERE is evaluated on the
/// row's latest version once its lock is held, so of two workers taking a free hub at once one
/// wins. Rows are written through `SELECT … FROM hubs`, so an unknown hub changes nothing (and
/// is told apart afterwards) instead of failing on the foreign key.
extension PostgresStore: HubLeaseStore {
    public func acquireLease(hub: HubID, worker: WorkerID, now: Date, until: Date) throws -> Bool {
        try pool.with { s in
            let taken = try s.execute("""
                INSERT INTO hub_leases (hub_id, lease_owner, lease_until)
                SELECT hub_id, \(worker.rawValue), \(until.storeValue) FROM hubs WHERE hub_id = \(hub.rawValue)
                ON CONFLICT (hub_id) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
                WHERE hub_leases.lease_owner IS NULL OR hub_leases.lease_owner = excluded.lease_owner
                    OR hub_leases.lease_until IS NULL OR hub_leases.lease_until < \(now.storeValue)
                """)
            if taken == 0 { try Self.requireHub(s, hub) }
            return taken > 0
        }
    }

    public func renewLease(hub: HubID, worker: WorkerID, until: Date) throws -> Bool {
        try pool.with { s in
            try s.execute("""
                UPDATE hub_leases SET lease_until = \(until.storeValue)
                WHERE hub_id = \(hub.rawValue) AND lease_owner = \(worker.rawValue)
                """) > 0
        }
    }

    public func releaseLease(hub: HubID, worker: WorkerID, served: Date?) throws {
        try pool.with { s in
            // A NULL `served` compares to nothing: the request stays.
            try s.execute("""
                UPDATE hub_leases SET lease_owner = NULL, lease_until = NULL,
                    requested_at = CASE WHEN requested_at <= \(served?.storeValue) THEN NULL ELSE requested_at END
                WHERE hub_id = \(hub.rawValue) AND lease_owner = \(worker.rawValue)
                """)
        }
    }

    public func requestSync(hub: HubID, at: Date) throws {
        try pool.with { s in
            let asked = try s.execute("""
                INSERT INTO hub_leases (hub_id, requested_at)
                SELECT hub_id, \(at.storeValue) FROM hubs WHERE hub_id = \(hub.rawValue)
                ON CONFLICT (hub_id) DO UPDATE SET requested_at = COALESCE(hub_leases.requested_at, excluded.requested_at)
                """)
            if asked == 0 { throw StoreError(.notFound, "no hub \(hub)") }
        }
    }

    public func leases() throws -> [HubLease] {
        try pool.with { s in
            try s.rows("SELECT \(unescaped: Self.leaseColumns) FROM hub_leases ORDER BY hub_id COLLATE \"C\"").map(Self.lease)
        }
    }

    public func lease(hub: HubID) throws -> HubLease? {
        try pool.with { s in
            try s.rows("SELECT \(unescaped: Self.leaseColumns) FROM hub_leases WHERE hub_id = \(hub.rawValue)").first.map(Self.lease)
        }
    }

    private static let leaseColumns = "hub_id, lease_owner, lease_until, requested_at"

    private static func lease(_ row: PostgresRandomAccessRow) throws -> HubLease {
        HubLease(
            hub: HubID(try row.get(0, String.self)), owner: try row.get(1, String?.self).map { WorkerID($0) },
            until: try row.get(2, Double?.self).map { Date(storeValue: $0) },
            requestedAt: try row.get(3, Double?.self).map { Date(storeValue: $0) })
    }
}
