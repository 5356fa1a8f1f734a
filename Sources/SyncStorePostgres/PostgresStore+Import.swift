import PostgresNIO
import SyncModel
import SyncStore

// What `hubsync migrate` needs beyond the store protocol: moving an installation keeps each
// hub's journal numbers (restore --entry and the history refer to them), which a commit would
// assign afresh.
extension PostgresStore {
    /// Nothing in it at all: no hub, account or invitation (a migration's target must be).
    public func isEmpty() throws -> Bool {
        try pool.with { s in
            try s.one("""
                SELECT NOT EXISTS (SELECT 1 FROM hubs) AND NOT EXISTS (SELECT 1 FROM accounts)
                    AND NOT EXISTS (SELECT 1 FROM invitations)
                """, as: Bool.self) ?? false
        }
    }

    /// Writes journal entries with their own sequence numbers, in one transaction.
    public func importJournal<Item: StoredItem>(_ entries: [ItemJournalEntry<Item>], hub: HubID) throws {
        let h = hub.rawValue
        try pool.transaction(durable: true) { s in
            try Self.requireHub(s, hub, holding: Item.self, forCommit: true)
            for e in entries {
                let conflicts = e.conflicts.isEmpty ? nil : try JSON.encode(e.conflicts)
                try s.execute("""
                    INSERT INTO journal (hub_id, \(unescaped: Rows.journalColumns))
                    VALUES (\(h), \(e.seq), \(e.run?.rawValue), \(e.item.rawValue), \(SourceText.encode(e.source)),
                            \(e.at.storeValue), \(e.kind.rawValue), \(e.old.map(ItemBytes.encode)),
                            \(e.new.map(ItemBytes.encode)), \(conflicts))
                    """)
            }
        }
    }
}
