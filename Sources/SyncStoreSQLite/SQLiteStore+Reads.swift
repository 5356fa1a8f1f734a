import GRDB
import SyncModel
import SyncStore

extension SQLiteStore {
    // MARK: Items

    public func items<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, ids: [ItemID]
    ) throws -> [ItemID: HubRecord<Item>] {
        try read { db in
            try Self.requireHub(db, hub, holding: kind)
            var out: [ItemID: HubRecord<Item>] = [:]
            out.reserveCapacity(ids.count)
            try Self.fetchIn(
                db, "SELECT \(Rows.itemColumns) FROM items WHERE hub_id = ? AND item_id", [hub.rawValue],
                ids.map(\.rawValue)
            ) { row in
                let item: HubRecord<Item> = try Rows.item(row)
                out[item.id] = item
            }
            return out
        }
    }

    public func items<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, changedAfter version: Int64, limit: Int
    ) throws -> [HubRecord<Item>] {
        try read { db in
            try Self.requireHub(db, hub, holding: kind)
            // Served by items_version: a range scan that stops after `limit` rows.
            return try Self.fetch(
                db, "SELECT \(Rows.itemColumns) FROM items WHERE hub_id = ? AND version > ? ORDER BY version LIMIT ?",
                [hub.rawValue, version, max(0, limit)], Rows.item)
        }
    }

    public func liveItems<Item: StoredItem>(_ kind: Item.Type, hub: HubID) throws -> [HubRecord<Item>] {
        try read { db in
            try Self.requireHub(db, hub, holding: kind)
            // `deleted = 0` matches the partial index items_live, which is already in id order.
            return try Self.fetch(
                db, "SELECT \(Rows.itemColumns) FROM items WHERE hub_id = ? AND deleted = 0 ORDER BY item_id",
                [hub.rawValue], Rows.item)
        }
    }

    public func liveItemCount(hub: HubID) throws -> Int {
        // (Named: with items_version unique, the planner would otherwise walk that index.)
        try count(hub, "SELECT COUNT(*) FROM items INDEXED BY items_live WHERE hub_id = ? AND deleted = 0", [hub.rawValue])
    }

    public func maxVersion(hub: HubID) throws -> Int64 {
        try read { db in
            let max = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(version) FROM items WHERE hub_id = ?"), arguments: [hub.rawValue])
            if max == nil { try Self.requireHub(db, hub) }
            return max ?? 0
        }
    }

    // MARK: Links

    public func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]
    ) throws -> [RemoteID: ItemLink<Item>] {
        try linkMap(hub, spoke, "remote_id", remoteIDs.map(\.rawValue), key: \.remoteID)
    }

    public func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, items: [ItemID]
    ) throws -> [ItemID: ItemLink<Item>] {
        try linkMap(hub, spoke, "item_id", items.map(\.rawValue), key: \.item)
    }

    private func linkMap<Item: StoredItem, K: Hashable>(
        _ hub: HubID, _ spoke: SpokeID, _ column: String, _ keys: [String], key: KeyPath<ItemLink<Item>, K>
    ) throws -> [K: ItemLink<Item>] {
        try read { db in
            try Self.requireHub(db, hub, holding: Item.self)
            var out: [K: ItemLink<Item>] = [:]
            out.reserveCapacity(keys.count)
            try Self.fetchIn(
                db, "SELECT \(Rows.linkColumns) FROM links WHERE hub_id = ? AND spoke_id = ? AND \(column)",
                [hub.rawValue, spoke.rawValue], keys
            ) { row in
                let link: ItemLink<Item> = try Rows.link(row)
                out[link[keyPath: key]] = link
            }
            return out
        }
    }

    public func linkVersions(hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]) throws -> [RemoteID: RemoteVersion?] {
        try read { db in
            var out: [RemoteID: RemoteVersion?] = [:]
            out.reserveCapacity(remoteIDs.count)
            // Served by the (hub, spoke, remote id) unique index alone, without the base blobs.
            try Self.fetchIn(
                db, "SELECT remote_id, remote_version FROM links WHERE hub_id = ? AND spoke_id = ? AND remote_id",
                [hub.rawValue, spoke.rawValue], remoteIDs.map(\.rawValue)
            ) { row in
                // updateValue: a link without a version must stay in the map (as nil).
                out.updateValue(
                    try row.decode(String?.self, atIndex: 1).map { RemoteVersion($0) },
                    forKey: RemoteID(try row.decode(String.self, atIndex: 0)))
            }
            if out.isEmpty { try Self.requireHub(db, hub) }
            return out
        }
    }

    public func linkedRemoteIDs(hub: HubID, spoke: SpokeID) throws -> Set<RemoteID> {
        try read { db in
            let ids = try String.fetchSet(
                db.cachedStatement(sql: "SELECT remote_id FROM links WHERE hub_id = ? AND spoke_id = ?"),
                arguments: [hub.rawValue, spoke.rawValue])
            if ids.isEmpty { try Self.requireHub(db, hub) }
            return Set(ids.map { RemoteID($0) })
        }
    }

    public func linkCount(hub: HubID, spoke: SpokeID) throws -> Int {
        try count(hub, "SELECT COUNT(*) FROM links WHERE hub_id = ? AND spoke_id = ?", [hub.rawValue, spoke.rawValue])
    }

    public func intents<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID
    ) throws -> [ItemCreateIntent<Item>] {
        try read { db in
            try Self.requireHub(db, hub, holding: kind)
            return try Self.fetch(
                db, "SELECT \(Rows.intentColumns) FROM intents WHERE hub_id = ? AND spoke_id = ? ORDER BY item_id",
                [hub.rawValue, spoke.rawValue], Rows.intent)
        }
    }

    // MARK: State, runs, journal, holds

    public func spokeState(hub: HubID, spoke: SpokeID) throws -> SpokeState {
        try read { db in
            let found = try Self.fetch(
                db, "SELECT \(Rows.stateColumns) FROM spoke_state WHERE hub_id = ? AND spoke_id = ?",
                [hub.rawValue, spoke.rawValue]) { try Rows.state($0, spoke: spoke) }
            if let state = found.first { return state }
            try Self.requireHub(db, hub)
            return SpokeState(spoke: spoke)
        }
    }

    public func runs(hub: HubID, limit: Int) throws -> [RunRecord] {
        try read { db in
            let out = try Self.fetch(
                db,
                "SELECT \(Rows.runColumns) FROM runs WHERE hub_id = ? ORDER BY started_at DESC, run_id DESC LIMIT ?",
                [hub.rawValue, max(0, limit)]) { try Rows.run($0, hub: hub) }
            if out.isEmpty { try Self.requireHub(db, hub) }
            return out
        }
    }

    public func latestRuns() throws -> [HubID: RunRecord] {
        try read { db in
            // One index seek per hub (runs_started), not a scan of every run kept.
            let rows = try Self.fetch(
                db, """
                    SELECT \(Rows.runColumns), h.hub_id FROM hubs h JOIN runs r ON r.hub_id = h.hub_id AND r.run_id = (
                        SELECT run_id FROM runs WHERE hub_id = h.hub_id ORDER BY started_at DESC, run_id DESC LIMIT 1)
                    """, []
            ) { row in try Rows.run(row, hub: HubID(try row.decode(String.self, atIndex: 6))) }
            return Dictionary(rows.map { ($0.hub, $0) }) { a, _ in a }
        }
    }

    public func run(hub: HubID, id: RunID) throws -> RunRecord? {
        try read { db in
            let found = try Self.fetch(
                db, "SELECT \(Rows.runColumns) FROM runs WHERE hub_id = ? AND run_id = ?", [hub.rawValue, id.rawValue]
            ) { try Rows.run($0, hub: hub) }
            if found.isEmpty { try Self.requireHub(db, hub) }
            return found.first
        }
    }

    public func journal<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, _ q: JournalQuery
    ) throws -> [ItemJournalEntry<Item>] {
        try read { db in
            try Self.requireHub(db, hub, holding: kind)
            // At most 16 distinct statements (filters present or not), each cached.
            var sql = "SELECT \(Rows.journalColumns) FROM journal WHERE hub_id = ?"
            var args: StatementArguments = [hub.rawValue]
            if q.conflicts { sql += " AND \(Self.settlesConflict)" }
            if let item = q.item { sql += " AND item_id = ?"; args += [item.rawValue] }
            if let run = q.run { sql += " AND run_id = ?"; args += [run.rawValue] }
            if let before = q.before { sql += " AND seq < ?"; args += [before] }
            sql += " ORDER BY seq DESC LIMIT ?"
            args += [max(0, q.limit)]
            return try Self.fetch(db, sql, args) { try Rows.journal($0, hub: hub) }
        }
    }

    /// The condition of the `journal_conflicts` partial index, word for word (SQLite uses a
    /// partial index only for a query that repeats its WHERE).
    static let settlesConflict = "conflicts IS NOT NULL AND new IS NOT NULL"

    /// A count over the partial index: as cheap with a million entries as with ten conflicts.
    public func conflictCount(hub: HubID) throws -> Int {
        try read { db in
            let n = try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM journal WHERE hub_id = ? AND \(Self.settlesConflict)"),
                arguments: [hub.rawValue]) ?? 0
            if n == 0 { try Self.requireHub(db, hub) }
            return n
        }
    }

    public func holds(hub: HubID) throws -> [DeletionHold] {
        try read { db in
            let out = try Self.fetch(
                db, "SELECT \(Rows.holdColumns) FROM holds WHERE hub_id = ? ORDER BY spoke_id", [hub.rawValue],
                Rows.hold)
            if out.isEmpty { try Self.requireHub(db, hub) }
            return out
        }
    }

    // MARK: Helpers

    /// Longest `IN (...)` list per statement, well under SQLite's variable limit.
    static let chunkSize = 500
    /// A chunk is padded up to one of these lengths by repeating its last key (harmless in IN),
    /// so each lookup needs at most four cached statements instead of one per length.
    static let chunkBuckets = [8, 32, 128, chunkSize]

    private func count(_ hub: HubID, _ sql: String, _ args: StatementArguments) throws -> Int {
        try read { db in
            let n = try Int.fetchOne(db.cachedStatement(sql: sql), arguments: args) ?? 0
            if n == 0 { try Self.requireHub(db, hub) }
            return n
        }
    }

    static func fetch<T>(
        _ db: Database, _ sql: String, _ args: StatementArguments, _ map: (Row) throws -> T
    ) throws -> [T] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: args)
        var out: [T] = []
        while let row = try rows.next() { out.append(try map(row)) }
        return out
    }

    /// Runs `sql IN (?, ...)` over `keys` in chunks, calling `body` per row.
    static func fetchIn(
        _ db: Database, _ sql: String, _ fixed: StatementArguments, _ keys: [String], _ body: (Row) throws -> Void
    ) throws {
        var start = 0
        while start < keys.count {
            var chunk = Array(keys[start..<min(start + chunkSize, keys.count)])
            start += chunk.count
            let length = chunkBuckets.first { $0 >= chunk.count } ?? chunk.count
            chunk += repeatElement(chunk[chunk.count - 1], count: length - chunk.count)
            let marks = Array(repeating: "?", count: length).joined(separator: ",")
            var args = fixed
            args += StatementArguments(chunk)
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "\(sql) IN (\(marks))"), arguments: args)
            while let row = try rows.next() { try body(row) }
        }
    }
}
