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

// The contact spellings every caller from before two kinds uses: each is the generic form with
// `Contact.self`, so a store implements one of each, not two.
extension SyncStore {
    public func items(hub: HubID, ids: [ItemID]) throws -> [ItemID: HubItem] {
        try items(Contact.self, hub: hub, ids: ids)
    }
    /// Ordered by version; tombstones included.
    public func items(hub: HubID, changedAfter version: Int64, limit: Int) throws -> [HubItem] {
        try items(Contact.self, hub: hub, changedAfter: version, limit: limit)
    }
    /// Live items only, ordered by id.
    public func liveItems(hub: HubID) throws -> [HubItem] { try liveItems(Contact.self, hub: hub) }
    public func links(hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]) throws -> [RemoteID: Link] {
        try links(Contact.self, hub: hub, spoke: spoke, remoteIDs: remoteIDs)
    }
    public func links(hub: HubID, spoke: SpokeID, items: [ItemID]) throws -> [ItemID: Link] {
        try links(Contact.self, hub: hub, spoke: spoke, items: items)
    }
    public func intents(hub: HubID, spoke: SpokeID) throws -> [CreateIntent] {
        try intents(Contact.self, hub: hub, spoke: spoke)
    }
    /// Newest first.
    public func journal(hub: HubID, _ query: JournalQuery) throws -> [JournalEntry] {
        try journal(Contact.self, hub: hub, query)
    }
    /// Applies the batch in one transaction.
    public func commit(hub: HubID, _ batch: WriteBatch) throws { try commit(hub: hub, batch: batch) }
}

extension StoreError {
    /// Asked for `Item` of a hub that holds another kind: the caller's mistake, not damage.
    public static func wrongKind<Item: StoredItem>(_ hub: HubID, holds kind: ObjectKind, asked: Item.Type) -> StoreError {
        StoreError(.conflict, "hub \(hub) holds \(noun(kind)), not \(noun(Item.objectKind))")
    }

    /// A hub whose kind would change while it holds items (each stored as its kind's bytes).
    public static func kindChange(_ hub: HubID, holds kind: ObjectKind, to new: ObjectKind) -> StoreError {
        StoreError(.conflict, "hub \(hub) holds \(noun(kind)): it cannot become a hub of \(noun(new))")
    }

    /// A stored row of another kind than its hub's: damage (or a bug), never decoded as the wrong type.
    public static func otherKind<Item: StoredItem>(_ what: String, is kind: String, asked: Item.Type) -> StoreError {
        StoreError(.corrupt, "\(what) is stored as \(kind), not \(Item.objectKind)")
    }

    private static func noun(_ kind: ObjectKind) -> String {
        switch kind {
        case .contacts: "contacts"
        case .calendar: "calendar events"
        }
    }
}
