import Foundation
import PostgresNIO
import SyncModel
import SyncStore

/// Each operation is one statement on the hub's row, atomic between processes and machines
/// (the SQLite store's statements, in PostgreSQL's spelling).
extension PostgresStore: HubLeaseStore {
    public func acquireLease(hub: HubID, worker: WorkerID, now: Date, until: Date) throws -> Bool {
        try pool.transaction(durable: true) { s in
            try Self.requireHub(s, hub)
            return try s.execute("""
                INSERT INTO hub_leases AS l (hub_id, lease_owner, lease_until) VALUES (\(hub.rawValue), \(worker.rawValue), \(until.storeValue))
                ON CONFLICT (hub_id) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
                WHERE l.lease_owner IS NULL OR l.lease_owner = excluded.lease_owner OR l.lease_until IS NULL
                    OR l.lease_until < \(now.storeValue)
                """) > 0
        }
    }

    public func renewLease(hub: HubID, worker: WorkerID, until: Date) throws -> Bool {
        try pool.with { s in
            try s.execute("""
                UPDATE hub_leases SET lease_until = \(until.storeValue) WHERE hub_id = \(hub.rawValue) AND lease_owner = \(worker.rawValue)
                """) > 0
        }
    }

    public func releaseLease(hub: HubID, worker: WorkerID, served: Date?) throws {
        try pool.with { s in
            try s.execute("""
                UPDATE hub_leases SET lease_owner = NULL, lease_until = NULL,
                    requested_at = CASE WHEN requested_at <= \(served?.storeValue) THEN NULL ELSE requested_at END
                WHERE hub_id = \(hub.rawValue) AND lease_owner = \(worker.rawValue)
                """)
        }
    }

    public func requestSync(hub: HubID, at: Date) throws {
        try pool.transaction(durable: true) { s in
            try Self.requireHub(s, hub)
            try s.execute("""
                INSERT INTO hub_leases AS l (hub_id, requested_at) VALUES (\(hub.rawValue), \(at.storeValue))
                ON CONFLICT (hub_id) DO UPDATE SET requested_at = COALESCE(l.requested_at, excluded.requested_at)
                """)
            // Delivered at the commit: a woken worker finds the request.
            try s.execute("SELECT pg_notify(\(Self.requestChannel), \(hub.rawValue))")
        }
    }

    public func leases() throws -> [HubLease] {
        try pool.with { s in
            try s.rows("SELECT \(unescaped: Self.leaseColumns) FROM hub_leases ORDER BY hub_id COLLATE \"C\"").map(Self.lease)
        }
    }

    public func leasesWanted(at now: Date) throws -> [HubLease] {
        try pool.with { s in
            try s.rows("""
                SELECT \(unescaped: Self.leaseColumns) FROM hub_leases
                WHERE requested_at IS NOT NULL OR (lease_owner IS NOT NULL AND (lease_until IS NULL OR lease_until < \(now.storeValue)))
                ORDER BY hub_id COLLATE "C"
                """).map(Self.lease)
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
            until: try row.get(2, Double?.self).map(Date.init(storeValue:)),
            requestedAt: try row.get(3, Double?.self).map(Date.init(storeValue:)))
    }
}
