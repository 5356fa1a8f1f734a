import SyncModel

/// How one spoke sees hub contacts: its field mapping, its category, and the fields it can hold.
/// Translating both ways here keeps connectors free of hub options and the merge free of spokes.
public struct SpokeView: Sendable {
    public var options: SpokeOptions
    /// The fields the connector can store; the others are never compared, so a spoke that cannot
    /// hold (say) a photo does not look as if it had deleted it.
    public var capabilities: Set<ContactField>?
    /// What the spoke keeps of a contact it is given (nil: all of it). A source with fixed slots
    /// (three emails, one phone per kind) would otherwise look as if it had deleted or relabelled
    /// what did not fit; see `lift`.
    public var fit: (@Sendable (Contact) -> Contact)?

    public init(options: SpokeOptions, capabilities: Set<ContactField>? = nil,
                fit: (@Sendable (Contact) -> Contact)? = nil) {
        self.options = options
        self.capabilities = capabilities
        self.fit = fit
    }

    private var mappedTextFields: [TextField: String] {
        var m: [TextField: String] = [:]
        for fm in options.fieldMappings {
            if case .text(let f) = fm.spokeField { m[f] = fm.hubField }
        }
        return m
    }

    /// A spoke contact in hub terms: mapped fields moved to their custom hub fields, the spoke's own
    /// category removed, unmapped spoke-specific custom fields dropped.
    public func toHub(_ spoke: Contact) -> Contact {
        var c = spoke
        c.custom = [:]
        for fm in options.fieldMappings {
            switch fm.spokeField {
            case .text(let f):
                c[keyPath: f.keyPath] = nil
                if let v = spoke[keyPath: f.keyPath] { c.custom[fm.hubField] = v }
            case .custom(let name):
                if let v = spoke.custom[name] { c.custom[fm.hubField] = v }
            }
        }
        // Stripped after normalising, so padding in the setting or the source cannot leak it.
        var n = c.normalized()
        if let k = categoryKey { n.categories.removeAll { Normalize.key(category: $0) == k } }
        return n
    }

    /// The key of the category this spoke puts on what the hub writes there, if any.
    private var categoryKey: String? { Normalize.text(options.categorizeAs).map(Normalize.key(category:)) }

    /// A hub contact as this spoke should hold it. A custom field the spoke maps and the hub has
    /// no value for is there with an empty value: cleared, so a spoke that keeps the custom fields
    /// an update does not name still lets this one go.
    public func toSpoke(_ hub: Contact) -> Contact {
        var c = hub
        c.custom = [:]
        for fm in options.fieldMappings {
            let v = hub.custom[fm.hubField]
            switch fm.spokeField {
            case .text(let f): c[keyPath: f.keyPath] = v
            case .custom(let name): c.custom[name] = v
            }
        }
        if let cat = options.categorizeAs, let cat = Normalize.text(cat) {
            let k = Normalize.key(category: cat)
            if !c.categories.contains(where: { Normalize.key(category: $0) == k }) { c.categories.append(cat) }
        }
        var n = c.normalized()
        for fm in options.fieldMappings {
            if case .custom(let name) = fm.spokeField, n.custom[name] == nil { n.custom[name] = "" }
        }
        return n
    }

    /// Whether this spoke carries a field (in hub terms).
    public func carries(_ field: ContactField) -> Bool {
        switch field {
        case .custom(let name):
            return options.fieldMappings.contains { $0.hubField == name }
        case .text(let f):
            if mappedTextFields[f] != nil { return false }
            return capabilities?.contains(field) ?? true
        default:
            return capabilities?.contains(field) ?? true
        }
    }

    /// `spoke` (in hub terms) with every field the spoke does not carry taken from `hub`, so those
    /// fields merge as unchanged.
    public func restrict(_ spoke: Contact, to hub: Contact) -> Contact {
        var out = fit == nil ? spoke : lift(spoke, to: hub)
        for spec in Contact.schema.fields where !spec.isMap && !carries(spec.field) {
            spec.copy(from: hub, into: &out)
        }
        // The spoke strips its own category, so it cannot say whether the hub has it (another
        // spoke may have put it there): that membership is the hub's.
        if let k = categoryKey, carries(.categories) {
            out.categories.removeAll { Normalize.key(category: $0) == k }
            out.categories += hub.categories.filter { Normalize.key(category: $0) == k }
        }
        out.custom = hub.custom.filter { !carries(.custom($0.key)) }
        for (k, v) in spoke.custom where carries(.custom(k)) { out.custom[k] = v }
        return out
    }

    /// True when the two hub-terms contacts look the same from this spoke.
    public func sameInSpoke(_ a: Contact, _ b: Contact) -> Bool {
        let restricted = restrict(a, to: b)
        if restricted.rawContentHash == b.rawContentHash { return true }
        // Different in the hub, but the spoke would hold the same of both.
        guard let image else { return false }
        return image(restricted).rawContentHash == image(b).rawContentHash
    }

    /// A hub contact as the spoke would hold it, back in hub terms.
    var image: ((Contact) -> Contact)? {
        guard let fit else { return nil }
        return { toHub(fit(toSpoke($0))) }
    }
}
