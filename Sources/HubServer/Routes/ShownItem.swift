import Foundation
import SyncModel
import SyncStore

/// What the history pages (journal, conflicts, held deletions) show of an item of either kind:
/// its name and its changes. The contact-only pages (contacts, fields) stay on `Contact`.
protocol ShownItem: StoredItem {
    /// How a person recognises the item ("" when it has nothing to show).
    var shownName: String { get }
    /// The fields that differ from `old` (nil: from nothing), as history shows them.
    static func shownChanges(from old: Self?, to new: Self) -> [ItemFieldChange<Field>]
}

extension Contact: ShownItem {
    var shownName: String { formattedName }
    static func shownChanges(from old: Contact?, to new: Contact) -> [ItemFieldChange<ContactField>] {
        (old ?? Contact()).changes(to: new)
    }
}

extension Event: ShownItem {
    var shownName: String { master?.summary ?? overrides.lazy.compactMap(\.fields.summary).first ?? "" }
    static func shownChanges(from old: Event?, to new: Event) -> [ItemFieldChange<EventField>] {
        Event.schema.changes(from: old ?? .empty, to: new)
    }
}

extension SyncModel.ObjectKind {
    /// The item type a hub of this kind holds, for the pages shared by every kind.
    var shown: any ShownItem.Type {
        switch self {
        case .contacts: Contact.self
        case .calendar: Event.self
        }
    }
}
