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
            for (var item, bytes) in zip(b.items, itemBytes) {
                if item.version == HubRecord<Item>.allocatedVersion {
                    let v = try next ?? s.one("SELECT COALESCE(MAX(version), 0) FROM items WHERE hub_id = \(h)", as: Int64.self) ?? 0
                    next = v + 1
                    item.version = v + 1
                    allocated[item.id] = v + 1
                }
                let fieldTimes = item.fieldTimes.isEmpty ? nil : try JSON.encode(item.fieldTimes)
                try s.execute("""
                    INSERT INTO items (hub_id, \(unescaped: Rows.itemColumns))
                    VALUES (\(h), \(item.id.rawValue), \(bytes), \(Int64(bitPattern: item.hash.value)), \(item.version),
                            \(item.deleted), \(item.modifiedAt.storeValue), \(fieldTimes), \(Item.objectKind.rawValue))
                    ON CONFLICT (hub_id, item_id) DO UPDATE SET bytes = excluded.bytes, hash = excluded.hash,
                        version = excluded.version, deleted = excluded.deleted, modified_at = excluded.modified_at,
                        field_times = excluded.field_times, kind = excluded.kind
                    """)
            }
            for k in b.removedLinks {
                try s.execute(
                    "DELETE FROM links WHERE hub_id = \(h) AND spoke_id = \(k.spoke.rawValue) AND item_id = \(k.item.rawValue)")
            }
            for var link in b.links {
                if link.hubVersionSeen == ItemLink<Item>.seesBatchVersion {
                    link.hubVersionSeen = try allocated[link.item] ?? s.one(
                        "SELECT version FROM items WHERE hub_id = \(h) AND item_id = \(link.item.rawValue)", as: Int64.self) ?? 0
                }
                do {
                    try s.execute("""
                        INSERT INTO links (hub_id, \(unescaped: Rows.linkColumns))
                        VALUES (\(h), \(link.spoke.rawValue), \(link.item.rawValue), \(link.remoteID.rawValue),
                                \(link.remoteVersion?.rawValue), \(ItemBytes.encode(link.base)), \(link.hubVersionSeen),
                                \(link.createdByHub))
                        ON CONFLICT (hub_id, spoke_id, item_id) DO UPDATE SET remote_id = excluded.remote_id,
                            remote_version = excluded.remote_version, base = excluded.base,
                            hub_version_seen = excluded.hub_version_seen, created_by_hub = excluded.created_by_hub
                        """)
                } catch let e as StoreError where e.kind == .conflict {
                    throw StoreError(.conflict, "remote item \(link.remoteID) of spoke \(link.spoke) is already linked")
                }
            }
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
                var seq = try s.one("SELECT COALESCE(MAX(seq), 0) FROM journal WHERE hub_id = \(h)", as: Int64.self) ?? 0
                for e in b.journal {
                    seq += 1
                    let conflicts = e.conflicts.isEmpty ? nil : try JSON.encode(e.conflicts)
                    try s.execute("""
                        INSERT INTO journal (hub_id, \(unescaped: Rows.journalColumns))
                        VALUES (\(h), \(seq), \(e.run?.rawValue), \(e.item.rawValue), \(SourceText.encode(e.source)),
                                \(e.at.storeValue), \(e.kind.rawValue), \(e.old.map(ItemBytes.encode)),
                                \(e.new.map(ItemBytes.encode)), \(conflicts))
                        """)
                }
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
}
