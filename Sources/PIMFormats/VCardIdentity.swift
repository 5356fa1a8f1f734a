import SyncModel

extension VCard {
    /// A card the hub creates for an item: under the UID the item was first seen with, so every
    /// vCard source holds the same person under one identity; under the create marker when the
    /// item has none (the same in every source too). The marker rides along when it is not the
    /// UID, so a create stays recognisable.
    public static func created(_ contact: Contact, marker: CreateMarker, version: VCardVersion) -> VCard {
        let uid = contact.uid?.nonEmpty
        return VCard(version: version, uid: uid ?? marker.description, marker: uid == nil ? nil : marker.description,
                     contact: contact).withExtensions(contact.extensions)
    }

    /// The same card under the marker as its UID: for a source where the first-seen UID is taken.
    public func underMarker() -> VCard {
        var card = self
        if let m = card.marker { card.uid = m; card.marker = nil }
        return card
    }

    /// The contact as the hub takes it: with the card's identity (its UID, unless that is only a
    /// hub marker) and the properties that travel to other vCard sources.
    public var identifiedContact: Contact {
        var c = contact
        if let uid = uid?.nonEmpty, CreateMarker(parsing: uid) == nil { c.uid = uid }
        c.extensions = VCardExtensions.lines(self)
        return c
    }

    /// The hub's marker on this card, if the hub made it.
    public var createMarker: CreateMarker? {
        marker.flatMap(CreateMarker.init(parsing:)) ?? uid.flatMap(CreateMarker.init(parsing:))
    }
}
