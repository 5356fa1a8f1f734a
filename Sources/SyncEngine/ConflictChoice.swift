import Foundation
import SyncCore
import SyncModel
import SyncStore

/// An admin's answer to a settled conflict: the other side's value, field by field.
extension SyncEngine {
    /// `useOtherValue` in a contact hub.
    @discardableResult
    public func useOtherValue(hub: HubID, entry seq: Int64) throws -> [JournalEntry] {
        try useOtherValue(Contact.self, hub: hub, entry: seq)
    }

    /// Gives each field that journal entry `seq` settled as a conflict the value the losing side
    /// had (the entry's `old`: the overruled spoke's content for a conflict the hub won, the hub's
    /// before for one the spoke won). Every other field stays as it is now: nobody changed them.
    /// Journaled as an undo; the next pass writes it to every spoke.
    @discardableResult
    public func useOtherValue<Item: CoreItem & StoredItem>(
        _ kind: Item.Type, hub: HubID, entry seq: Int64
    ) throws -> [ItemJournalEntry<Item>] {
        try expect(Item.self, in: hub)
        guard let entry = try store.journal(Item.self, hub: hub, JournalQuery(before: seq + 1, limit: 1)).first,
            entry.seq == seq, !entry.conflicts.isEmpty, let other = entry.old
        else { throw EngineError(EngineError.noConflict, ["entry": "\(seq)", "hub": "\(hub)"], kind: .notFound) }
        guard let item = try store.items(Item.self, hub: hub, ids: [entry.item])[entry.item], !item.deleted else {
            throw EngineError(EngineError.conflictItemGone, kind: .conflict)
        }
        var target = item.item
        let units = Item.schema.units(of: other, target)
        for field in entry.conflicts {
            guard let unit = units.first(where: { $0.field == field }) else { continue }
            if let name = unit.name, case .map(let m) = unit.spec.access {
                // One name of a map field (a custom field): that name only.
                var values = m.get(target)
                values[name] = m.get(other)[name]
                m.set(&target, values)
            } else {
                unit.spec.copy(from: other, into: &target)
            }
        }
        return try restore(hub: hub, to: [entry.item: target])
    }
}
