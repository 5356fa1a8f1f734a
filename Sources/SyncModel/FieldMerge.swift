/// How one field of an item merges, three ways: the rules `ThreeWayMerge` (SyncCore) applies to
/// every field of an item, here so an item's nested parts (an event's overrides) merge their
/// fields by the same rules instead of a copy of them.
public enum FieldMerge {
    /// Merges one field of `b` (base), `h` (hub) and `s` (spoke) into `out`; `name` is the map's
    /// name for a map field. True when it was a conflict (settled for the hub when `hubWins`).
    public static func merge<Item: SyncItem>(
        _ spec: FieldSpec<Item>, name: String? = nil, _ b: Item, _ h: Item, _ s: Item, hubWins: Bool, into out: inout Item
    ) -> Bool {
        switch spec.access {
        case .scalar(let a): return scalar(a, b, h, s, hubWins, &out)
        case .list(let a): return list(a, b, h, s, hubWins, &out)
        case .map(let m):
            guard let name else { return false }
            let (v, conflict) = pick(m.get(b)[name], m.get(h)[name], m.get(s)[name], hubWins)
            var map = m.get(out)
            map[name] = v
            m.set(&out, map)
            return conflict
        }
    }

    /// A value changed on one side takes that change; changed on both, the winner's.
    public static func pick<T: Equatable>(_ b: T, _ h: T, _ s: T, _ hubWins: Bool) -> (T, Bool) {
        if s == b || h == s { return (h, false) }
        if h == b { return (s, false) }
        return (hubWins ? h : s, true)
    }

    static func scalar<A: ScalarAccess>(_ a: A, _ b: A.Item, _ h: A.Item, _ s: A.Item, _ hubWins: Bool, _ out: inout A.Item) -> Bool {
        let (v, conflict) = pick(a.get(b), a.get(h), a.get(s), hubWins)
        a.set(&out, v)
        return conflict
    }

    /// Set merge keyed by the field's key. An entry removed on one side and left alone on the
    /// other goes; one removed on one side but edited (relabelled) on the other stays: an edit
    /// beats a delete.
    static func list<A: ListAccess>(_ a: A, _ b: A.Item, _ h: A.Item, _ s: A.Item, _ hubWins: Bool, _ out: inout A.Item) -> Bool {
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
                      let (v, c) = a.merge(in: b, bm[k], x, y, hubWins: hubWins) {
                conflict = conflict || c  // changed on both sides, merged inside the entry
                result.append(v)
            } else if let y = sm[k] {
                let (v, c) = pick(bm[k], x, y, hubWins)
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
