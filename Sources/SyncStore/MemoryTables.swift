import Foundation
import SyncModel

/// What the memory store asks of a hub's item-bearing tables without knowing their item type
/// (counts, versions, a spoke's links going away).
protocol MemoryKindTables: Sendable {
    var isEmpty: Bool { get }
    var liveCount: Int { get }
    var maxVersion: Int64 { get }
    /// The journal entries that settled a conflict (`JournalQuery.conflicts`).
    var conflictCount: Int { get }
    func remoteVersion(spoke: SpokeID, item: ItemID) -> RemoteVersion??
    func linkCount(spoke: SpokeID) -> Int
    mutating func removeSpoke(_ id: SpokeID)
    /// Removes the link; the remote id it held, if there was one.
    mutating func removeLink(_ key: LinkKey) -> RemoteID?
    mutating func removeIntent(_ key: LinkKey)
    /// Drops journal entries from before `cut`, except the newest.
    mutating func pruneJournal(before cut: Date)
}

/// One hub's items, links, intents and journal, of the hub's kind: a calendar hub holds
/// `MemoryTables<Event>`. Held boxed (`any MemoryKindTables`) in the hub's data and opened with
/// the item type a caller asks for.
struct MemoryTables<Item: StoredItem>: MemoryKindTables {
    var items: [ItemID: HubRecord<Item>] = [:]
    var links: [SpokeID: [ItemID: ItemLink<Item>]] = [:]
    var intents: [LinkKey: ItemCreateIntent<Item>] = [:]
    var journal: [ItemJournalEntry<Item>] = []

    var isEmpty: Bool { items.isEmpty && links.values.allSatisfy(\.isEmpty) && intents.isEmpty && journal.isEmpty }
    var liveCount: Int { items.values.count { !$0.deleted } }
    var maxVersion: Int64 { items.values.map(\.version).max() ?? 0 }
    var conflictCount: Int { journal.count(where: MemoryStore.settlesConflict) }
    func remoteVersion(spoke: SpokeID, item: ItemID) -> RemoteVersion?? {
        guard let link = links[spoke]?[item] else { return nil }
        return .some(link.remoteVersion)
    }
    func linkCount(spoke: SpokeID) -> Int { links[spoke]?.count ?? 0 }
    mutating func removeSpoke(_ id: SpokeID) {
        links[id] = nil
        intents = intents.filter { $0.key.spoke != id }
    }
    mutating func removeLink(_ key: LinkKey) -> RemoteID? { links[key.spoke]?.removeValue(forKey: key.item)?.remoteID }
    mutating func removeIntent(_ key: LinkKey) { intents[key] = nil }
    /// As SQLite: in seq order up to the first entry to keep; the newest is always kept.
    mutating func pruneJournal(before cut: Date) {
        guard let newest = journal.last?.seq else { return }
        let keepFrom = journal.first { $0.at >= cut }?.seq ?? newest
        journal.removeAll { $0.seq < keepFrom }
    }
}

extension MemoryStore.HubData {
    /// Empty tables for a hub holding `kind`.
    static func emptyTables(_ kind: ObjectKind) -> any MemoryKindTables {
        switch kind {
        case .contacts: MemoryTables<Contact>()
        case .calendar: MemoryTables<Event>()
        }
    }

    /// The tables as `Item`'s, once the hub is known to hold that kind.
    func tables<Item: StoredItem>(_ kind: Item.Type) throws -> MemoryTables<Item> {
        guard config.objectKind == Item.objectKind else {
            throw StoreError.wrongKind(config.id, holds: config.objectKind, asked: kind)
        }
        guard let t = tables as? MemoryTables<Item> else {
            throw StoreError(.corrupt, "hub \(config.id) holds items of another kind than \(config.objectKind)")
        }
        return t
    }
}
