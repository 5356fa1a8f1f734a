import Foundation

/// An item as a spoke holds it, in the spoke's terms.
public struct RemoteItem: Hashable, Sendable {
    public var id: RemoteID
    public var version: RemoteVersion?
    public var contact: Contact
    /// When the source says the item last changed; nil when it does not say.
    public var modifiedAt: Date?
    /// Present when the hub created this item (its create marker came back).
    public var marker: CreateMarker?

    public init(
        id: RemoteID, version: RemoteVersion?, contact: Contact, modifiedAt: Date? = nil, marker: CreateMarker? = nil
    ) {
        self.id = id
        self.version = version
        self.contact = contact
        self.modifiedAt = modifiedAt
        self.marker = marker
    }
}
