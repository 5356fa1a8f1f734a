import PostgresNIO
import SyncModel
import SyncStore

extension PostgresStore {
    // MARK: Items

    public func items<Item: StoredItem>(_ kind: Item.Type, hub: HubID, ids: [ItemID]) throws -> [ItemID: HubRecord<Item>] {
        try pool.with { s in
            try Self.requireHub(s, hub, holding: kind)
            var out: [ItemID: HubRecord<Item>] = [:]
            for chunk in Self.chunks(ids.map(\.rawValue)) {
                for row in try s.rows("""
                    SELECT \(unescaped: Rows.itemColumns) FROM items WHERE hub_id = \(hub.rawValue) AND item_id = ANY(\(chunk))
                    """) {
                    let item: HubRecord<Item> = try Rows.item(row)
                    out[item.id] = item
                }
            }
            return out
        }
    }

    public func items<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, changedAfter version: Int64, limit: Int
    ) throws -> [HubRecord<Item>] {
        try pool.with { s in
            try Self.requireHub(s, hub, holding: kind)
            return try s.rows("""
                SELECT \(unescaped: Rows.itemColumns) FROM items WHERE hub_id = \(hub.rawValue) AND version > \(version)
                ORDER BY version LIMIT \(Int64(max(0, limit)))
                """).map(Rows.item)
        }
    }

    public func liveItems<Item: StoredItem>(_ kind: Item.Type, hub: HubID) throws -> [HubRecord<Item>] {
        try pool.with { s in
            try Self.requireHub(s, hub, holding: kind)
            // COLLATE "C": ids in byte order, as SQLite's (and MemoryStore's) order.
            return try s.rows("""
                SELECT \(unescaped: Rows.itemColumns) FROM items WHERE hub_id = \(hub.rawValue) AND NOT deleted
                ORDER BY item_id COLLATE "C"
                """).map(Rows.item)
        }
    }

    public func liveItemCount(hub: HubID) throws -> Int {
        try count(hub, "SELECT COUNT(*) FROM items WHERE hub_id = \(hub.rawValue) AND NOT deleted")
    }

    public func maxVersion(hub: HubID) throws -> Int64 {
        try pool.with { s in
            let max = try s.one("SELECT MAX(version) FROM items WHERE hub_id = \(hub.rawValue)", as: Int64?.self) ?? nil
            if max == nil { try Self.requireHub(s, hub) }
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
        try pool.with { s in
            try Self.requireHub(s, hub, holding: Item.self)
            var out: [K: ItemLink<Item>] = [:]
            for chunk in Self.chunks(keys) {
                for row in try s.rows("""
                    SELECT \(unescaped: Rows.linkColumns) FROM links
                    WHERE hub_id = \(hub.rawValue) AND spoke_id = \(spoke.rawValue) AND \(unescaped: column) = ANY(\(chunk))
                    """) {
                    let link: ItemLink<Item> = try Rows.link(row)
                    out[link[keyPath: key]] = link
                }
            }
            return out
        }
    }

    public func linkVersions(hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]) throws -> [RemoteID: RemoteVersion?] {
        try pool.with { s in
            var out: [RemoteID: RemoteVersion?] = [:]
            for chunk in Self.chunks(remoteIDs.map(\.rawValue)) {
                for row in try s.rows("""
                    SELECT remote_id, remote_version FROM links
                    WHERE hub_id = \(hub.rawValue) AND spoke_id = \(spoke.rawValue) AND remote_id = ANY(\(chunk))
                    """) {
                    // updateValue: a link without a version must stay in the map (as nil).
                    out.updateValue(try row.get(1, String?.self).map { RemoteVersion($0) }, forKey: RemoteID(try row.get(0, String.self)))
                }
            }
            if out.isEmpty { try Self.requireHub(s, hub) }
            return out
        }
    }

    public func linkedRemoteIDs(hub: HubID, spoke: SpokeID) throws -> Set<RemoteID> {
        try pool.with { s in
            let ids = try s.rows("SELECT remote_id FROM links WHERE hub_id = \(hub.rawValue) AND spoke_id = \(spoke.rawValue)")
                .map { RemoteID(try $0.get(0, String.self)) }
            if ids.isEmpty { try Self.requireHub(s, hub) }
            return Set(ids)
        }
    }

    public func linkCount(hub: HubID, spoke: SpokeID) throws -> Int {
        try count(hub, "SELECT COUNT(*) FROM links WHERE hub_id = \(hub.rawValue) AND spoke_id = \(spoke.rawValue)")
    }

    public func intents<Item: StoredItem>(_ kind: Item.Type, hub: HubID, spoke: SpokeID) throws -> [ItemCreateIntent<Item>] {
        try pool.with { s in
            try Self.requireHub(s, hub, holding: kind)
            return try s.rows("""
                SELECT \(unescaped: Rows.intentColumns) FROM intents WHERE hub_id = \(hub.rawValue) AND spoke_id = \(spoke.rawValue)
                ORDER BY item_id COLLATE "C"
                """).map(Rows.intent)
        }
    }

    // MARK: State, runs, journal, holds

    public func spokeState(hub: HubID, spoke: SpokeID) throws -> SpokeState {
        try pool.with { s in
            if let row = try s.rows("""
                SELECT \(unescaped: Rows.stateColumns) FROM spoke_state WHERE hub_id = \(hub.rawValue) AND spoke_id = \(spoke.rawValue)
                """).first {
                return try Rows.state(row, spoke: spoke)
            }
            try Self.requireHub(s, hub)
            return SpokeState(spoke: spoke)
        }
    }

    public func runs(hub: HubID, limit: Int) throws -> [RunRecord] {
        try pool.with { s in
            let out = try s.rows("""
                SELECT \(unescaped: Rows.runColumns) FROM runs WHERE hub_id = \(hub.rawValue)
                ORDER BY started_at DESC, run_id COLLATE "C" DESC LIMIT \(Int64(max(0, limit)))
                """).map { try Rows.run($0, hub: hub) }
            if out.isEmpty { try Self.requireHub(s, hub) }
            return out
        }
    }

    public func latestRuns() throws -> [HubID: RunRecord] {
        try pool.with { s in
            // One index seek per hub (runs_started), not a scan of every run kept.
            let rows = try s.rows("""
                SELECT \(unescaped: Rows.runColumns), h.hub_id FROM hubs h CROSS JOIN LATERAL (
                    SELECT \(unescaped: Rows.runColumns) FROM runs WHERE runs.hub_id = h.hub_id
                    ORDER BY started_at DESC, run_id COLLATE "C" DESC LIMIT 1) r
                """).map { try Rows.run($0, hub: HubID(try $0.get(6, String.self))) }
            return Dictionary(rows.map { ($0.hub, $0) }) { a, _ in a }
        }
    }

    public func run(hub: HubID, id: RunID) throws -> RunRecord? {
        try pool.with { s in
            let found = try s.rows("""
                SELECT \(unescaped: Rows.runColumns) FROM runs WHERE hub_id = \(hub.rawValue) AND run_id = \(id.rawValue)
                """).map { try Rows.run($0, hub: hub) }
            if found.isEmpty { try Self.requireHub(s, hub) }
            return found.first
        }
    }

    public func journal<Item: StoredItem>(_ kind: Item.Type, hub: HubID, _ q: JournalQuery) throws -> [ItemJournalEntry<Item>] {
        try pool.with { s in
            try Self.requireHub(s, hub, holding: kind)
            // Absent filters are NULL binds, so one statement serves every combination.
            return try s.rows("""
                SELECT \(unescaped: Rows.journalColumns) FROM journal WHERE hub_id = \(hub.rawValue)
                    AND (NOT \(q.conflicts) OR (\(unescaped: Self.settlesConflict)))
                    AND (\(q.item?.rawValue)::text IS NULL OR item_id = \(q.item?.rawValue))
                    AND (\(q.run?.rawValue)::text IS NULL OR run_id = \(q.run?.rawValue))
                    AND (\(q.before)::bigint IS NULL OR seq < \(q.before))
                ORDER BY seq DESC LIMIT \(Int64(max(0, q.limit)))
                """).map { try Rows.journal($0, hub: hub) }
        }
    }

    /// The condition of the `journal_conflicts` partial index.
    static let settlesConflict = "conflicts IS NOT NULL AND new IS NOT NULL"

    public func conflictCount(hub: HubID) throws -> Int {
        try count(hub, "SELECT COUNT(*) FROM journal WHERE hub_id = \(hub.rawValue) AND \(unescaped: Self.settlesConflict)")
    }

    public func holds(hub: HubID) throws -> [DeletionHold] {
        try pool.with { s in
            let out = try s.rows("""
                SELECT \(unescaped: Rows.holdColumns) FROM holds WHERE hub_id = \(hub.rawValue) ORDER BY spoke_id COLLATE "C"
                """).map(Rows.hold)
            if out.isEmpty { try Self.requireHub(s, hub) }
            return out
        }
    }

    // MARK: Helpers

    /// Longest key array per statement: a bound on one statement's size, not a limit of PostgreSQL.
    static let chunkSize = 1000

    static func chunks(_ keys: [String]) -> [[String]] {
        stride(from: 0, to: keys.count, by: chunkSize).map { Array(keys[$0..<min($0 + chunkSize, keys.count)]) }
    }

    private func count(_ hub: HubID, _ query: PostgresQuery) throws -> Int {
        try pool.with { s in
            let n = Int(try s.one(query, as: Int64.self) ?? 0)
            if n == 0 { try Self.requireHub(s, hub) }
            return n
        }
    }
}
