import SyncModel

/// How one spoke sees hub items: its field mapping, its category, and the fields it can hold.
/// Translating both ways here keeps connectors free of hub options and the merge free of spokes.
/// Written once over the item type; what differs by kind is the item's (`CoreItem`).
public struct ItemView<Item: CoreItem>: Sendable {
    public var options: SpokeOptions
    /// The fields the connector can store; the others are never compared, so a spoke that cannot
    /// hold (say) a photo does not look as if it had deleted it.
    public var capabilities: Set<Item.Field>?
    /// What the spoke keeps of an item it is given (nil: all of it). A source with fixed slots
    /// (three emails, one phone per kind) would otherwise look as if it had deleted or relabelled
    /// what did not fit; see `lift`.
    public var fit: (@Sendable (Item) -> Item)?
    /// The pass's clock (seconds since 1970) for the kind's shape (the calendar window); nil
    /// leaves every item as it is.
    public var now: Int?

    public init(options: SpokeOptions, capabilities: Set<Item.Field>? = nil,
                fit: (@Sendable (Item) -> Item)? = nil, now: Int? = nil) {
        self.now = now
        self.options = options
        self.capabilities = capabilities
        self.fit = fit
    }

    /// What this spoke's options make of a hub item (see `SpokeShape`).
    public func shape(_ hub: Item) -> SpokeShape<Item> {
        guard let now else { return .write(hub) }
        return Item.shape(hub, for: options, now: now)
    }

    /// A spoke item in hub terms: mapped fields moved to their custom hub fields, the spoke's own
    /// category removed, unmapped spoke-specific custom fields dropped.
    public func toHub(_ spoke: Item) -> Item {
        // Stripped after normalising, so padding in the setting or the source cannot leak it.
        var n = Item.mappedToHub(spoke, options.fieldMappings).canonical()
        if let k = categoryKey { n.categoryList.removeAll { Normalize.key(category: $0) == k } }
        return n
    }

    /// The key of the category this spoke puts on what the hub writes there, if any.
    private var categoryKey: String? { Normalize.text(options.categorizeAs).map(Normalize.key(category:)) }

    /// A hub item as this spoke should hold it. A custom field the spoke maps and the hub has
    /// no value for is there with an empty value: cleared, so a spoke that keeps the custom fields
    /// an update does not name still lets this one go.
    public func toSpoke(_ hub: Item) -> Item {
        var c = Item.mappedToSpoke(hub, options.fieldMappings)
        if let cat = options.categorizeAs, let cat = Normalize.text(cat) {
            let k = Normalize.key(category: cat)
            if !c.categoryList.contains(where: { Normalize.key(category: $0) == k }) { c.categoryList.append(cat) }
        }
        var n = c.canonical()
        Item.clearMapped(&n, options.fieldMappings)
        return n
    }

    /// Whether this spoke carries a field (in hub terms).
    public func carries(_ field: Item.Field) -> Bool {
        if let mapped = Item.carriesByMapping(field, options.fieldMappings) { return mapped }
        return capabilities?.contains(field) ?? true
    }

    /// `spoke` (in hub terms) with every field the spoke does not carry taken from `hub`, so those
    /// fields merge as unchanged.
    public func restrict(_ spoke: Item, to hub: Item) -> Item {
        var out = fit == nil ? spoke : lift(spoke, to: hub)
        for spec in Item.schema.fields where !spec.isMap && !carries(spec.field) {
            spec.copy(from: hub, into: &out)
        }
        // The spoke strips its own category, so it cannot say whether the hub has it (another
        // spoke may have put it there): that membership is the hub's.
        if let k = categoryKey, carries(Item.categoriesField) {
            out.categoryList.removeAll { Normalize.key(category: $0) == k }
            out.categoryList += hub.categoryList.filter { Normalize.key(category: $0) == k }
        }
        Item.restrictMapped(&out, spoke: spoke, hub: hub, carries: carries)
        return out
    }

    /// True when the two hub-terms items look the same from this spoke.
    public func sameInSpoke(_ a: Item, _ b: Item) -> Bool {
        let restricted = restrict(a, to: b)
        if restricted.itemHash == b.itemHash { return true }
        // Different in the hub, but the spoke would hold the same of both.
        guard let image else { return false }
        return image(restricted).itemHash == image(b).itemHash
    }

    /// A hub item as the spoke would hold it, back in hub terms.
    var image: ((Item) -> Item)? {
        guard let fit else { return nil }
        return { toHub(fit(toSpoke($0))) }
    }
}

/// How one spoke sees hub contacts (the contact spelling).
public typealias SpokeView = ItemView<Contact>
