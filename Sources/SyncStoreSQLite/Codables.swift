import Foundation
import SyncModel
import SyncStore

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
