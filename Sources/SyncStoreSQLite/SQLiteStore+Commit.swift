import GRDB
import SyncModel
import SyncStore

extension SQLiteStore {
    /// Applies the batch in one write transaction, in MemoryStore's order (items, removed links,
    /// links, removed intents, added intents, journal, states, runs, removed holds, holds, spokes).
    ///
    /// No reads ahead of the writes: the (hub, spoke, remote id) UNIQUE constraint detects a
    /// conflicting link, the error aborts the transaction, and SQLite rolls back everything the
    /// batch already wrote. Removed links are applied before upserted ones, so a batch may hand a
    /// remote id from one item to another by removing the old link.
    public func commit<Item: StoredItem>(hub: HubID, batch b: ItemWriteBatch<Item>) throws {
        let h = hub.rawValue
        try write(durable: b.durable) { db in
            // Only a batch carrying items has a kind to check (ItemWriteBatch.carriesItems).
            if b.carriesItems { try Self.requireHub(db, hub, holding: Item.self) } else { try Self.requireHub(db, hub) }
            var blobs = BlobMemo(items: b.items)
            // Versions allocated inside the transaction, after the hub's newest (an index lookup);
            // the UNIQUE (hub_id, version) index checks explicit ones.
            var allocated: [ItemID: Int64] = [:]
            if !b.items.isEmpty {
                var next: Int64?
                let stmt = try db.cachedStatement(sql: Self.upsertItem)
                for var item in b.items {
                    if item.version == HubRecord<Item>.allocatedVersion {
                        let v = try next ?? Int64.fetchOne(
                            db.cachedStatement(sql: "SELECT MAX(version) FROM items WHERE hub_id = ?"),
                            arguments: [h]) ?? 0
                        next = v + 1
                        item.version = v + 1
                        allocated[item.id] = v + 1
                    }
                    try stmt.execute(arguments: try Rows.itemArguments(hub, item, bytes: blobs.item(item)))
                }
            }
            try delete(db, "DELETE FROM links WHERE hub_id = ? AND spoke_id = ? AND item_id = ?", h, b.removedLinks)
            if !b.links.isEmpty {
                let stmt = try db.cachedStatement(sql: Self.upsertLink)
                for var link in b.links {
                    if link.hubVersionSeen == ItemLink<Item>.seesBatchVersion {
                        link.hubVersionSeen = try allocated[link.item] ?? Int64.fetchOne(
                            db.cachedStatement(sql: "SELECT version FROM items WHERE hub_id = ? AND item_id = ?"),
                            arguments: [h, link.item.rawValue]) ?? 0
                    }
                    do {
                        try stmt.execute(
                            arguments: Rows.linkArguments(hub, link, base: blobs.blob(link.base, of: link.item)))
                    } catch let e as DatabaseError where e.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                        throw StoreError(
                            .conflict, "remote item \(link.remoteID) of spoke \(link.spoke) is already linked")
                    }
                }
            }
            try delete(db, "DELETE FROM intents WHERE hub_id = ? AND spoke_id = ? AND item_id = ?", h, b.removedIntents)
            if !b.addedIntents.isEmpty {
                let stmt = try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO intents (hub_id, \(Rows.intentColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)")
                for intent in b.addedIntents { try stmt.execute(arguments: Rows.intentArguments(hub, intent)) }
            }
            if !b.journal.isEmpty {
                // Per-hub sequence: continue from the hub's last entry (a PK index lookup).
                var seq = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT MAX(seq) FROM journal WHERE hub_id = ?"), arguments: [h]) ?? 0
                let stmt = try db.cachedStatement(
                    sql: "INSERT INTO journal (hub_id, \(Rows.journalColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                for entry in b.journal {
                    seq += 1
                    try stmt.execute(
                        arguments: Rows.journalArguments(
                            hub, entry, seq: seq, old: entry.old.map { blobs.blob($0, of: entry.item) },
                            new: entry.new.map { blobs.blob($0, of: entry.item) }))
                }
            }
            if let cut = b.pruneBefore?.storeValue {
                // In seq order up to the first entry to keep (the newest is always kept): the
                // cost is the entries let go, not the history, so every pass may ask.
                try db.execute(
                    sql: """
                        DELETE FROM journal WHERE hub_id = ? AND seq < COALESCE(
                            (SELECT seq FROM journal WHERE hub_id = ? AND at >= ? ORDER BY seq LIMIT 1),
                            (SELECT MAX(seq) FROM journal WHERE hub_id = ?))
                        """, arguments: [h, h, cut, h])
                try db.execute(
                    sql: "DELETE FROM runs WHERE hub_id = ? AND started_at < ? AND status != ?",
                    arguments: [h, cut, RunStatus.running.rawValue])
            }
            if !b.spokeStates.isEmpty {
                let stmt = try db.cachedStatement(
                    sql: """
                        INSERT OR REPLACE INTO spoke_state (hub_id, spoke_id, \(Rows.stateColumns))
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for state in b.spokeStates { try stmt.execute(arguments: Rows.stateArguments(hub, state)) }
            }
            for run in b.removedRuns {
                try db.execute(sql: "DELETE FROM runs WHERE hub_id = ? AND run_id = ?", arguments: [hub.rawValue, run.rawValue])
            }
            if !b.runs.isEmpty {
                let stmt = try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO runs (hub_id, \(Rows.runColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)")
                for run in b.runs { try stmt.execute(arguments: Rows.runArguments(hub, run)) }
            }
            if !b.removedHolds.isEmpty {
                let stmt = try db.cachedStatement(sql: "DELETE FROM holds WHERE hub_id = ? AND spoke_id = ?")
                for spoke in b.removedHolds { try stmt.execute(arguments: [h, spoke.rawValue]) }
            }
            if !b.holds.isEmpty {
                let stmt = try db.cachedStatement(
                    sql: "INSERT OR REPLACE INTO holds (hub_id, \(Rows.holdColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                for hold in b.holds { try stmt.execute(arguments: Rows.holdArguments(hub, hold)) }
            }
            for spoke in b.spokes where spoke.hub == hub {
                try db.execute(sql: Self.upsertSpoke, arguments: [h, spoke.id.rawValue, spoke.position, try JSON.encode(spoke)])
            }
        }
    }

    private func delete(_ db: Database, _ sql: String, _ hub: String, _ keys: [LinkKey]) throws {
        guard !keys.isEmpty else { return }
        let stmt = try db.cachedStatement(sql: sql)
        for k in keys { try stmt.execute(arguments: [hub, k.spoke.rawValue, k.item.rawValue]) }
    }

    private static let upsertItem = """
        INSERT INTO items (hub_id, \(Rows.itemColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(hub_id, item_id) DO UPDATE SET contact = excluded.contact, hash = excluded.hash,
            version = excluded.version, deleted = excluded.deleted, modified_at = excluded.modified_at,
            field_times = excluded.field_times, kind = excluded.kind
        """

    static let upsertSpoke = """
        INSERT INTO spokes (hub_id, spoke_id, position, config) VALUES (?, ?, ?, ?)
        ON CONFLICT(hub_id, spoke_id) DO UPDATE SET position = excluded.position, config = excluded.config
        """

    /// An upsert on the (spoke, item) key only: a clash on the (spoke, remote id) key is not
    /// resolved but raised, which is the uniqueness check.
    private static let upsertLink = """
        INSERT INTO links (hub_id, \(Rows.linkColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(hub_id, spoke_id, item_id) DO UPDATE SET remote_id = excluded.remote_id,
            remote_version = excluded.remote_version, base = excluded.base,
            hub_version_seen = excluded.hub_version_seen, created_by_hub = excluded.created_by_hub
        """
}
