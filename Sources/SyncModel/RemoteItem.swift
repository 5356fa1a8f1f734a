import Foundation

/// An item as a spoke holds it, in the spoke's terms.
public struct Remote<Item: KindedItem>: Hashable, Sendable {
    public var id: RemoteID
    public var version: RemoteVersion?
    public var item: Item
    /// When the source says the item last changed; nil when it does not say.
    public var modifiedAt: Date?
    /// Present when the hub created this item (its create marker came back).
    public var marker: CreateMarker?

    public init(
        id: RemoteID, version: RemoteVersion?, item: Item, modifiedAt: Date? = nil, marker: CreateMarker? = nil
    ) {
        self.id = id
        self.version = version
        self.item = item
        self.modifiedAt = modifiedAt
        self.marker = marker
    }
}

/// A contact as a spoke holds it (the contact spelling every contact connector uses).
public typealias RemoteItem = Remote<Contact>

extension Remote where Item == Contact {
    public var contact: Contact {
        get { item }
        set { item = newValue }
    }

    public init(
        id: RemoteID, version: RemoteVersion?, contact: Contact, modifiedAt: Date? = nil, marker: CreateMarker? = nil
    ) {
        self.init(id: id, version: version, item: contact, modifiedAt: modifiedAt, marker: marker)
    }
}
