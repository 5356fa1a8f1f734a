import SyncModel

/// What a vCard keeps of a contact, for vCard spokes' `fit`.
public enum VCardFit {
    /// FN is mandatory: a contact without a display name is written with the name FN composes
    /// and reads back with it as its display name, which is the hub's "none", not an edit.
    public static let fit: @Sendable (Contact) -> Contact = { c in
        guard Normalize.text(c.displayName) == nil else { return c }
        var out = c
        out.displayName = Normalize.text(c.vCardFormattedName)
        return out
    }
}
