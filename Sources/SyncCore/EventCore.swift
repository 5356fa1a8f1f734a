import Foundation
import SyncModel

/// Events: no field mapping (it names contact fields) and no display forms; categories are the
/// master's; the filter's categories apply (its contact criteria do not); matching by UID first,
/// then conservatively by the same start and the same summary.
extension Event: CoreItem {
    public var categoryList: [String] {
        get { master?.categories ?? [] }
        set { master?.categories = newValue }
    }
    public static var categoriesField: EventField { .categories }

    public static func mappedToHub(_ spoke: Event, _ mappings: [FieldMapping]) -> Event { spoke }
    public static func mappedToSpoke(_ hub: Event, _ mappings: [FieldMapping]) -> Event { hub }
    public static func clearMapped(_ item: inout Event, _ mappings: [FieldMapping]) {}
    public static func carriesByMapping(_ field: EventField, _ mappings: [FieldMapping]) -> Bool? { nil }
    public static func restrictMapped(_ out: inout Event, spoke: Event, hub: Event, carries: (EventField) -> Bool) {}

    public static func agreed(_ spoke: Event, base: Event?, hub: Event) -> Event { spoke }
    /// An end nobody changed goes back to the spoke as it wrote it (DTEND or DURATION).
    public static func base(after hub: Event, base: Event) -> Event { hub.endsWritten(as: base) }
    public static func written(_ base: Event) -> Event { base }

    public func admitted(by filter: SpokeFilter) -> Bool {
        guard !filter.categories.isEmpty else { return true }
        let want = Set(filter.categories.map(Normalize.key(category:)))
        return categoryList.contains { want.contains(Normalize.key(category: $0)) }
    }

    public var hasIdentity: Bool {
        guard let m = master else { return !overrides.isEmpty }
        return !(m.summary ?? "").trimmingCharacters(in: .whitespaces).isEmpty || !uid.isEmpty
    }

    /// One key: the master's start and its summary, folded. No summary, no key: a start alone is
    /// far too weak (every 9:00 meeting).
    public static func matchKeys(_ e: Event) -> [String] {
        guard let m = e.master, let s = Normalize.text(m.summary) else { return [] }
        return ["t:\(m.start)|" + s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)]
    }
    public static func matchScore(_ a: Event, _ b: Event) -> Int {
        let k = matchKeys(a)
        guard !k.isEmpty, k == matchKeys(b) else { return 0 }
        // Both recurring or both single: a series never matches a lone instance.
        return a.isRecurring == b.isRecurring ? 4 : 0
    }
    public static func identityVeto(_ a: Event, _ b: Event) -> Bool { false }
}
