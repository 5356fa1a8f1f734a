import Foundation
import GRDB
import SyncModel
import SyncStore

/// The SQLite store (GRDB). A file database is a `DatabasePool` in WAL mode: readers never block
/// the writer nor each other. Tests use a private in-memory `DatabaseQueue`.
///
/// Semantics follow `MemoryStore` (the reference): reads and commits on an unknown hub throw
/// `.notFound`; a commit is one transaction, so a failing batch leaves nothing behind.
public final class SQLiteStore: SyncStore {
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file and migrates it.
    public init(path: String) throws {
        try createPrivately(path)
        writer = try Self.mapErrors { try DatabasePool(path: path, configuration: Self.configuration()) }
        try migrate()
    }

    /// A private in-memory database: gone when the store is released.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(writer: Self.mapErrors { try DatabaseQueue(configuration: configuration()) })
    }

    private init(writer: any DatabaseWriter) throws {
        self.writer = writer
        try migrate()
    }

    private func migrate() throws {
        try Self.mapErrors { try Schema.migrator.migrate(writer) }
    }

    static func configuration() -> Configuration {
        var c = Configuration()
        c.foreignKeysEnabled = true
        // Another process (CLI next to a daemon) may hold the write lock for a moment.
        c.busyMode = .timeout(10)
        c.prepareDatabase { db in
            // In WAL mode NORMAL cannot corrupt the database; a power loss may only drop the last
            // commits, which the engine's crash-safe batches tolerate. FULL would fsync every commit.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 16 MB of page cache per connection (the default is 2 MB): a pass over a large hub
            // re-reads index pages it just wrote.
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        return c
    }

    // MARK: Configuration

    public func saveHub(_ hub: HubConfig) throws {
        try write { db in
            try Self.refuseKindChange(db, hub)
            let config = try JSON.encode(hub)
            // An upsert, not INSERT OR REPLACE: REPLACE deletes the row first, which would cascade.
            try db.execute(
                sql: """
                    INSERT INTO hubs (hub_id, config, object_kind) VALUES (?, ?, ?)
                    ON CONFLICT(hub_id) DO UPDATE SET config = excluded.config, object_kind = excluded.object_kind
                    """,
                arguments: [hub.id.rawValue, config, hub.objectKind.rawValue])
        }
    }

    /// A hub's kind may change only while it holds nothing of its kind (each row is that kind's bytes).
    private static func refuseKindChange(_ db: Database, _ hub: HubConfig) throws {
        let h = hub.id.rawValue
        guard let held = try String.fetchOne(db, sql: "SELECT object_kind FROM hubs WHERE hub_id = ?", arguments: [h]),
            held != hub.objectKind.rawValue
        else { return }
        for table in ["items", "links", "intents", "journal"] {
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE hub_id = ?)", arguments: [h]) == true {
                throw StoreError.kindChange(hub.id, holds: ObjectKind(rawValue: held) ?? .contacts, to: hub.objectKind)
            }
        }
    }

    public func hubs() throws -> [HubConfig] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT config, object_kind FROM hubs ORDER BY hub_id")).map {
                try Self.hubConfig($0)
            }
        }
    }

    public func hub(_ id: HubID) throws -> HubConfig? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT config, object_kind FROM hubs WHERE hub_id = ?"),
                             arguments: [id.rawValue])
                .map { try Self.hubConfig($0) }
        }
    }

    /// The kind is the column's (the config JSON of hubs made before kinds has none).
    static func hubConfig(_ row: Row) throws -> HubConfig {
        var hub = try JSON.decode(HubConfig.self, row[0] as String, "hub config")
        let kind: String = row[1]
        guard let objectKind = ObjectKind(rawValue: kind) else {
            throw StoreError(.corrupt, "hub \(hub.id) holds an unknown kind of item: \(kind)")
        }
        hub.objectKind = objectKind
        return hub
    }

    public func deleteHub(_ id: HubID) throws {
        try write { db in
            for table in Schema.hubTables + ["hubs"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE hub_id = ?", arguments: [id.rawValue])
            }
        }
    }

    public func saveSpoke(_ spoke: SpokeConfig) throws {
        try write { db in
            try Self.requireHub(db, spoke.hub)
            let config = try JSON.encode(spoke)
            try db.execute(
                sql: """
                    INSERT INTO spokes (hub_id, spoke_id, position, config) VALUES (?, ?, ?, ?)
                    ON CONFLICT(hub_id, spoke_id) DO UPDATE SET position = excluded.position, config = excluded.config
                    """,
                arguments: [spoke.hub.rawValue, spoke.id.rawValue, spoke.position, config])
        }
    }

    public func spokes(hub: HubID) throws -> [SpokeConfig] {
        try read { db in
            let rows = try String.fetchAll(
                db.cachedStatement(sql: "SELECT config FROM spokes WHERE hub_id = ? ORDER BY position, spoke_id"),
                arguments: [hub.rawValue])
            if rows.isEmpty { try Self.requireHub(db, hub) }
            return try rows.map { try JSON.decode(SpokeConfig.self, $0, "spoke config") }
        }
    }

    public func deleteSpoke(_ id: SpokeID, hub: HubID) throws {
        try write { db in
            for table in Schema.spokeTables {
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE hub_id = ? AND spoke_id = ?",
                    arguments: [hub.rawValue, id.rawValue])
            }
        }
    }

    // MARK: Plumbing

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mapErrors { try writer.read(body) }
    }

    /// One transaction: any error thrown by `body` rolls all of it back.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mapErrors { try writer.write(body) }
    }

    /// A transaction that is on disk when this returns: synchronous=FULL syncs the WAL at commit
    /// (NORMAL, the default here, only at checkpoints).
    func write<T>(durable: Bool, _ body: (Database) throws -> T) throws -> T {
        guard durable else { return try write(body) }
        return try Self.mapErrors {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
                var result: Result<T, any Error> = .failure(StoreError(.io, "transaction did not run"))
                try db.inTransaction {
                    result = .success(try body(db))
                    return .commit
                }
                return try result.get()
            }
        }
    }

    /// The hub exists and holds `Item`'s kind: checked before every read or write of items, links,
    /// intents or the journal (one primary-key lookup), since only items say their kind per row.
    static func requireHub<Item: StoredItem>(_ db: Database, _ hub: HubID, holding kind: Item.Type) throws {
        guard let held = try String.fetchOne(
            db.cachedStatement(sql: "SELECT object_kind FROM hubs WHERE hub_id = ?"), arguments: [hub.rawValue])
        else { throw StoreError(.notFound, "no hub \(hub)") }
        guard held == Item.objectKind.rawValue else {
            guard let heldKind = ObjectKind(rawValue: held) else {
                throw StoreError(.corrupt, "hub \(hub) holds an unknown kind of item: \(held)")
            }
            throw StoreError.wrongKind(hub, holds: heldKind, asked: kind)
        }
    }

    /// Reads skip this check when they found rows (a row implies the hub); an empty answer
    /// must still tell an empty hub from an unknown one, as MemoryStore does.
    static func requireHub(_ db: Database, _ hub: HubID) throws {
        let found = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM hubs WHERE hub_id = ?"), arguments: [hub.rawValue]) ?? false
        if !found { throw StoreError(.notFound, "no hub \(hub)") }
    }

    /// Maps every failure to `StoreError`: unique-constraint violations are conflicts, undecodable
    /// rows and a damaged file are corruption, anything else is I/O.
    static func mapErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            let code = e.extendedResultCode
            if code == .SQLITE_CONSTRAINT_UNIQUE || code == .SQLITE_CONSTRAINT_PRIMARYKEY {
                throw StoreError(.conflict, e.message ?? e.description)
            }
            if e.resultCode == .SQLITE_BUSY || e.resultCode == .SQLITE_LOCKED {
                throw StoreError(.busy, e.description)
            }
            if e.resultCode == .SQLITE_CORRUPT || e.resultCode == .SQLITE_NOTADB {
                throw StoreError(.corrupt, e.description)
            }
            throw StoreError(.io, e.description)
        } catch let e as RowDecodingError {
            throw StoreError(.corrupt, "\(e)")
        } catch {
            throw StoreError(.io, "\(error)")
        }
    }
}

/// SQLite creates a database 0644 (less the umask) and gives its -wal and -shm files the
/// database file's mode: made empty with 0600 first, all three stay the owner's. An existing
/// file keeps the mode its owner chose.
private func createPrivately(_ path: String) throws {
    let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    if fd >= 0 {
        close(fd)
        return
    }
    guard errno == EEXIST else {
        throw StoreError(.io, "cannot create \(path): \(String(cString: strerror(errno)))")
    }
}
