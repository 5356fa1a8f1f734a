import Foundation
import SyncModel
import SyncStore

/// An admin's answer to a settled conflict: the other side's value, field by field.
extension SyncEngine {
    /// Gives each field that journal entry `seq` settled as a conflict the value the losing side
    /// had (the entry's `old`: the overruled spoke's content for a conflict the hub won, the hub's
    /// before for one the spoke won). Every other field stays as it is now: nobody changed them.
    /// Journaled as an undo; the next pass writes it to every spoke.
    @discardableResult
    public func useOtherValue(hub: HubID, entry seq: Int64) throws -> [JournalEntry] {
        guard let entry = try store.journal(hub: hub, JournalQuery(before: seq + 1, limit: 1)).first, entry.seq == seq,
            !entry.conflicts.isEmpty, let other = entry.old
        else { throw EngineError(EngineError.noConflict, ["entry": "\(seq)", "hub": "\(hub)"], kind: .notFound) }
        guard let item = try store.items(hub: hub, ids: [entry.item])[entry.item], !item.deleted else {
            throw EngineError(EngineError.conflictItemGone, kind: .conflict)
        }
        var target = item.contact
        for field in entry.conflicts {
            if case .custom(let name) = field {
                target.custom[name] = other.custom[name]
            } else if let spec = Contact.schema.spec(field), !spec.isMap {
                spec.copy(from: other, into: &target)
            }
        }
        return try restore(hub: hub, to: [entry.item: target])
    }
}
