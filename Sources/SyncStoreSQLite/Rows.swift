import Foundation
import GRDB
import SyncModel
import SyncStore

/// Row ↔ record mapping. Each record has a fixed column list; rows are read by index (the
/// statements select exactly these columns in this order), which avoids name lookups on the
/// hot read paths.
enum Rows {
    // MARK: Items

    /// `contact` holds the item's bytes whatever its kind (the column predates events); `kind`
    /// says which, so a row is never decoded as another kind than it was written as.
    static let itemColumns = "item_id, contact, hash, version, deleted, modified_at, field_times, kind"

    static func itemArguments<Item: StoredItem>(
        _ hub: HubID, _ i: HubRecord<Item>, bytes: Data
    ) throws -> StatementArguments {
        [hub.rawValue, i.id.rawValue, bytes, Int64(bitPattern: i.hash.value), i.version, i.deleted,
         i.modifiedAt.storeValue, i.fieldTimes.isEmpty ? nil : try JSON.encode(i.fieldTimes), Item.objectKind.rawValue]
    }

    static func item<Item: StoredItem>(_ row: Row) throws -> HubRecord<Item> {
        let id = ItemID(try row.decode(String.self, atIndex: 0))
        let kind = try row.decode(String.self, atIndex: 7)
        guard kind == Item.objectKind.rawValue else { throw StoreError.otherKind("item \(id)", is: kind, asked: Item.self) }
        let item: Item = try itemColumn(row, 1, "item \(id)")
        // The stored hash is authoritative (it was computed when the content was written).
        return HubRecord(
            id: id, item: item, hash: ContentHash(UInt64(bitPattern: try row.decode(Int64.self, atIndex: 2))),
            version: try row.decode(Int64.self, atIndex: 3), deleted: try row.decode(Bool.self, atIndex: 4),
            modifiedAt: Date(storeValue: try row.decode(Double.self, atIndex: 5)),
            fieldTimes: try row.decode(String?.self, atIndex: 6).map {
                try JSON.decode(ItemFieldTimes<Item.Field>.self, $0, "field times of item \(id)")
            } ?? ItemFieldTimes())
    }

    // MARK: Links and intents

    static let linkColumns = "spoke_id, item_id, remote_id, remote_version, base, hub_version_seen, created_by_hub"

    static func linkArguments<Item: StoredItem>(_ hub: HubID, _ l: ItemLink<Item>, base: Data) -> StatementArguments {
        [hub.rawValue, l.spoke.rawValue, l.item.rawValue, l.remoteID.rawValue, l.remoteVersion?.rawValue, base,
         l.hubVersionSeen, l.createdByHub]
    }

    static func link<Item: StoredItem>(_ row: Row) throws -> ItemLink<Item> {
        let item = ItemID(try row.decode(String.self, atIndex: 1))
        return ItemLink(
            spoke: SpokeID(try row.decode(String.self, atIndex: 0)), item: item,
            remoteID: RemoteID(try row.decode(String.self, atIndex: 2)),
            remoteVersion: try row.decode(String?.self, atIndex: 3).map { RemoteVersion($0) },
            base: try itemColumn(row, 4, "link base of \(item)"),
            hubVersionSeen: try row.decode(Int64.self, atIndex: 5),
            createdByHub: try row.decode(Bool.self, atIndex: 6))
    }

    static let intentColumns = "spoke_id, item_id, marker_hub, marker_item, base, started_at"

    static func intentArguments<Item: StoredItem>(_ hub: HubID, _ i: ItemCreateIntent<Item>) -> StatementArguments {
        [hub.rawValue, i.spoke.rawValue, i.item.rawValue, i.marker.hub.rawValue, i.marker.item.rawValue,
         ItemBlob.encode(i.base), i.startedAt.storeValue]
    }

    static func intent<Item: StoredItem>(_ row: Row) throws -> ItemCreateIntent<Item> {
        let item = ItemID(try row.decode(String.self, atIndex: 1))
        return ItemCreateIntent(
            spoke: SpokeID(try row.decode(String.self, atIndex: 0)), item: item,
            marker: CreateMarker(
                hub: HubID(try row.decode(String.self, atIndex: 2)),
                item: ItemID(try row.decode(String.self, atIndex: 3))),
            base: try itemColumn(row, 4, "intent of \(item)"),
            startedAt: Date(storeValue: try row.decode(Double.self, atIndex: 5)))
    }

    // MARK: State, runs, holds

    static let stateColumns = "cursor, pushed_through, last_sync_at, last_error, last_stats, resume_page"

    static func stateArguments(_ hub: HubID, _ s: SpokeState) throws -> StatementArguments {
        [hub.rawValue, s.spoke.rawValue, s.cursor?.rawValue, s.pushedThrough, s.lastSyncAt?.storeValue, s.lastError,
         try s.lastStats.map(JSON.encode), s.resumePage?.rawValue]
    }

    static func state(_ row: Row, spoke: SpokeID) throws -> SpokeState {
        SpokeState(
            spoke: spoke, cursor: try row.decode(String?.self, atIndex: 0).map { SpokeCursor($0) },
            pushedThrough: try row.decode(Int64.self, atIndex: 1),
            lastSyncAt: try row.decode(Double?.self, atIndex: 2).map { Date(storeValue: $0) },
            lastError: try row.decode(String?.self, atIndex: 3),
            lastStats: try row.decode(String?.self, atIndex: 4).map {
                try JSON.decode(SpokeRunStats.self, $0, "stats of \(spoke)")
            },
            resumePage: try row.decode(String?.self, atIndex: 5).map { ListingPage($0) })
    }

    static let runColumns = "run_id, started_at, finished_at, status, stats, errors"

    static func runArguments(_ hub: HubID, _ r: RunRecord) throws -> StatementArguments {
        [hub.rawValue, r.id.rawValue, r.startedAt.storeValue, r.finishedAt?.storeValue, r.status.rawValue,
         try JSON.encode(RunStatsDTO(r.stats)), try JSON.encode(r.errors)]
    }

    static func run(_ row: Row, hub: HubID) throws -> RunRecord {
        let id = RunID(try row.decode(String.self, atIndex: 0))
        let statusText = try row.decode(String.self, atIndex: 3)
        guard let status = RunStatus(rawValue: statusText) else {
            throw StoreError(.corrupt, "unknown status \(statusText) of run \(id)")
        }
        return RunRecord(
            id: id, hub: hub, startedAt: Date(storeValue: try row.decode(Double.self, atIndex: 1)),
            finishedAt: try row.decode(Double?.self, atIndex: 2).map { Date(storeValue: $0) }, status: status,
            stats: try JSON.decode(RunStatsDTO.self, try row.decode(String.self, atIndex: 4), "stats of run \(id)")
                .stats,
            errors: try JSON.decode([String].self, try row.decode(String.self, atIndex: 5), "errors of run \(id)"))
    }

    static let holdColumns = "spoke_id, detected_at, items, reason, changes, decision, outgoing"

    static func holdArguments(_ hub: HubID, _ h: DeletionHold) throws -> StatementArguments {
        [hub.rawValue, h.spoke.rawValue, h.detectedAt.storeValue, try JSON.encode(h.items), h.reason,
         h.changes.isEmpty ? nil : try JSON.encode(h.changes), h.decision.rawValue, h.outgoing]
    }

    static func hold(_ row: Row) throws -> DeletionHold {
        let spoke = SpokeID(try row.decode(String.self, atIndex: 0))
        let decisionText = try row.decode(String.self, atIndex: 5)
        guard let decision = HoldDecision(rawValue: decisionText) else {
            throw StoreError(.corrupt, "unknown decision \(decisionText) of the hold of \(spoke)")
        }
        return DeletionHold(
            spoke: spoke, detectedAt: Date(storeValue: try row.decode(Double.self, atIndex: 1)),
            items: try JSON.decode([ItemID].self, try row.decode(String.self, atIndex: 2), "hold of \(spoke)"),
            reason: try row.decode(String.self, atIndex: 3),
            changes: try row.decode(String?.self, atIndex: 4).map {
                try JSON.decode([ItemID].self, $0, "held changes of \(spoke)")
            } ?? [],
            decision: decision, outgoing: try row.decode(Bool.self, atIndex: 6))
    }

    // MARK: Journal

    static let journalColumns = "seq, run_id, item_id, source, at, kind, old, new, conflicts"

    static func journalArguments<Item: StoredItem>(
        _ hub: HubID, _ e: ItemJournalEntry<Item>, seq: Int64, old: Data?, new: Data?
    ) throws -> StatementArguments {
        // Most entries have no conflicts: NULL instead of "[]" spares a JSON encode per change.
        [hub.rawValue, seq, e.run?.rawValue, e.item.rawValue, SourceText.encode(e.source), e.at.storeValue,
         e.kind.rawValue, old, new, e.conflicts.isEmpty ? nil : try JSON.encode(e.conflicts)]
    }

    static func journal<Item: StoredItem>(_ row: Row, hub: HubID) throws -> ItemJournalEntry<Item> {
        let seq = try row.decode(Int64.self, atIndex: 0)
        let kindText = try row.decode(String.self, atIndex: 5)
        guard let kind = JournalKind(rawValue: kindText) else {
            throw StoreError(.corrupt, "unknown kind \(kindText) of journal entry \(seq)")
        }
        let conflicts = try row.decode(String?.self, atIndex: 8)
        return ItemJournalEntry(
            seq: seq, hub: hub, run: try row.decode(String?.self, atIndex: 1).map { RunID($0) },
            item: ItemID(try row.decode(String.self, atIndex: 2)),
            source: try SourceText.decode(try row.decode(String.self, atIndex: 3)),
            at: Date(storeValue: try row.decode(Double.self, atIndex: 4)),
            kind: kind, old: try optionalItemColumn(row, 6, "journal \(seq)"),
            new: try optionalItemColumn(row, 7, "journal \(seq)"),
            conflicts: try conflicts.map { try JSON.decode([Item.Field].self, $0, "conflicts of journal \(seq)") }
                ?? [])
    }

    // MARK: Blobs

    /// Decodes in place from SQLite's buffer (no intermediate Data copy).
    private static func optionalItemColumn<Item: StoredItem>(_ row: Row, _ index: Int, _ what: String) throws -> Item? {
        try row.withUnsafeData(atIndex: index) { data in try data.map { try ItemBlob.decode($0, what) } }
    }

    private static func itemColumn<Item: StoredItem>(_ row: Row, _ index: Int, _ what: String) throws -> Item {
        guard let c: Item = try optionalItemColumn(row, index, what) else {
            throw StoreError(.corrupt, "missing \(Item.objectKind) item in \(what)")
        }
        return c
    }
}
