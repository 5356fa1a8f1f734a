import PostgresNIO
import SyncModel
import SyncStore

extension PostgresStore {
    /// Applies the batch in one transaction, in MemoryStore's order (items, removed links, links,
    /// removed intents, added intents, journal, pruning, states, runs, removed holds, holds,
    /// spokes), under the hub's row lock (see the type's comment).
    ///
    /// No reads ahead of the writes: the (hub, spoke, remote id) UNIQUE constraint detects a
    /// conflicting link and the transaction rolls back everything the batch wrote. Removed links
    /// are applied before upserted ones, so a batch may hand a remote id from one item to another.
    public func commit<Item: StoredItem>(hub: HubID, batch b: ItemWriteBatch<Item>) throws {
        let h = hub.rawValue
        // Encoded before the transaction: the lock is held for the statements only.
        let itemBytes = b.items.map { ItemBytes.encode($0.item) }
        try pool.transaction(durable: b.durable) { s in
            if b.carriesItems {
                try Self.requireHub(s, hub, holding: Item.self, forCommit: true)
            } else {
                try Self.requireHub(s, hub, forCommit: true)
            }
            var allocated: [ItemID: Int64] = [:]
            var next: Int64?
            var items = b.items
            for i in items.indices where items[i].version == HubRecord<Item>.allocatedVersion {
                let v = try next ?? s.one("SELECT COALESCE(MAX(version), 0) FROM items WHERE hub_id = \(h)", as: Int64.self) ?? 0
                next = v + 1
                items[i].version = v + 1
                allocated[items[i].id] = v + 1
            }
            if !items.isEmpty { try Self.upsertItems(s, hub, items, itemBytes) }
            for k in b.removedLinks {
                try s.execute(
                    "DELETE FROM links WHERE hub_id = \(h) AND spoke_id = \(k.spoke.rawValue) AND item_id = \(k.item.rawValue)")
            }
            var links = b.links
            for i in links.indices where links[i].hubVersionSeen == ItemLink<Item>.seesBatchVersion {
                links[i].hubVersionSeen = try allocated[links[i].item] ?? s.one(
                    "SELECT version FROM items WHERE hub_id = \(h) AND item_id = \(links[i].item.rawValue)", as: Int64.self) ?? 0
            }
            if !links.isEmpty { try Self.upsertLinks(s, hub, links) }
            for k in b.removedIntents {
                try s.execute(
                    "DELETE FROM intents WHERE hub_id = \(h) AND spoke_id = \(k.spoke.rawValue) AND item_id = \(k.item.rawValue)")
            }
            for i in b.addedIntents {
                try s.execute("""
                    INSERT INTO intents (hub_id, \(unescaped: Rows.intentColumns))
                    VALUES (\(h), \(i.spoke.rawValue), \(i.item.rawValue), \(i.marker.hub.rawValue), \(i.marker.item.rawValue),
                            \(ItemBytes.encode(i.base)), \(i.startedAt.storeValue))
                    ON CONFLICT (hub_id, spoke_id, item_id) DO UPDATE SET marker_hub = excluded.marker_hub,
                        marker_item = excluded.marker_item, base = excluded.base, started_at = excluded.started_at
                    """)
            }
            if !b.journal.isEmpty {
                let first = try s.one("SELECT COALESCE(MAX(seq), 0) FROM journal WHERE hub_id = \(h)", as: Int64.self) ?? 0
                try Self.insertJournal(s, hub, b.journal, firstSeq: first + 1)
            }
            if let cut = b.pruneBefore?.storeValue {
                // Up to the first entry to keep; the hub's newest always stays, so seq keeps growing.
                try s.execute("""
                    DELETE FROM journal WHERE hub_id = \(h) AND seq < COALESCE(
                        (SELECT seq FROM journal WHERE hub_id = \(h) AND at >= \(cut) ORDER BY seq LIMIT 1),
                        (SELECT MAX(seq) FROM journal WHERE hub_id = \(h)))
                    """)
                try s.execute(
                    "DELETE FROM runs WHERE hub_id = \(h) AND started_at < \(cut) AND status != \(RunStatus.running.rawValue)")
            }
            for st in b.spokeStates {
                let stats = try st.lastStats.map(JSON.encode)
                try s.execute("""
                    INSERT INTO spoke_state (hub_id, spoke_id, \(unescaped: Rows.stateColumns))
                    VALUES (\(h), \(st.spoke.rawValue), \(st.cursor?.rawValue), \(st.pushedThrough),
                            \(st.lastSyncAt?.storeValue), \(st.lastError), \(stats), \(st.resumePage?.rawValue))
                    ON CONFLICT (hub_id, spoke_id) DO UPDATE SET cursor = excluded.cursor,
                        pushed_through = excluded.pushed_through, last_sync_at = excluded.last_sync_at,
                        last_error = excluded.last_error, last_stats = excluded.last_stats, resume_page = excluded.resume_page
                    """)
            }
            for r in b.removedRuns {
                try s.execute("DELETE FROM runs WHERE hub_id = \(h) AND run_id = \(r.rawValue)")
            }
            for r in b.runs {
                let stats = try JSON.encode(RunStatsDTO(r.stats)), errors = try JSON.encode(r.errors)
                try s.execute("""
                    INSERT INTO runs (hub_id, \(unescaped: Rows.runColumns))
                    VALUES (\(h), \(r.id.rawValue), \(r.startedAt.storeValue), \(r.finishedAt?.storeValue), \(r.status.rawValue),
                            \(stats), \(errors))
                    ON CONFLICT (hub_id, run_id) DO UPDATE SET started_at = excluded.started_at,
                        finished_at = excluded.finished_at, status = excluded.status, stats = excluded.stats,
                        errors = excluded.errors
                    """)
            }
            for spoke in b.removedHolds {
                try s.execute("DELETE FROM holds WHERE hub_id = \(h) AND spoke_id = \(spoke.rawValue)")
            }
            for hold in b.holds {
                let items = try JSON.encode(hold.items)
                let changes = hold.changes.isEmpty ? nil : try JSON.encode(hold.changes)
                try s.execute("""
                    INSERT INTO holds (hub_id, \(unescaped: Rows.holdColumns))
                    VALUES (\(h), \(hold.spoke.rawValue), \(hold.detectedAt.storeValue), \(items), \(hold.reason), \(changes),
                            \(hold.decision.rawValue), \(hold.outgoing))
                    ON CONFLICT (hub_id, spoke_id) DO UPDATE SET detected_at = excluded.detected_at, items = excluded.items,
                        reason = excluded.reason, changes = excluded.changes, decision = excluded.decision,
                        outgoing = excluded.outgoing
                    """)
            }
            for spoke in b.spokes where spoke.hub == hub {
                try s.execute(Self.upsertSpoke(hub, spoke, try JSON.encode(spoke)))
            }
        }
    }

    // One statement per kind of row (arrays unnested on the server), not one per row: a commit
    // of a few hundred items is a few round trips. Repeated keys keep their last row, as
    // row-by-row upserts would (ON CONFLICT cannot touch one row twice in a statement).

    private static func lastOfEachKey<T, K: Hashable>(_ rows: [T], _ key: (T) -> K) -> [Int] {
        var seen = Set<K>()
        return rows.indices.reversed().filter { seen.insert(key(rows[$0])).inserted }.reversed()
    }

    private static func upsertItems<Item: StoredItem>(
        _ s: Session, _ hub: HubID, _ items: [HubRecord<Item>], _ bytes: [ByteBuffer]
    ) throws {
        let keep = lastOfEachKey(items, \.id)
        let fieldTimes = try keep.map { items[$0].fieldTimes.isEmpty ? nil : try JSON.encode(items[$0].fieldTimes) }
        try s.execute("""
            INSERT INTO items (hub_id, \(unescaped: Rows.itemColumns))
            SELECT \(hub.rawValue), u.id, u.b, u.h, u.v, u.d, u.m, CASE WHEN u.fn THEN NULL ELSE u.ft END, \(Item.objectKind.rawValue)
            FROM unnest(\(keep.map { items[$0].id.rawValue }), \(keep.map { bytes[$0] }),
                        \(keep.map { Int64(bitPattern: items[$0].hash.value) }), \(keep.map { items[$0].version }),
                        \(keep.map { items[$0].deleted }), \(keep.map { items[$0].modifiedAt.storeValue }),
                        \(fieldTimes.map { $0 ?? "" }), \(fieldTimes.map { $0 == nil })) AS u(id, b, h, v, d, m, ft, fn)
            ON CONFLICT (hub_id, item_id) DO UPDATE SET bytes = excluded.bytes, hash = excluded.hash,
                version = excluded.version, deleted = excluded.deleted, modified_at = excluded.modified_at,
                field_times = excluded.field_times, kind = excluded.kind
            """)
    }

    /// An upsert on the (spoke, item) key only: a clash on the (spoke, remote id) key is raised,
    /// which is the uniqueness check.
    private static func upsertLinks<Item: StoredItem>(_ s: Session, _ hub: HubID, _ links: [ItemLink<Item>]) throws {
        let keep = lastOfEachKey(links) { LinkKey(spoke: $0.spoke, item: $0.item) }.map { links[$0] }
        do {
            try s.execute("""
                INSERT INTO links (hub_id, \(unescaped: Rows.linkColumns))
                SELECT \(hub.rawValue), u.s, u.i, u.r, CASE WHEN u.vn THEN NULL ELSE u.v END, u.b, u.seen, u.c
                FROM unnest(\(keep.map(\.spoke.rawValue)), \(keep.map(\.item.rawValue)), \(keep.map(\.remoteID.rawValue)),
                            \(keep.map { $0.remoteVersion?.rawValue ?? "" }), \(keep.map { $0.remoteVersion == nil }),
                            \(keep.map { ItemBytes.encode($0.base) }), \(keep.map(\.hubVersionSeen)), \(keep.map(\.createdByHub)))
                    AS u(s, i, r, v, vn, b, seen, c)
                ON CONFLICT (hub_id, spoke_id, item_id) DO UPDATE SET remote_id = excluded.remote_id,
                    remote_version = excluded.remote_version, base = excluded.base,
                    hub_version_seen = excluded.hub_version_seen, created_by_hub = excluded.created_by_hub
                """)
        } catch let e as StoreError where e.kind == .conflict {
            throw StoreError(.conflict, "a remote item of this batch is already linked (\(e.message))")
        }
    }

    private static func insertJournal<Item: StoredItem>(
        _ s: Session, _ hub: HubID, _ entries: [ItemJournalEntry<Item>], firstSeq: Int64
    ) throws {
        let conflicts = try entries.map { $0.conflicts.isEmpty ? nil : try JSON.encode($0.conflicts) }
        let empty = ByteBuffer()
        try s.execute("""
            INSERT INTO journal (hub_id, \(unescaped: Rows.journalColumns))
            SELECT \(hub.rawValue), \(firstSeq) + u.n - 1, CASE WHEN u.rn THEN NULL ELSE u.r END, u.i, u.src, u.at, u.k,
                CASE WHEN u.onull THEN NULL ELSE u.o END, CASE WHEN u.nnull THEN NULL ELSE u.nw END,
                CASE WHEN u.cn THEN NULL ELSE u.c END
            FROM unnest(\(entries.map { $0.run?.rawValue ?? "" }), \(entries.map { $0.run == nil }), \(entries.map(\.item.rawValue)),
                        \(entries.map { SourceText.encode($0.source) }), \(entries.map(\.at.storeValue)), \(entries.map(\.kind.rawValue)),
                        \(entries.map { $0.old.map(ItemBytes.encode) ?? empty }), \(entries.map { $0.old == nil }),
                        \(entries.map { $0.new.map(ItemBytes.encode) ?? empty }), \(entries.map { $0.new == nil }),
                        \(conflicts.map { $0 ?? "" }), \(conflicts.map { $0 == nil }))
                WITH ORDINALITY AS u(r, rn, i, src, at, k, o, onull, nw, nnull, c, cn, n)
            """)
    }
}
