import Foundation
import SyncModel

/// What SyncCore needs of an item type beyond its field schema: the few decisions that differ by
/// kind (a spoke's field mapping, the category a spoke adds, the forms a spoke writes values in,
/// the filters, the evidence a match rests on, what tells an item apart). The planners, the
/// view, the matcher and the guard are written once over it; contacts and events conform.
public protocol CoreItem: KindedItem where Field: Codable {
    /// The item's categories: the spoke's own category is added and stripped through them.
    var categoryList: [String] { get set }
    static var categoriesField: Field { get }

    /// A spoke's item with its field mapping applied (mapped fields moved to the hub's custom
    /// fields, unmapped custom fields of the spoke dropped), before normalisation.
    static func mappedToHub(_ spoke: Self, _ mappings: [FieldMapping]) -> Self
    /// The hub's item with the mapping applied the other way, before normalisation.
    static func mappedToSpoke(_ hub: Self, _ mappings: [FieldMapping]) -> Self
    /// After normalisation: what the mapping adds to an item sent to a spoke (a mapped custom
    /// field the hub has no value for, sent empty so the spoke clears it).
    static func clearMapped(_ item: inout Self, _ mappings: [FieldMapping])
    /// Whether the mapping alone decides that a spoke carries `field` (nil: its capabilities do).
    static func carriesByMapping(_ field: Field, _ mappings: [FieldMapping]) -> Bool?
    /// `out`'s named (map) fields: the hub's where the spoke does not carry them, the spoke's
    /// where it does.
    static func restrictMapped(_ out: inout Self, spoke: Self, hub: Self, carries: (Field) -> Bool)

    /// Display forms (see `DisplayForms`): a pulled item in the forms agreed with the spoke,
    /// the base once the spoke holds `hub`, and what to write for a base.
    static func agreed(_ spoke: Self, base: Self?, hub: Self) -> Self
    static func base(after hub: Self, base: Self) -> Self
    static func written(_ base: Self) -> Self

    /// Whether a hub item flows into a spoke with this filter.
    func admitted(by filter: SpokeFilter) -> Bool
    /// What the spoke's kind-specific options make of a hub item at `now` (seconds since 1970).
    static func shape(_ item: Self, for options: SpokeOptions, now: Int) -> SpokeShape<Self>

    /// Something that tells what this is (a name or address; a summary or a start).
    var hasIdentity: Bool { get }
    /// How many fields hold something.
    var filledFieldCount: Int { get }

    /// Keys a hub item is indexed by for matching, and which two items may match on.
    static func matchKeys(_ item: Self) -> [String]
    /// The evidence that two items are one (a match needs at least 4); negative vetoes.
    static func matchScore(_ a: Self, _ b: Self) -> Int
    /// Two items with the same identity (UID) that are still not one.
    static func identityVeto(_ a: Self, _ b: Self) -> Bool
}

extension CoreItem {
    public var filledFieldCount: Int { Self.schema.fields.count { !$0.isNone(self) } }
}
