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
        let b = base ?? Item.empty
        var out = hub
        var conflicts: [Item.Field] = []
        for unit in Item.schema.units(of: b, hub, spoke) {
            if mergeField(unit, b, hub, spoke, winner(unit.field), into: &out) { conflicts.append(unit.field) }
        }
        Item.keepIdentity(hub: hub, spoke: spoke, into: &out)
        Item.settle(base: b, hub: hub, spoke: spoke, merged: &out)
        return ItemMergeOutcome(merged: out, conflicts: conflicts)
    }

    /// Merges one field into `out`; true when it was a conflict.
    static func mergeField<Item: SyncItem>(
        _ unit: FieldSchema<Item>.Unit, _ b: Item, _ h: Item, _ s: Item, _ w: Side, into out: inout Item
    ) -> Bool {
        switch unit.spec.access {
        case .scalar(let a): return scalar(a, b, h, s, w, &out)
        case .list(let a): return list(a, b, h, s, w, &out)
        case .map(let m):
            guard let name = unit.name else { return false }
            let (v, conflict) = pick(m.get(b)[name], m.get(h)[name], m.get(s)[name], w)
            var map = m.get(out)
            map[name] = v
            m.set(&out, map)
            return conflict
        }
    }

    static func pick<T: Equatable>(_ b: T, _ h: T, _ s: T, _ w: Side) -> (T, Bool) {
        if s == b || h == s { return (h, false) }
        if h == b { return (s, false) }
        return (w == .hub ? h : s, true)
    }

    static func scalar<A: ScalarAccess>(
        _ a: A, _ b: A.Item, _ h: A.Item, _ s: A.Item, _ w: Side, _ out: inout A.Item
    ) -> Bool {
        let (v, conflict) = pick(a.get(b), a.get(h), a.get(s), w)
        a.set(&out, v)
        return conflict
    }

    /// Set merge keyed by the field's key. An entry removed on one side and left alone on the
    /// other goes; one removed on one side but edited (relabelled) on the other stays: an edit
    /// beats a delete.
    static func list<A: ListAccess>(
        _ a: A, _ b: A.Item, _ h: A.Item, _ s: A.Item, _ w: Side, _ out: inout A.Item
    ) -> Bool {
        let base = a.get(b), hub = a.get(h), spoke = a.get(s)
        if spoke == base || hub == spoke { return false }
        if hub == base {
            a.set(&out, spoke)
            return false
        }
        let bm = Dictionary(base.map { (a.key($0), $0) }, uniquingKeysWith: { x, _ in x })
        let sm = Dictionary(spoke.map { (a.key($0), $0) }, uniquingKeysWith: { x, _ in x })
        var hubKeys = Set<String>()
        var result: [A.Element] = []
        var conflict = false
        for x in hub {
            let k = a.key(x)
            hubKeys.insert(k)
            if let y = sm[k], bm[k] == nil, let same = a.unify(x, y) {
                result.append(same)  // one side only lacked the label
            } else if let y = sm[k], x != y, bm[k] != x, bm[k] != y,
                      let (v, c) = a.merge(in: b, bm[k], x, y, hubWins: w == .hub) {
                conflict = conflict || c  // changed on both sides, merged inside the entry
                result.append(v)
            } else if let y = sm[k] {
                let (v, c) = pick(bm[k], x, y, w)
                conflict = conflict || c
                if let v { result.append(v) }
            } else if let old = bm[k], old == x {
                continue  // removed in the spoke, untouched in the hub
            } else {
                result.append(x)  // added in the hub, or edited there while the spoke removed it
            }
        }
        for y in spoke where !hubKeys.contains(a.key(y)) {
            if let old = bm[a.key(y)], old == y { continue }  // removed in the hub
            result.append(y)
        }
        a.set(&out, result)
        return conflict
    }
}
