/// An item the engine syncs field by field: a contact today, an event next. Its schema lists
/// every field once, and the walks over an item's fields (normalise, hash, codec, diff, merge,
/// view copy, lift, blank check) read that list instead of each naming the fields again.
public protocol SyncItem: Hashable, Sendable {
    /// The unit of merge, conflict, journal diffs and field times.
    associatedtype Field: Hashable, Sendable, CustomStringConvertible
    static var schema: FieldSchema<Self> { get }
    /// The item with no field set: the merge's base when there is none (a first sync).
    static var empty: Self { get }
    /// After a merge into a copy of `hub`: what `out` keeps of the identities (not fields) of both.
    static func keepIdentity(hub: Self, spoke: Self, into out: inout Self)
    /// First, what one side's edit means for the keys the other side wrote its entries under (a
    /// series moved on one side re-keys the other side's instances); nothing for most item types.
    static func align(base: inout Self, hub: inout Self, spoke: inout Self)
    /// Last, what a merge settles across fields (an event's instance cancelled on one side and
    /// edited on the other stays cancelled); nothing for most item types.
    static func settle(base: Self, hub: Self, spoke: Self, merged: inout Self)
}

extension SyncItem {
    public static func align(base: inout Self, hub: inout Self, spoke: inout Self) {}
    public static func settle(base: Self, hub: Self, spoke: Self, merged: inout Self) {}
}

/// What a field holds, and so how the walks treat it.
public enum FieldKind: Hashable, Sendable {
    /// Single-valued text.
    case text
    /// A date (a birthday; an event's start).
    case date
    /// Bytes with a media type.
    case photo
    /// Entries with a label (emails, phones), merged as a set keyed by normalised value.
    case labeled
    /// Entries made of parts (postal addresses), merged as a set keyed by all parts.
    case structured
    /// Plain text entries (categories), merged as a set keyed by value.
    case tags
    /// Named values; each name is a field of its own.
    case custom
    /// Any other single value (an event's status or rule).
    case value
}

/// A single value, merged, diffed and copied whole.
public protocol ScalarAccess<Item>: Sendable {
    associatedtype Item
    associatedtype Value: Equatable
    func get(_ item: Item) -> Value
    func set(_ item: inout Item, _ value: Value)
    /// True for no value (the blank check).
    func isNone(_ value: Value) -> Bool
    /// The value as history shows it; nil for none.
    func text(_ value: Value) -> String?
}

/// A list of entries, merged as a set keyed by `key`.
public protocol ListAccess<Item>: Sendable {
    associatedtype Item
    associatedtype Element: Hashable
    func get(_ item: Item) -> [Element]
    func set(_ item: inout Item, _ value: [Element])
    /// What entries are merged, matched and deduplicated by.
    func key(_ entry: Element) -> String
    /// Two entries under one key, new to a merge, that are one entry (one side only lacked a
    /// detail), as that entry; nil when they differ.
    func unify(_ a: Element, _ b: Element) -> Element?
    /// The entry as history shows it.
    func text(_ entry: Element) -> String
    /// Two entries under one key, each changed since `b` in its own way: merged inside (an
    /// event's override, field by field), with whether that met a conflict; nil to take one whole.
    func merge(in base: Item, _ b: Element?, _ h: Element, _ s: Element, hubWins: Bool) -> (Element, Bool)?
}

extension ListAccess {
    public func merge(in base: Item, _ b: Element?, _ h: Element, _ s: Element, hubWins: Bool) -> (Element, Bool)? { nil }
}

/// Named text values (custom fields); each name merges as a field of its own.
public struct MapAccess<Item: SyncItem>: Sendable {
    public let get: @Sendable (Item) -> [String: String]
    public let set: @Sendable (inout Item, [String: String]) -> Void
    /// The field one name is.
    public let field: @Sendable (String) -> Item.Field

    public init(get: @escaping @Sendable (Item) -> [String: String],
                set: @escaping @Sendable (inout Item, [String: String]) -> Void,
                field: @escaping @Sendable (String) -> Item.Field) {
        (self.get, self.set, self.field) = (get, set, field)
    }
}

public enum FieldAccess<Item: SyncItem>: Sendable {
    case scalar(any ScalarAccess<Item>)
    case list(any ListAccess<Item>)
    case map(MapAccess<Item>)
}

/// One field of an item type: its key, its kind, how it is read and written, whether it counts
/// in the blank check, how it normalises, and (for stored types) its tags in the content hash
/// and the binary codec.
public struct FieldSpec<Item: SyncItem>: Sendable {
    /// The field's key; for a map field, the key of the map as a whole is not a field (its
    /// names are), and this is only what the table names it by.
    public let field: Item.Field
    public let kind: FieldKind
    public let access: FieldAccess<Item>
    /// Whether a value here alone makes the item something a person would recognise.
    public let recognisable: Bool
    /// Puts this field of an item into its canonical form.
    public let normalize: @Sendable (inout Item) -> Void
    /// The tag of this field in the content hash, and what it feeds the hash (nil: not hashed).
    let hash: FieldHash<Item>?
    /// The field's slot in the binary codec (nil: not stored by a codec of this item type).
    let codec: CodecSlot<Item>?

    init(_ field: Item.Field, _ kind: FieldKind, _ access: FieldAccess<Item>, recognisable: Bool,
         normalize: @escaping @Sendable (inout Item) -> Void, hash: FieldHash<Item>? = nil,
         codec: CodecSlot<Item>? = nil) {
        (self.field, self.kind, self.access, self.recognisable, self.normalize, self.hash, self.codec) =
            (field, kind, access, recognisable, normalize, hash, codec)
    }

    public var isMap: Bool { if case .map = access { true } else { false } }

    /// True when the item holds no value in this field.
    public func isNone(_ item: Item) -> Bool {
        switch access {
        case .scalar(let a): Self.none(a, item)
        case .list(let a): Self.count(a, item) == 0
        case .map(let m): m.get(item).isEmpty
        }
    }

    private static func none<A: ScalarAccess>(_ a: A, _ item: Item) -> Bool where A.Item == Item { a.isNone(a.get(item)) }
    private static func count<A: ListAccess>(_ a: A, _ item: Item) -> Int where A.Item == Item { a.get(item).count }

    /// True when `a` and `b` hold the same value in this field (a map field: the same names and values).
    public func same(_ a: Item, _ b: Item) -> Bool {
        switch access {
        case .scalar(let x): Self.same(x, a, b)
        case .list(let x): Self.same(x, a, b)
        case .map(let m): m.get(a) == m.get(b)
        }
    }

    private static func same<A: ScalarAccess>(_ x: A, _ a: Item, _ b: Item) -> Bool where A.Item == Item {
        x.get(a) == x.get(b)
    }
    private static func same<A: ListAccess>(_ x: A, _ a: Item, _ b: Item) -> Bool where A.Item == Item {
        x.get(a) == x.get(b)
    }

    /// Sets this field of `out` to `src`'s.
    public func copy(from src: Item, into out: inout Item) {
        switch access {
        case .scalar(let a): Self.copy(a, src, &out)
        case .list(let a): Self.copy(a, src, &out)
        case .map(let m): m.set(&out, m.get(src))
        }
    }

    private static func copy<A: ScalarAccess>(_ a: A, _ src: Item, _ out: inout Item) where A.Item == Item {
        a.set(&out, a.get(src))
    }
    private static func copy<A: ListAccess>(_ a: A, _ src: Item, _ out: inout Item) where A.Item == Item {
        a.set(&out, a.get(src))
    }
}

/// A field's part of the content hash: entries of a list are fed sorted, so their order is not content.
struct FieldHash<Item>: Sendable {
    let tag: UInt8
    let feed: @Sendable (Item, inout FNV1a) -> Void
}

/// A field's slot in a binary codec: how it is written, and how one tagged value is read back.
struct CodecSlot<Item>: Sendable {
    let tag: UInt8
    let encode: @Sendable (Item, inout ContactCodec.Writer) -> Void
    let decode: @Sendable (inout ContactCodec.Reader, inout Item) throws(ContactCodec.DecodingError) -> Void
    /// For entries with label details (tag 33 after an entry): sets them on the last entry read.
    let details: (@Sendable (inout Item, LabelDetails) -> Void)?

    init(tag: UInt8, encode: @escaping @Sendable (Item, inout ContactCodec.Writer) -> Void,
         decode: @escaping @Sendable (inout ContactCodec.Reader, inout Item) throws(ContactCodec.DecodingError) -> Void,
         details: (@Sendable (inout Item, LabelDetails) -> Void)? = nil) {
        (self.tag, self.encode, self.decode, self.details) = (tag, encode, decode, details)
    }
}

/// The details an entry's label may carry beyond the label itself.
struct LabelDetails {
    var customLabel: String?
    var preferred: Bool
    var service: String?
}

/// All fields of an item type, in the order merges visit them and conflicts are listed.
public struct FieldSchema<Item: SyncItem>: Sendable {
    public let fields: [FieldSpec<Item>]
    /// What each hashed field feeds the hash, by hash tag (the order their bytes enter it). The
    /// per-item walks keep just the closures: copying whole rows per item costs more than the work.
    let hashFeeds: [@Sendable (Item, inout FNV1a) -> Void]
    let normalizers: [@Sendable (inout Item) -> Void]

    public init(_ fields: [FieldSpec<Item>]) {
        self.fields = fields
        hashFeeds = fields.compactMap(\.hash).sorted { $0.tag < $1.tag }.map(\.feed)
        normalizers = fields.map(\.normalize)
    }

    /// Puts every field of `item` into its canonical form.
    public func normalize(_ item: inout Item) {
        for n in normalizers { n(&item) }
    }

    public func spec(_ field: Item.Field) -> FieldSpec<Item>? { fields.first { $0.field == field } }

    /// The fields with a single key (all but maps), in order.
    public var fixed: [Item.Field] {
        fields.compactMap { $0.isMap ? nil : $0.field }
    }

    /// One unit of merge: a fixed field, or one name of a map field.
    public struct Unit: Sendable {
        public let field: Item.Field
        public let spec: FieldSpec<Item>
        /// The map's name, for a map field.
        public let name: String?
    }

    /// Every field of the given items, maps expanded to the names any of them holds (sorted),
    /// in merge order: the fixed fields, then each map's names.
    public func units(of items: Item...) -> [Unit] {
        var out: [Unit] = []
        var maps: [(MapAccess<Item>, FieldSpec<Item>)] = []
        for spec in fields {
            if case .map(let m) = spec.access {
                maps.append((m, spec))
            } else {
                out.append(Unit(field: spec.field, spec: spec, name: nil))
            }
        }
        for (m, spec) in maps {
            for name in Set(items.flatMap { m.get($0).keys }).sorted() {
                out.append(Unit(field: m.field(name), spec: spec, name: name))
            }
        }
        return out
    }

    /// True when no recognisable field holds a value (call on a normalised item).
    public func isBlank(_ item: Item) -> Bool {
        fields.allSatisfy { !$0.recognisable || $0.isNone(item) }
    }

    /// The content hash of an item as it is (call on a normalised item).
    func hash(_ item: Item) -> ContentHash {
        var h = FNV1a()
        for feed in hashFeeds { feed(item, &h) }
        return ContentHash(h.state)
    }
}

/// How a field is read and written. Closures, not key paths: reading through a key path copies
/// the whole item in generic code, several times slower on the per-item paths (hash, codec).
public struct Lens<Item, Value>: Sendable {
    public let get: @Sendable (Item) -> Value
    public let set: @Sendable (inout Item, Value) -> Void

    public init(_ get: @escaping @Sendable (Item) -> Value, _ set: @escaping @Sendable (inout Item, Value) -> Void) {
        (self.get, self.set) = (get, set)
    }
}

extension Lens where Value: RangeReplaceableCollection {
    /// Changes a list in place: taken out of the item first, so it is not copied.
    func modify(_ item: inout Item, _ body: (inout Value) -> Void) {
        var v = get(item)
        set(&item, Value())
        body(&v)
        set(&item, v)
    }
}

/// A scalar field, with its blank test and history text.
public struct ScalarField<Item, Value: Equatable>: ScalarAccess {
    let lens: Lens<Item, Value>
    let none: @Sendable (Value) -> Bool
    let show: @Sendable (Value) -> String?

    public init(_ lens: Lens<Item, Value>, none: @escaping @Sendable (Value) -> Bool,
                text: @escaping @Sendable (Value) -> String?) {
        (self.lens, self.none, self.show) = (lens, none, text)
    }

    public func get(_ item: Item) -> Value { lens.get(item) }
    public func set(_ item: inout Item, _ value: Value) { lens.set(&item, value) }
    public func isNone(_ value: Value) -> Bool { none(value) }
    public func text(_ value: Value) -> String? { show(value) }
}

extension ScalarField {
    /// An optional value: none when nil, shown by `text`.
    public init<Wrapped: Sendable>(_ lens: Lens<Item, Wrapped?>, text: @escaping @Sendable (Wrapped) -> String?)
    where Value == Wrapped? {
        self.init(lens, none: { $0 == nil }, text: { $0.flatMap(text) })
    }
}

/// A list field, keyed by `key`.
public struct ListField<Item, Element: Hashable & Sendable>: ListAccess {
    let lens: Lens<Item, [Element]>
    let keyOf: @Sendable (Element) -> String
    let unifies: @Sendable (Element, Element) -> Element?
    let show: @Sendable (Element) -> String
    let merges: (@Sendable (Item, Element?, Element, Element, Bool) -> (Element, Bool))?

    public init(_ lens: Lens<Item, [Element]>, key: @escaping @Sendable (Element) -> String,
                unify: @escaping @Sendable (Element, Element) -> Element? = { _, _ in nil },
                text: @escaping @Sendable (Element) -> String,
                merge: (@Sendable (Item, Element?, Element, Element, Bool) -> (Element, Bool))? = nil) {
        (self.lens, self.keyOf, self.unifies, self.show, self.merges) = (lens, key, unify, text, merge)
    }

    public func get(_ item: Item) -> [Element] { lens.get(item) }
    public func set(_ item: inout Item, _ value: [Element]) { lens.set(&item, value) }
    public func key(_ entry: Element) -> String { keyOf(entry) }
    public func unify(_ a: Element, _ b: Element) -> Element? { unifies(a, b) }
    public func text(_ entry: Element) -> String { show(entry) }
    public func merge(in base: Item, _ b: Element?, _ h: Element, _ s: Element, hubWins: Bool) -> (Element, Bool)? {
        merges?(base, b, h, s, hubWins)
    }
}
