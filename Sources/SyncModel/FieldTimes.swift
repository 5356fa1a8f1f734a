import Foundation

/// When each field of a hub item last changed, so a conflict on one field is settled by that
/// field's age, not by an unrelated later edit of another field. Fields without an entry date
/// from `base` (the content's time before per-field tracking began); nil `base` means the
/// item's own modification time. Generic over the item's field type; the JSON is the same.
public struct ItemFieldTimes<Field: Hashable & Sendable & Codable>: Hashable, Sendable, Codable {
    public var base: Date?
    public var fields: [Field: Date]

    public init(base: Date? = nil, fields: [Field: Date] = [:]) {
        self.base = base
        self.fields = fields
    }

    public var isEmpty: Bool { base == nil && fields.isEmpty }

    /// When `field` last changed, for an item last modified at `itemModified`.
    public func time(of field: Field, itemModified: Date) -> Date {
        fields[field] ?? base ?? itemModified
    }

    /// Records that `changed` fields changed at `at`; the others keep their times.
    public mutating func record(_ changed: [Field], at: Date, itemModified: Date) {
        guard !changed.isEmpty else { return }
        if base == nil { base = itemModified }
        for f in changed { fields[f] = at }
    }
}

/// A contact's field times.
public typealias FieldTimes = ItemFieldTimes<ContactField>
