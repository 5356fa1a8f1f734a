import Foundation
import SyncModel

/// Which side a conflicting field takes.
public enum Side: String, Sendable, Hashable {
    case hub, spoke
}

public enum ConflictPolicy {
    /// Newest change wins. A tie, or a spoke that gives no time, goes to the hub: the hub holds the
    /// value of the spoke that came earlier in the fixed order, so the result is deterministic.
    public static func winner(hubModified: Date, spokeModified: Date?) -> Side {
        guard let spokeModified, spokeModified > hubModified else { return .hub }
        return .spoke
    }
}

public struct ItemMergeOutcome<Item: SyncItem>: Hashable, Sendable {
    public var merged: Item
    public var conflicts: [Item.Field]
}

public typealias MergeOutcome = ItemMergeOutcome<Contact>

/// Three-way field merge of one item: base (as last agreed with the spoke), hub, spoke, field by
/// field as the item's schema lists them. A field changed on one side only takes that change;
/// changed identically on both, that value; changed differently on both, it is a conflict settled
/// by `winner`. Multi-valued fields merge as sets keyed by normalised value, so an email added on
/// each side keeps both. With no base (first sync), the base is empty, which makes the merge a
/// union. All inputs are normalised.
public enum ThreeWayMerge {
    public static func merge<Item: SyncItem>(base: Item?, hub: Item, spoke: Item, winner: Side) -> ItemMergeOutcome<Item> {
        merge(base: base, hub: hub, spoke: spoke) { _ in winner }
    }

    /// The same with the winner decided per field (by each field's age).
    public static func merge<Item: SyncItem>(
        base: Item?, hub: Item, spoke: Item, winner: (Item.Field) -> Side
    ) -> ItemMergeOutcome<Item> {
        var b = base ?? Item.empty, hub = hub, spoke = spoke
        Item.align(base: &b, hub: &hub, spoke: &spoke)
        var out = hub
        var conflicts: [Item.Field] = []
        for unit in Item.schema.units(of: b, hub, spoke) {
            if mergeField(unit, b, hub, spoke, winner(unit.field), into: &out) { conflicts.append(unit.field) }
        }
        Item.keepIdentity(hub: hub, spoke: spoke, into: &out)
        Item.settle(base: b, hub: hub, spoke: spoke, merged: &out)
        return ItemMergeOutcome(merged: out, conflicts: conflicts)
    }

    /// Merges one field into `out`; true when it was a conflict (the rules are `FieldMerge`'s,
    /// which an event's overrides merge their fields by too).
    static func mergeField<Item: SyncItem>(
        _ unit: FieldSchema<Item>.Unit, _ b: Item, _ h: Item, _ s: Item, _ w: Side, into out: inout Item
    ) -> Bool {
        FieldMerge.merge(unit.spec, name: unit.name, b, h, s, hubWins: w == .hub, into: &out)
    }
}
