import Foundation
import SyncModel
import SyncStore

/// JSON for the small structured columns (configs, stats, error lists, conflict fields).
/// Keys are sorted so equal values give equal text.
enum JSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, _ what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.corrupt, "undecodable \(what): \(error)")
        }
    }
}

/// `RunRecord.stats` is keyed by `SpokeID`, which is not `CodingKeyRepresentable`: JSONEncoder
/// would write such a dictionary as a flat [key, value, key, value] array. A String-keyed DTO
/// gives a readable JSON object instead.
struct RunStatsDTO: Codable {
    var bySpoke: [String: SpokeRunStats]

    init(_ stats: [SpokeID: SpokeRunStats]) {
        bySpoke = Dictionary(uniqueKeysWithValues: stats.map { ($0.key.rawValue, $0.value) })
    }

    var stats: [SpokeID: SpokeRunStats] {
        Dictionary(uniqueKeysWithValues: bySpoke.map { (SpokeID($0.key), $0.value) })
    }
}

/// Dates are stored as the `Date`'s own Double (seconds since 2001), so they round-trip exactly
/// (GRDB's default text format keeps milliseconds only).
extension Date {
    var storeValue: Double { timeIntervalSinceReferenceDate }
    init(storeValue: Double) { self.init(timeIntervalSinceReferenceDate: storeValue) }
}

/// An item's bytes: `Item.storeEncode` (contacts: the compact `ContactCodec` format, as ever).
enum ItemBlob<Item: StoredItem> {
    static func encode(_ item: Item) -> Data { Data(Item.storeEncode(item)) }

    static func decode(_ data: Data, _ what: String) throws -> Item {
        do {
            return try Item.storeDecode([UInt8](data))
        } catch {
            throw StoreError(.corrupt, "undecodable \(Item.objectKind) item in \(what): \(error)")
        }
    }
}

/// Encodes the items of one batch, reusing the item's blob when a link base or journal
/// value of the same item is the same content (the common case: a fresh link's base and the
/// journal's `new` are the item's content). Encoding dominates commit time; `==` is far cheaper.
struct BlobMemo<Item: StoredItem> {
    private var byItem: [ItemID: (item: Item, blob: Data)] = [:]

    init(items: [HubRecord<Item>]) { byItem.reserveCapacity(items.count) }

    mutating func item(_ i: HubRecord<Item>) -> Data {
        let blob = ItemBlob.encode(i.item)
        byItem[i.id] = (i.item, blob)
        return blob
    }

    func blob(_ value: Item, of item: ItemID) -> Data {
        if let known = byItem[item], known.item == value { return known.blob }
        return ItemBlob.encode(value)
    }
}

/// `JournalSource` as short text (`spoke:<id>`, `restore`, `approval:<id>`), readable in the
/// database and cheaper than JSON for the one-per-change journal rows.
enum SourceText {
    static func encode(_ s: JournalSource) -> String {
        switch s {
        case .spoke(let id): "spoke:" + id.rawValue
        case .restore: "restore"
        case .approval(let id): "approval:" + id.rawValue
        }
    }

    static func decode(_ text: String) throws -> JournalSource {
        if text == "restore" { return .restore }
        if text.hasPrefix("spoke:") { return .spoke(SpokeID(String(text.dropFirst(6)))) }
        if text.hasPrefix("approval:") { return .approval(SpokeID(String(text.dropFirst(9)))) }
        throw StoreError(.corrupt, "unknown journal source \(text)")
    }
}
