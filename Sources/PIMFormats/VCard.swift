import SyncModel

public enum VCardVersion: String, Hashable, Sendable, CaseIterable {
    case v3 = "3.0"
    case v4 = "4.0"
}

/// One parameter of a property: `TYPE=work,voice` is `TYPE` with `["work", "voice"]`.
/// Values are stored decoded (unquoted, RFC 6868 caret escapes resolved).
public struct VCardParameter: Hashable, Sendable {
    /// Upper-cased.
    public var name: String
    public var values: [String]

    public init(name: String, values: [String]) {
        self.name = name.uppercased()
        self.values = values
    }
}

/// A property kept as it was read, so it can be written back unchanged.
public struct VCardProperty: Hashable, Sendable {
    public var group: String?
    /// Upper-cased.
    public var name: String
    public var params: [VCardParameter]
    /// The value as on the wire: still vCard-escaped (quoted-printable is decoded on read).
    public var value: String

    public init(group: String? = nil, name: String, params: [VCardParameter] = [], value: String) {
        self.group = group
        self.name = name.uppercased()
        self.params = params
        self.value = value
    }

    /// All values of every parameter called `name` (case-insensitive).
    public func values(of name: String) -> [String] {
        let n = name.uppercased()
        return params.filter { $0.name == n }.flatMap(\.values)
    }
}

/// A parsed vCard: the contact plus what the contact model has no place for.
public struct VCard: Hashable, Sendable {
    public var version: VCardVersion
    public var uid: String?
    public var revision: String?
    /// The hub's create marker (`X-HUBSYNC-MARKER`), on cards the hub made under a UID of their
    /// own (the one the item was first seen with); cards made without one carry it as their UID.
    public var marker: String?
    public var contact: Contact
    /// Properties the mapping does not understand, written back verbatim.
    public var unknown: [VCardProperty]
    /// Lines that could not be read at all (no colon, an empty group, a control byte in a name),
    /// unfolded: skipped when reading, written back as they were so no update loses them.
    public var skipped: [String] = []

    public init(
        version: VCardVersion = .v3, uid: String? = nil, revision: String? = nil, marker: String? = nil,
        contact: Contact = Contact(), unknown: [VCardProperty] = []
    ) {
        self.version = version
        self.uid = uid
        self.marker = marker
        self.revision = revision
        self.contact = contact
        self.unknown = unknown
    }

    /// The card with the hub's version of the contact: what the hub does not know stays (unknown
    /// properties, UID, and custom fields the update does not carry, which the hub does not map).
    public func updated(with contact: Contact) -> VCard {
        var card = self
        var merged = contact
        for (k, v) in self.contact.custom where merged.custom[k] == nil { merged.custom[k] = v }
        merged.custom = merged.custom.filter { !$0.value.isEmpty }  // cleared by the hub
        card.contact = merged
        return card.withExtensions(contact.extensions, customNames: contact.custom.keys)
    }
}

public struct VCardError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// 1-based physical line of the input, when known.
    public var line: Int?

    public init(_ message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }

    public var description: String {
        if let line { return "vCard error at line \(line): \(message)" }
        return "vCard error: \(message)"
    }
}
