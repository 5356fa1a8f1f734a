import SyncModel

extension ItemView {
    /// `spoke` (hub terms) with what it holds only as the image of `hub` given back as the hub's:
    /// a field equal to what the spoke would keep of the hub's is the hub's field; in lists, an
    /// entry kept as the spoke keeps it (relabelled, say) is the hub's entry, and the hub's entries
    /// the spoke has no room for stay. So a spoke with three email slots neither deletes a fourth
    /// email nor relabels the others, while a real edit there still merges.
    func lift(_ spoke: Item, to hub: Item) -> Item {
        guard let image = image.map({ $0(hub) }) else { return spoke }
        return Lift.lift(spoke, image: image, hub: hub)
    }
}

/// The lift over any item type's fields: custom fields are not lifted (the mapping decides them).
enum Lift {
    static func lift<Item: SyncItem>(_ spoke: Item, image: Item, hub: Item) -> Item {
        var out = spoke
        for spec in Item.schema.fields {
            switch spec.access {
            case .scalar(let a): scalar(a, image, hub, &out)
            case .list(let a): list(a, image, hub, &out)
            case .map: break
            }
        }
        return out
    }

    static func scalar<A: ScalarAccess>(_ a: A, _ image: A.Item, _ hub: A.Item, _ out: inout A.Item) {
        if a.get(out) == a.get(image) { a.set(&out, a.get(hub)) }
    }

    static func list<A: ListAccess>(_ a: A, _ image: A.Item, _ hub: A.Item, _ out: inout A.Item) {
        let held = a.get(out), kept = a.get(image), theirs = a.get(hub)
        if held == kept {
            a.set(&out, theirs)
            return
        }
        let keptSet = Set(kept)
        let keptKeys = Set(kept.map(a.key))
        let hubByKey = Dictionary(theirs.map { (a.key($0), $0) }, uniquingKeysWith: { x, _ in x })
        var result = held.map { v in keptSet.contains(v) ? hubByKey[a.key(v)] ?? v : v }
        var keys = Set(result.map(a.key))
        for v in theirs where !keptKeys.contains(a.key(v)) && !keys.contains(a.key(v)) {
            result.append(v)
            keys.insert(a.key(v))
        }
        a.set(&out, result)
    }
}
