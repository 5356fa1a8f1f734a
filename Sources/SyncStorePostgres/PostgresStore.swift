import Foundation
import Logging
import PostgresNIO
import SyncModel
import SyncStore

/// The PostgreSQL store: the SQLite store's semantics (reads and commits on an unknown hub throw
/// `.notFound`; a commit is one transaction, so a failing batch leaves nothing behind), for
/// installations that outgrow one file or run workers on several machines.
///
/// Commits of one hub are serialised by a row lock on the hub (SQLite has one writer), so item
/// versions and journal sequence numbers, allocated as the hub's highest plus one, never clash.
public final class PostgresStore: SyncStore, Sendable {
    let pool: ConnectionPool

    /// Connects (lazily, per connection) and migrates. `connections`: how many statements may run
    /// at once (`serve` runs up to 8 passes besides its web requests).
    public init(
        _ database: PostgresURL, connections: Int = 12, busyAfter: TimeInterval = 10,
        logger: Logger = Logger(label: "hubsync.postgres")
    ) throws {
        var logger = logger
        // postgres-nio logs queries with their binds at debug and below: sealed settings and
        // password hashes are binds, so never below notice.
        if logger.logLevel < .notice { logger.logLevel = .notice }
        pool = ConnectionPool(configuration: try database.configuration, limit: max(1, connections), busyAfter: busyAfter, logger: logger)
        try Schema.migrate(pool)
    }

    // MARK: Configuration

    public func saveHub(_ hub: HubConfig) throws {
        let config = try JSON.encode(hub)
        try pool.transaction(durable: true) { s in
            try Self.refuseKindChange(s, hub)
            try s.execute("""
                INSERT INTO hubs (hub_id, config, object_kind) VALUES (\(hub.id.rawValue), \(config), \(hub.objectKind.rawValue))
                ON CONFLICT (hub_id) DO UPDATE SET config = excluded.config, object_kind = excluded.object_kind
                """)
        }
    }

    /// A hub's kind may change only while it holds nothing of its kind (each row is that kind's bytes).
    private static func refuseKindChange(_ s: Session, _ hub: HubConfig) throws {
        let h = hub.id.rawValue
        guard let held = try s.one("SELECT object_kind FROM hubs WHERE hub_id = \(h) FOR UPDATE", as: String.self),
            held != hub.objectKind.rawValue
        else { return }
        for table in ["items", "links", "intents", "journal"] {
            if try s.one("SELECT EXISTS (SELECT 1 FROM \(unescaped: table) WHERE hub_id = \(h))", as: Bool.self) == true {
                throw StoreError.kindChange(hub.id, holds: ObjectKind(rawValue: held) ?? .contacts, to: hub.objectKind)
            }
        }
    }

    public func hubs() throws -> [HubConfig] {
        try pool.with { s in try s.rows("SELECT config, object_kind FROM hubs ORDER BY hub_id COLLATE \"C\"").map(Self.hubConfig) }
    }

    public func hub(_ id: HubID) throws -> HubConfig? {
        try pool.with { s in
            try s.rows("SELECT config, object_kind FROM hubs WHERE hub_id = \(id.rawValue)").first.map(Self.hubConfig)
        }
    }

    /// The kind is the column's.
    static func hubConfig(_ row: PostgresRandomAccessRow) throws -> HubConfig {
        var hub = try JSON.decode(HubConfig.self, try row.get(0), "hub config")
        let kind = try row.get(1, String.self)
        guard let objectKind = ObjectKind(rawValue: kind) else {
            throw StoreError(.corrupt, "hub \(hub.id) holds an unknown kind of item: \(kind)")
        }
        hub.objectKind = objectKind
        return hub
    }

    public func deleteHub(_ id: HubID) throws {
        try pool.transaction(durable: true) { s in
            for table in Schema.hubTables + ["hubs"] {
                try s.execute("DELETE FROM \(unescaped: table) WHERE hub_id = \(id.rawValue)")
            }
        }
    }

    public func saveSpoke(_ spoke: SpokeConfig) throws {
        let config = try JSON.encode(spoke)
        try pool.transaction(durable: true) { s in
            try Self.requireHub(s, spoke.hub)
            try s.execute(Self.upsertSpoke(spoke.hub, spoke, config))
        }
    }

    static func upsertSpoke(_ hub: HubID, _ spoke: SpokeConfig, _ config: String) -> PostgresQuery {
        """
        INSERT INTO spokes (hub_id, spoke_id, position, config) VALUES (\(hub.rawValue), \(spoke.id.rawValue), \(spoke.position), \(config))
        ON CONFLICT (hub_id, spoke_id) DO UPDATE SET position = excluded.position, config = excluded.config
        """
    }

    public func spokes(hub: HubID) throws -> [SpokeConfig] {
        try pool.with { s in
            let rows = try s.rows("SELECT config FROM spokes WHERE hub_id = \(hub.rawValue) ORDER BY position, spoke_id COLLATE \"C\"")
            if rows.isEmpty { try Self.requireHub(s, hub) }
            return try rows.map { try JSON.decode(SpokeConfig.self, try $0.get(0), "spoke config") }
        }
    }

    public func deleteSpoke(_ id: SpokeID, hub: HubID) throws {
        try pool.transaction(durable: true) { s in
            for table in Schema.spokeTables {
                try s.execute("DELETE FROM \(unescaped: table) WHERE hub_id = \(hub.rawValue) AND spoke_id = \(id.rawValue)")
            }
        }
    }

    // MARK: Plumbing

    /// The hub exists and holds `Item`'s kind: checked before every read or write of items,
    /// links, intents or the journal. `forCommit` also takes the hub's row lock until the
    /// transaction ends, which serialises the hub's commits (and lets other hubs' run alongside).
    static func requireHub<Item: StoredItem>(_ s: Session, _ hub: HubID, holding kind: Item.Type, forCommit: Bool = false) throws {
        let lock: PostgresQuery = forCommit
            ? "SELECT object_kind FROM hubs WHERE hub_id = \(hub.rawValue) FOR NO KEY UPDATE"
            : "SELECT object_kind FROM hubs WHERE hub_id = \(hub.rawValue)"
        guard let held = try s.one(lock, as: String.self) else { throw StoreError(.notFound, "no hub \(hub)") }
        guard held == Item.objectKind.rawValue else {
            guard let heldKind = ObjectKind(rawValue: held) else {
                throw StoreError(.corrupt, "hub \(hub) holds an unknown kind of item: \(held)")
            }
            throw StoreError.wrongKind(hub, holds: heldKind, asked: kind)
        }
    }

    /// An empty answer must still tell an empty hub from an unknown one, as MemoryStore does.
    static func requireHub(_ s: Session, _ hub: HubID, forCommit: Bool = false) throws {
        let lock: PostgresQuery = forCommit
            ? "SELECT 1 FROM hubs WHERE hub_id = \(hub.rawValue) FOR NO KEY UPDATE"
            : "SELECT 1 FROM hubs WHERE hub_id = \(hub.rawValue)"
        if try s.rows(lock).isEmpty { throw StoreError(.notFound, "no hub \(hub)") }
    }
}
