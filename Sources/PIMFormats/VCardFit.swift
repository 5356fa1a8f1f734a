import SyncModel

/// What a vCard keeps of a contact, for vCard spokes' `fit`.
public enum VCardFit {
    /// FN is mandatory: a contact without a display name is written with the name FN composes
    /// and reads back with it as its display name, which is the hub's "none", not an edit.
    /// An IM handle with a service reads back as its URI (`xmpp:…`).
    /// Bare `X-` custom fields read back as travelling properties too, in place of any of the
    /// same name (`VCardExtensions`).
    public static let fit: @Sendable (Contact) -> Contact = { c in
        var out = c
        if Normalize.text(c.displayName) == nil { out.displayName = Normalize.text(c.vCardFormattedName) }
        let custom = Set(c.custom.keys.map { $0.uppercased() })
        let kept = VCardExtensions.properties(c.extensions).filter { !custom.contains($0.name) }.map(VCardExtensions.line)
        let bare = VCardExtensions.lines(VCard(contact: Contact(custom: c.custom)))
        out.extensions = kept + bare
        // IMPP values are URIs: a bare handle gets its service's scheme.
        out.ims = c.ims.map(Labels.impp)
        return out
    }
}
