import Foundation
import SyncModel

/// An item type a store can hold: its bytes in the `items` table (and in link bases, intents
/// and the journal). Contacts keep `ContactCodec`'s compact format, so databases written
/// before there were two kinds read back byte for byte.
public protocol StoredItem: KindedItem {
    static func storeEncode(_ item: Self) -> [UInt8]
    static func storeDecode(_ bytes: [UInt8]) throws(ContactCodec.DecodingError) -> Self
}

extension Contact: StoredItem {
    public static func storeEncode(_ item: Contact) -> [UInt8] { ContactCodec.encode(item) }
    public static func storeDecode(_ bytes: [UInt8]) throws(ContactCodec.DecodingError) -> Contact { try ContactCodec.decode(bytes) }
}

extension Event: StoredItem {
    public static func storeEncode(_ item: Event) -> [UInt8] { EventCodec.encode(item) }
    public static func storeDecode(_ bytes: [UInt8]) throws(ContactCodec.DecodingError) -> Event { try EventCodec.decode(bytes) }
}

// The item-bearing reads and the commit over any stored item type: the interface the generic
// engine calls. Until the stores implement them as requirements, these forward to the contact
// forms and refuse another kind, so the engine can be written against them meanwhile.
// (The store work replaces this extension with protocol requirements of the same signatures.)
extension SyncStore {
    public func items<Item: StoredItem>(_ kind: Item.Type, hub: HubID, ids: [ItemID]) throws -> [ItemID: HubRecord<Item>] {
        try Self.cast(items(hub: hub, ids: ids))
    }
    /// Ordered by version; tombstones included.
    public func items<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, changedAfter version: Int64, limit: Int
    ) throws -> [HubRecord<Item>] {
        try Self.cast(items(hub: hub, changedAfter: version, limit: limit))
    }
    /// Live items only, ordered by id.
    public func liveItems<Item: StoredItem>(_ kind: Item.Type, hub: HubID) throws -> [HubRecord<Item>] {
        try Self.cast(liveItems(hub: hub))
    }
    public func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]
    ) throws -> [RemoteID: ItemLink<Item>] {
        try Self.cast(links(hub: hub, spoke: spoke, remoteIDs: remoteIDs))
    }
    public func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, items: [ItemID]
    ) throws -> [ItemID: ItemLink<Item>] {
        try Self.cast(links(hub: hub, spoke: spoke, items: items))
    }
    public func intents<Item: StoredItem>(_ kind: Item.Type, hub: HubID, spoke: SpokeID) throws -> [ItemCreateIntent<Item>] {
        try Self.cast(intents(hub: hub, spoke: spoke))
    }
    /// Newest first.
    public func journal<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, _ query: JournalQuery
    ) throws -> [ItemJournalEntry<Item>] {
        try Self.cast(journal(hub: hub, query))
    }
    /// Applies the batch in one transaction.
    public func commit<Item: StoredItem>(hub: HubID, batch: ItemWriteBatch<Item>) throws {
        try commit(hub: hub, Self.cast(batch) as WriteBatch)
    }

    private static func cast<From, To>(_ value: From) throws -> To {
        guard let value = value as? To else {
            throw StoreError(.corrupt, "this store holds contacts only (asked for \(To.self))")
        }
        return value
    }
}
