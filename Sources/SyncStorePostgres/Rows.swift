import Foundation
import PostgresNIO
import SyncModel
import SyncStore

// Row ↔ record mapping, column by column as the SQLite store's (Sources/SyncStoreSQLite/Rows.swift):
// each statement selects exactly a record's column list, read by index.

/// An item's bytes (`Item.storeEncode`, the SQLite store's BLOB) as bytea.
enum ItemBytes<Item: StoredItem> {
    static func encode(_ item: Item) -> ByteBuffer { ByteBuffer(bytes: Item.storeEncode(item)) }

    static func decode(_ buffer: ByteBuffer, _ what: String) throws -> Item {
        do {
            return try Item.storeDecode(Array(buffer.readableBytesView))
        } catch {
            throw StoreError(.corrupt, "undecodable \(Item.objectKind) item in \(what): \(error)")
        }
    }
}

enum Rows {
    static let itemColumns = "item_id, bytes, hash, version, deleted, modified_at, field_times, kind"

    static func item<Item: StoredItem>(_ row: PostgresRandomAccessRow) throws -> HubRecord<Item> {
        let id = ItemID(try row.get(0, String.self))
        let kind = try row.get(7, String.self)
        guard kind == Item.objectKind.rawValue else { throw StoreError.otherKind("item \(id)", is: kind, asked: Item.self) }
        return HubRecord(
            id: id, item: try ItemBytes.decode(try row.get(1), "item \(id)"),
            hash: ContentHash(UInt64(bitPattern: try row.get(2, Int64.self))),
            version: try row.get(3), deleted: try row.get(4), modifiedAt: Date(storeValue: try row.get(5)),
            fieldTimes: try row.get(6, String?.self).map {
                try JSON.decode(ItemFieldTimes<Item.Field>.self, $0, "field times of item \(id)")
            } ?? ItemFieldTimes())
    }

    static let linkColumns = "spoke_id, item_id, remote_id, remote_version, base, hub_version_seen, created_by_hub"

    static func link<Item: StoredItem>(_ row: PostgresRandomAccessRow) throws -> ItemLink<Item> {
        let item = ItemID(try row.get(1, String.self))
        return ItemLink(
            spoke: SpokeID(try row.get(0, String.self)), item: item, remoteID: RemoteID(try row.get(2, String.self)),
            remoteVersion: try row.get(3, String?.self).map { RemoteVersion($0) },
            base: try ItemBytes.decode(try row.get(4), "link base of \(item)"),
            hubVersionSeen: try row.get(5), createdByHub: try row.get(6))
    }

    static let intentColumns = "spoke_id, item_id, marker_hub, marker_item, base, started_at"

    static func intent<Item: StoredItem>(_ row: PostgresRandomAccessRow) throws -> ItemCreateIntent<Item> {
        let item = ItemID(try row.get(1, String.self))
        return ItemCreateIntent(
            spoke: SpokeID(try row.get(0, String.self)), item: item,
            marker: CreateMarker(hub: HubID(try row.get(2, String.self)), item: ItemID(try row.get(3, String.self))),
            base: try ItemBytes.decode(try row.get(4), "intent of \(item)"), startedAt: Date(storeValue: try row.get(5)))
    }

    static let stateColumns = "cursor, pushed_through, last_sync_at, last_error, last_stats, resume_page"

    static func state(_ row: PostgresRandomAccessRow, spoke: SpokeID) throws -> SpokeState {
        SpokeState(
            spoke: spoke, cursor: try row.get(0, String?.self).map { SpokeCursor($0) }, pushedThrough: try row.get(1),
            lastSyncAt: try row.get(2, Double?.self).map { Date(storeValue: $0) }, lastError: try row.get(3),
            lastStats: try row.get(4, String?.self).map { try JSON.decode(SpokeRunStats.self, $0, "stats of \(spoke)") },
            resumePage: try row.get(5, String?.self).map { ListingPage($0) })
    }

    static let runColumns = "run_id, started_at, finished_at, status, stats, errors"

    static func run(_ row: PostgresRandomAccessRow, hub: HubID) throws -> RunRecord {
        let id = RunID(try row.get(0, String.self))
        let statusText = try row.get(3, String.self)
        guard let status = RunStatus(rawValue: statusText) else {
            throw StoreError(.corrupt, "unknown status \(statusText) of run \(id)")
        }
        return RunRecord(
            id: id, hub: hub, startedAt: Date(storeValue: try row.get(1)),
            finishedAt: try row.get(2, Double?.self).map { Date(storeValue: $0) }, status: status,
            stats: try JSON.decode(RunStatsDTO.self, try row.get(4), "stats of run \(id)").stats,
            errors: try JSON.decode([String].self, try row.get(5), "errors of run \(id)"))
    }

    static let holdColumns = "spoke_id, detected_at, items, reason, changes, decision, outgoing"

    static func hold(_ row: PostgresRandomAccessRow) throws -> DeletionHold {
        let spoke = SpokeID(try row.get(0, String.self))
        let decisionText = try row.get(5, String.self)
        guard let decision = HoldDecision(rawValue: decisionText) else {
            throw StoreError(.corrupt, "unknown decision \(decisionText) of the hold of \(spoke)")
        }
        return DeletionHold(
            spoke: spoke, detectedAt: Date(storeValue: try row.get(1)),
            items: try JSON.decode([ItemID].self, try row.get(2), "hold of \(spoke)"), reason: try row.get(3),
            changes: try row.get(4, String?.self).map { try JSON.decode([ItemID].self, $0, "held changes of \(spoke)") } ?? [],
            decision: decision, outgoing: try row.get(6))
    }

    static let journalColumns = "seq, run_id, item_id, source, at, kind, old, new, conflicts"

    static func journal<Item: StoredItem>(_ row: PostgresRandomAccessRow, hub: HubID) throws -> ItemJournalEntry<Item> {
        let seq = try row.get(0, Int64.self)
        let kindText = try row.get(5, String.self)
        guard let kind = JournalKind(rawValue: kindText) else {
            throw StoreError(.corrupt, "unknown kind \(kindText) of journal entry \(seq)")
        }
        return ItemJournalEntry(
            seq: seq, hub: hub, run: try row.get(1, String?.self).map { RunID($0) }, item: ItemID(try row.get(2, String.self)),
            source: try SourceText.decode(try row.get(3)), at: Date(storeValue: try row.get(4)), kind: kind,
            old: try row.get(6, ByteBuffer?.self).map { try ItemBytes.decode($0, "journal \(seq)") },
            new: try row.get(7, ByteBuffer?.self).map { try ItemBytes.decode($0, "journal \(seq)") },
            conflicts: try row.get(8, String?.self).map { try JSON.decode([Item.Field].self, $0, "conflicts of journal \(seq)") }
                ?? [])
    }
}
