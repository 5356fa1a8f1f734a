import Foundation
import GRDB
import SyncModel
import SyncStore
@testable import SyncStoreSQLite
import Testing

/// The hostile_engine migration on a database where two writers once handed out one version
/// twice: the later item moves above the hub's newest version (so every spoke is sent it), and
/// the database then refuses a duplicate.
@Suite struct VersionMigrationTests {
    @Test func duplicateVersionsAreRenumbered() throws {
        let db = try DatabaseQueue()
        try Schema.migrator.migrate(db, upTo: "v3 web accounts")
        try db.write { db in
            try db.execute(sql: "INSERT INTO hubs (hub_id, config) VALUES ('h', '{}'), ('g', '{}')")
            for (hub, item, version) in [("h", "a", 1), ("h", "b", 2), ("h", "c", 2), ("h", "d", 3), ("g", "x", 2)] {
                try db.execute(
                    sql: """
                        INSERT INTO items (hub_id, item_id, contact, hash, version, deleted, modified_at)
                        VALUES (?, ?, x'00', 0, ?, 0, 0)
                        """, arguments: [hub, item, version])
            }
            try db.execute(sql: "INSERT INTO holds (hub_id, spoke_id, detected_at, items, reason) VALUES ('h', 's', 0, '[]', 'r')")
        }
        try Schema.migrator.migrate(db)
        let versions = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT hub_id, item_id, version FROM items ORDER BY hub_id, item_id")
                .map { "\($0[0] as String)/\($0[1] as String)=\($0[2] as Int64)" }
        }
        #expect(versions == ["g/x=2", "h/a=1", "h/b=2", "h/c=4", "h/d=3"])
        let decision = try db.read { try String.fetchOne($0, sql: "SELECT decision FROM holds") }
        #expect(decision == "pending")
        #expect(throws: DatabaseError.self) {
            try db.write { try $0.execute(sql: "UPDATE items SET version = 1 WHERE item_id = 'd'") }
        }
    }
}
