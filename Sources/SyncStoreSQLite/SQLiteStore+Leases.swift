import Foundation
import GRDB
import SyncModel
import SyncStore

/// Each operation is one statement: atomic between processes on the same file without a read
/// before the write (a deferred transaction upgrading to a write could fail as busy).
extension SQLiteStore: HubLeaseStore {
    public func acquireLease(hub: HubID, worker: WorkerID, now: Date, until: Date) throws -> Bool {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM hubs WHERE hub_id = ?", arguments: [hub.rawValue]) != nil else {
                throw StoreError(.notFound, "no hub \(hub)")
            }
            try db.execute(
                sql: """
                    INSERT INTO hub_leases (hub_id, lease_owner, lease_until) VALUES (?1, ?2, ?3)
                    ON CONFLICT (hub_id) DO UPDATE SET lease_owner = ?2, lease_until = ?3
                    WHERE lease_owner IS NULL OR lease_owner = ?2 OR lease_until IS NULL OR lease_until < ?4
                    """,
                arguments: [hub.rawValue, worker.rawValue, until.timeIntervalSinceReferenceDate, now.timeIntervalSinceReferenceDate])
            return db.changesCount > 0
        }
    }

    public func renewLease(hub: HubID, worker: WorkerID, until: Date) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE hub_leases SET lease_until = ? WHERE hub_id = ? AND lease_owner = ?",
                arguments: [until.timeIntervalSinceReferenceDate, hub.rawValue, worker.rawValue])
            return db.changesCount > 0
        }
    }

    public func releaseLease(hub: HubID, worker: WorkerID, served: Date?) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE hub_leases SET lease_owner = NULL, lease_until = NULL,
                        requested_at = CASE WHEN requested_at <= ?1 THEN NULL ELSE requested_at END
                    WHERE hub_id = ?2 AND lease_owner = ?3
                    """,
                arguments: [served?.timeIntervalSinceReferenceDate, hub.rawValue, worker.rawValue])
        }
    }

    public func requestSync(hub: HubID, at: Date) throws {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM hubs WHERE hub_id = ?", arguments: [hub.rawValue]) != nil else {
                throw StoreError(.notFound, "no hub \(hub)")
            }
            try db.execute(
                sql: """
                    INSERT INTO hub_leases (hub_id, requested_at) VALUES (?1, ?2)
                    ON CONFLICT (hub_id) DO UPDATE SET requested_at = COALESCE(requested_at, ?2)
                    """,
                arguments: [hub.rawValue, at.timeIntervalSinceReferenceDate])
        }
    }

    public func leases() throws -> [HubLease] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.leaseColumns) FROM hub_leases ORDER BY hub_id").map(Self.lease)
        }
    }

    public func leasesWanted(at now: Date) throws -> [HubLease] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.leaseColumns) FROM hub_leases
                WHERE requested_at IS NOT NULL OR (lease_owner IS NOT NULL AND (lease_until IS NULL OR lease_until < ?))
                ORDER BY hub_id
                """, arguments: [now.timeIntervalSinceReferenceDate]).map(Self.lease)
        }
    }

    public func lease(hub: HubID) throws -> HubLease? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.leaseColumns) FROM hub_leases WHERE hub_id = ?", arguments: [hub.rawValue])
                .map(Self.lease)
        }
    }

    private static let leaseColumns = "hub_id, lease_owner, lease_until, requested_at"

    private static func lease(_ row: Row) -> HubLease {
        HubLease(
            hub: HubID(row["hub_id"] as String), owner: (row["lease_owner"] as String?).map { WorkerID($0) },
            until: (row["lease_until"] as Double?).map(Date.init(timeIntervalSinceReferenceDate:)),
            requestedAt: (row["requested_at"] as Double?).map(Date.init(timeIntervalSinceReferenceDate:)))
    }
}
