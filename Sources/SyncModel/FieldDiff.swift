/// A human-readable account of one field's change between two versions of an item: for history
/// views (CLI, web UI). Values are shown, since it is the user's own data on their own screen.
public struct ItemFieldChange<Field: Hashable & Sendable & CustomStringConvertible>: Hashable, Sendable,
    CustomStringConvertible {
    public var field: Field
    public var old: String?
    public var new: String?
    /// For lists: entries added and removed.
    public var added: [String]
    public var removed: [String]

    public init(field: Field, old: String?, new: String?, added: [String], removed: [String]) {
        (self.field, self.old, self.new, self.added, self.removed) = (field, old, new, added, removed)
    }

    public var description: String {
        if !added.isEmpty || !removed.isEmpty {
            let parts = added.map { "+\($0)" } + removed.map { "-\($0)" }
            return "\(field): " + parts.joined(separator: " ")
        }
        return "\(field): \(old.map { "'\($0)'" } ?? "∅") → \(new.map { "'\($0)'" } ?? "∅")"
    }
}

extension FieldSchema {
    /// The fields that differ between `old` and `new`, as history shows them, in `order` (the
    /// fixed fields; maps' names follow, sorted). Values compare as history shows them, so two
    /// photos of one type and size are no change there.
    public func changes(from old: Item, to new: Item, order: [Item.Field]? = nil) -> [ItemFieldChange<Item.Field>] {
        var out: [ItemFieldChange<Item.Field>] = []
        let specs = order.map { $0.compactMap(spec) } ?? fields.filter { !$0.isMap }
        for spec in specs {
            switch spec.access {
            case .scalar(let a): Self.scalar(a, spec.field, old, new, &out)
            case .list(let a): Self.list(a, spec.field, old, new, &out)
            case .map: break
            }
        }
        for spec in fields {
            guard case .map(let m) = spec.access else { continue }
            let a = m.get(old), b = m.get(new)
            for name in Set(a.keys).union(b.keys).sorted() where a[name] != b[name] {
                out.append(ItemFieldChange(field: m.field(name), old: a[name], new: b[name], added: [], removed: []))
            }
        }
        return out
    }

    private static func scalar<A: ScalarAccess>(
        _ a: A, _ field: Item.Field, _ old: Item, _ new: Item, _ out: inout [ItemFieldChange<Item.Field>]
    ) where A.Item == Item {
        let x = a.get(old), y = a.get(new)
        guard x != y else { return }
        let tx = a.text(x), ty = a.text(y)
        if tx != ty { out.append(ItemFieldChange(field: field, old: tx, new: ty, added: [], removed: [])) }
    }

    private static func list<A: ListAccess>(
        _ a: A, _ field: Item.Field, _ old: Item, _ new: Item, _ out: inout [ItemFieldChange<Item.Field>]
    ) where A.Item == Item {
        let x = a.get(old).map(a.text), y = a.get(new).map(a.text)
        let sx = Set(x), sy = Set(y)
        let added = y.filter { !sx.contains($0) }, removed = x.filter { !sy.contains($0) }
        if !added.isEmpty || !removed.isEmpty {
            out.append(ItemFieldChange(field: field, old: nil, new: nil, added: added, removed: removed))
        }
    }
}
