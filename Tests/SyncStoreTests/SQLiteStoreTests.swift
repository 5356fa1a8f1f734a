import Foundation
import GRDB
import SyncModel
import SyncStore
@testable import SyncStoreSQLite
import Testing

@Suite("SQLiteStore specifics")
struct SQLiteStoreTests {
    @Test func dataSurvivesReopenAndMigrationIsIdempotent() throws {
        try TempDir.with { dir in
            let path = dir.appending(path: "hub.sqlite").path
            let hold = DeletionHold(spoke: spoke1, detectedAt: at(1), items: ["i1"], reason: "r")
            let entry = JournalEntry(hub: hubA, run: "run", item: "i1", source: .approval(spoke2), at: at(2),
                                     kind: .updated, old: person("old"), new: fullContact, conflicts: [.emails])
            do {
                let s = try SQLiteStore(path: path)
                try makeHub(s)
                try s.commit(hub: hubA, batch { b in
                    b.items = [item("i1", v: 1, contact: fullContact), item("i2", v: 2, deleted: true)]
                    b.links = [link(spoke1, "i1", "r1")]
                    b.journal = [entry]
                    b.holds = [hold]
                    b.spokeStates = [SpokeState(spoke: spoke1, cursor: "c", pushedThrough: 2, lastSyncAt: at(3))]
                })
            }  // released: every connection closed
            for _ in 0..<2 {  // each open runs the migrator again
                let s = try SQLiteStore(path: path)
                #expect(try s.hubs().map(\.id) == [hubA])
                #expect(try s.spokes(hub: hubA).map(\.id) == [spoke1, spoke2])
                #expect(try s.items(hub: hubA, ids: ["i1"])["i1"] == item("i1", v: 1, contact: fullContact))
                #expect(try s.items(hub: hubA, changedAfter: 0, limit: 10).map(\.id) == ["i1", "i2"])
                #expect(try s.links(hub: hubA, spoke: spoke1, items: ["i1"])["i1"] == link(spoke1, "i1", "r1"))
                var stored = entry
                stored.seq = 1
                #expect(try s.journal(hub: hubA, JournalQuery()).last == stored)
                #expect(try s.holds(hub: hubA) == [hold])
                #expect(try s.spokeState(hub: hubA, spoke: spoke1).lastSyncAt == at(3))
                let migrations = try s.writer.read {
                    try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations")
                }
                #expect(migrations == [
                    "v1", "v2 field times", "v3 web accounts", "hostile_engine 1 hold decisions, unique versions",
                    "hostile_engine 2 listing resume page", "engine 1 object kinds", "web 1 conflict index",
                    "invite 1 invitations", "fleet 1 hub leases", "fleet 2 web state",
                ])
                // The sequence continues after a reopen.
                try s.commit(hub: hubA, batch { $0.journal = [entry] })
            }
            let s = try SQLiteStore(path: path)
            #expect(try s.journal(hub: hubA, JournalQuery()).map(\.seq) == [3, 2, 1])
        }
    }

    @Test func connectionSettings() throws {
        try TempDir.with { dir in
            let s = try SQLiteStore(path: dir.appending(path: "hub.sqlite").path)
            let (mode, sync, fk, busy) = try s.writer.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                 try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"), try Int.fetchOne(db, sql: "PRAGMA busy_timeout"))
            }
            #expect(mode == "wal")
            #expect(sync == 1)  // NORMAL
            #expect(fk == true)
            #expect(busy == 10_000)
        }
    }

    /// The hot reads must be index range scans, never a scan of the items table.
    @Test func hotQueriesUseIndexes() throws {
        let s = try SQLiteStore.inMemory()
        func plan(_ sql: String) throws -> String {
            try s.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
                    .joined(separator: "; ")
            }
        }
        let changed = try plan(
            "SELECT \(Rows.itemColumns) FROM items WHERE hub_id = 'h' AND version > 0 ORDER BY version LIMIT 500")
        #expect(changed.contains("USING INDEX items_version"), "\(changed)")
        #expect(!changed.contains("TEMP B-TREE"), "\(changed)")
        let live = try plan("SELECT \(Rows.itemColumns) FROM items WHERE hub_id = 'h' AND deleted = 0 ORDER BY item_id")
        #expect(live.contains("USING INDEX items_live"), "\(live)")
        #expect(!live.contains("TEMP B-TREE"), "\(live)")
        let count = try plan("SELECT COUNT(*) FROM items INDEXED BY items_live WHERE hub_id = 'h' AND deleted = 0")
        #expect(count.contains("items_live"), "\(count)")
        let remote = try plan(
            "SELECT \(Rows.linkColumns) FROM links WHERE hub_id = 'h' AND spoke_id = 's' AND remote_id IN ('a','b')")
        #expect(remote.contains("USING INDEX"), "\(remote)")
        let journal = try plan(
            "SELECT \(Rows.journalColumns) FROM journal WHERE hub_id = 'h' AND item_id = 'i' ORDER BY seq DESC LIMIT 9")
        #expect(journal.contains("journal_item"), "\(journal)")
        // The web state's per-request reads and sweeps.
        let peer = try plan("SELECT COUNT(*), MIN(at) FROM sign_in_peer_failures WHERE peer = 'p' AND at > 0")
        #expect(peer.contains("sign_in_peer_failures_peer"), "\(peer)")
        let swept = try plan("DELETE FROM web_sessions WHERE last_seen < 0")
        #expect(swept.contains("web_sessions_seen"), "\(swept)")
    }

    @Test func undecodableBlobIsCorrupt() throws {
        let s = try SQLiteStore.inMemory()
        try makeHub(s)
        try s.commit(hub: hubA, batch { $0.items = [item("i1", v: 1)] })
        try s.writer.write { try $0.execute(sql: "UPDATE items SET contact = x'09FF'") }
        expectStoreError(.corrupt) { _ = try s.items(hub: hubA, ids: ["i1"]) }
        expectStoreError(.corrupt) { _ = try s.liveItems(hub: hubA) }
        try s.writer.write { try $0.execute(sql: "UPDATE hubs SET config = 'not json'") }
        expectStoreError(.corrupt) { _ = try s.hubs() }
    }

    @Test func unopenableFileIsAStoreError() throws {
        try TempDir.with { dir in
            let path = dir.appending(path: "garbage.sqlite").path
            try Data(repeating: 0x42, count: 8_192).write(to: URL(fileURLWithPath: path))
            do {
                _ = try SQLiteStore(path: path)
                Issue.record("opened a file that is not a database")
            } catch let e as StoreError {
                #expect(e.kind == .corrupt || e.kind == .io, "\(e)")
            }
        }
    }
}

@Suite struct SQLiteMigrationTests {
    /// A database written before field times existed opens, keeps its items, and stores times.
    @Test func v1DatabaseUpgrades() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("v1-\(UUID().uuidString).sqlite").path
        do {
            let pool = try DatabasePool(path: path)
            try Schema.migrator.migrate(pool, upTo: "v1")
            try pool.write { db in
                try db.execute(sql: "INSERT INTO hubs (hub_id, config) VALUES (?, ?)",
                               arguments: [hubA.rawValue, try JSON.encode(HubConfig(id: hubA, name: "A"))])
                try db.execute(
                    sql: "INSERT INTO items (hub_id, item_id, contact, hash, version, deleted, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [hubA.rawValue, "old", Data(ContactCodec.encode(person("old"))), 0, 1, false, at(0).storeValue])
            }
        }
        let s = try SQLiteStore(path: path)
        let old = try #require(try s.items(hub: hubA, ids: ["old"])["old"])
        #expect(old.contact == person("old"))
        #expect(old.fieldTimes.isEmpty)
        var changed = old
        changed.fieldTimes.record([.text(.title)], at: at(9), itemModified: old.modifiedAt)
        try s.commit(hub: hubA, batch { $0.items = [changed] })
        #expect(try s.items(hub: hubA, ids: ["old"])["old"]?.fieldTimes.time(of: .text(.title), itemModified: at(0)) == at(9))
    }
}

@Suite struct SQLiteDurabilityTests {
    /// A durable batch commits with synchronous=FULL; the connection goes back to NORMAL after.
    @Test func durableCommitsSyncTheWAL() throws {
        try TempDir.with { dir in
            let s = try SQLiteStore(path: dir.appending(path: "hub.sqlite").path)
            let during = try s.write(durable: true) { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(during == 2)  // FULL
            let after = try s.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
            #expect(after == 1)  // NORMAL
            try makeHub(s)
            var b = batch { $0.items = [item("i1", v: 1)] }
            b.durable = true
            try s.commit(hub: hubA, b)
            #expect(try s.items(hub: hubA, ids: ["i1"]).count == 1)
        }
    }
}

@Suite struct SQLiteKindTests {
    /// An item row says its kind: one of another kind than its hub's is damage, reported, not
    /// decoded as the wrong type.
    @Test func aRowOfAnotherKindIsCorrupt() throws {
        let s = try SQLiteStore.inMemory()
        try makeHub(s)
        try s.commit(hub: hubA, batch { $0.items = [item("i1", v: 1)] })
        #expect(try s.writer.read { try String.fetchOne($0, sql: "SELECT kind FROM items") } == "contacts")
        try s.writer.write { try $0.execute(sql: "UPDATE items SET kind = 'calendar'") }
        expectStoreError(.corrupt) { _ = try s.items(hub: hubA, ids: ["i1"]) }
        expectStoreError(.corrupt) { _ = try s.liveItems(hub: hubA) }
        expectStoreError(.corrupt) { _ = try s.items(hub: hubA, changedAfter: 0, limit: 5) }
        // ... and an event's row is written as one.
        let events = Kit<Event>()
        try events.makeHub(s, hubB)
        try s.commit(hub: hubB, batch: events.batch { $0.items = [events.item("e1", v: 1, Event.full)] })
        #expect(try s.writer.read { try String.fetchOne($0, sql: "SELECT kind FROM items WHERE hub_id = ?", arguments: [hubB.rawValue]) } == "calendar")
        #expect(try s.items(Event.self, hub: hubB, ids: ["e1"])["e1"]?.item == Event.full)
    }

    /// A batch encodes an item once: a link base or journal value equal to the item's content
    /// reuses its bytes (the same storage, not an equal copy), for either kind.
    @Test func theBatchReusesAnItemsBytes() {
        func reuses<I: SampleItem>(_: I.Type) {
            let k = Kit<I>()
            var memo = BlobMemo<I>(items: [])
            let blob = memo.item(k.item("i1", v: 1, I.full))
            let again = memo.blob(I.full, of: "i1")
            #expect(again == blob)
            #expect(blob.withUnsafeBytes { $0.baseAddress } == again.withUnsafeBytes { $0.baseAddress })
            let other = memo.blob(k.sample("x"), of: "i1")
            #expect(other == Data(I.storeEncode(k.sample("x"))))
            #expect(memo.blob(I.full, of: "i2").withUnsafeBytes { $0.baseAddress } != blob.withUnsafeBytes { $0.baseAddress })
        }
        reuses(Contact.self)
        reuses(Event.self)
    }
}
