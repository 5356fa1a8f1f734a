import Foundation
import SyncCore
import SyncModel
import SyncStore

/// Undo and hold decisions: hub changes made by a person rather than a spoke. Each one is
/// journaled and gets a new version, so the next pass pushes it to every spoke.
extension SyncEngine {
    /// Puts an item of a contact hub back as it was before journal entry `seq`. Returns the new
    /// journal entries.
    @discardableResult
    public func restore(hub: HubID, entry seq: Int64) throws -> [JournalEntry] {
        try restore(Contact.self, hub: hub, entry: seq)
    }

    /// Undoes every hub change a sync run made in a contact hub.
    @discardableResult
    public func restore(hub: HubID, run: RunID) throws -> [JournalEntry] {
        try restore(Contact.self, hub: hub, run: run)
    }

    /// Undoes journal entry `seq` in a hub of either kind; how many entries the undo journaled.
    @discardableResult
    public func undo(hub: HubID, entry seq: Int64) throws -> Int {
        switch try objectKind(hub) {
        case .contacts: try restore(Contact.self, hub: hub, entry: seq).count
        case .calendar: try restore(Event.self, hub: hub, entry: seq).count
        }
    }

    /// Undoes a run in a hub of either kind; how many entries the undo journaled.
    @discardableResult
    public func undo(hub: HubID, run: RunID) throws -> Int {
        switch try objectKind(hub) {
        case .contacts: try restore(Contact.self, hub: hub, run: run).count
        case .calendar: try restore(Event.self, hub: hub, run: run).count
        }
    }

    /// Puts an item back as it was before journal entry `seq`. Returns the new journal entries.
    @discardableResult
    public func restore<Item: CoreItem & StoredItem>(
        _ kind: Item.Type, hub: HubID, entry seq: Int64
    ) throws -> [ItemJournalEntry<Item>] {
        try expect(Item.self, in: hub)
        guard let entry = try store.journal(Item.self, hub: hub, JournalQuery(before: seq + 1, limit: 1)).first,
            entry.seq == seq
        else { throw EngineError(EngineError.noEntry, ["entry": "\(seq)", "hub": "\(hub)"], kind: .notFound) }
        return try restore(hub: hub, to: [entry.item: entry.old])
    }

    /// Undoes every hub change a sync run made: each item goes back to its state before the run.
    @discardableResult
    public func restore<Item: CoreItem & StoredItem>(
        _ kind: Item.Type, hub: HubID, run: RunID
    ) throws -> [ItemJournalEntry<Item>] {
        try expect(Item.self, in: hub)
        return try restore(hub: hub, to: try runTargets(Item.self, hub: hub, run: run))
    }

    /// How many live hub items undoing `run` would delete (the ones it created): each deletion
    /// reaches every two-way spoke at the next pass, so callers confirm before.
    public func deletionsUndoing(hub: HubID, run: RunID) throws -> Int {
        switch try objectKind(hub) {
        case .contacts: try deletionsUndoing(Contact.self, hub: hub, run: run)
        case .calendar: try deletionsUndoing(Event.self, hub: hub, run: run)
        }
    }

    private func deletionsUndoing<Item: CoreItem & StoredItem>(_ kind: Item.Type, hub: HubID, run: RunID) throws -> Int {
        let targets = try runTargets(Item.self, hub: hub, run: run).filter { $0.value == nil }
        return try store.items(Item.self, hub: hub, ids: Array(targets.keys)).values.filter { !$0.deleted }.count
    }

    /// Each item the run changed, with its content before the run (nil: it did not exist).
    private func runTargets<Item: CoreItem & StoredItem>(
        _ kind: Item.Type, hub: HubID, run: RunID
    ) throws -> [ItemID: Item?] {
        var targets: [ItemID: Item?] = [:]
        var before: Int64?
        while true {
            let page = try store.journal(Item.self, hub: hub, JournalQuery(run: run, before: before, limit: 1000))
            guard let last = page.last else { break }
            // Newest first: the oldest entry of an item, seen last, holds its state before the run.
            // A conflict entry changed nothing (its `old` is the overruled spoke's version).
            for e in page where e.kind != .conflict { targets[e.item] = .some(e.old) }
            before = last.seq
        }
        guard !targets.isEmpty else { throw EngineError(EngineError.runChangedNothing, ["run": "\(run)", "hub": "\(hub)"], kind: .notFound) }
        return targets
    }

    func restore<Item: CoreItem & StoredItem>(hub: HubID, to targets: [ItemID: Item?]) throws -> [ItemJournalEntry<Item>] {
        let items = try store.items(Item.self, hub: hub, ids: Array(targets.keys))
        let version = HubRecord<Item>.allocatedVersion
        var batch = ItemWriteBatch<Item>()
        let now = clock()
        for (id, old) in targets.sorted(by: { $0.key < $1.key }) {
            let current = items[id]
            let currentContent = current?.deleted == false ? current?.item : nil
            if currentContent == old { continue }
            let item: HubRecord<Item>
            if let old {
                item = HubRecord(id: id, item: old.canonical(), version: version, modifiedAt: now)
            } else if var c = current {
                c.deleted = true
                c.version = version
                c.modifiedAt = now
                item = c
            } else {
                continue
            }
            batch.items.append(item)
            batch.journal.append(ItemJournalEntry(
                hub: hub, run: nil, item: id, source: .restore, at: now, kind: .restored,
                old: currentContent, new: old))
        }
        // Deleting many of a spoke's items at once is held for an admin, like a mass deletion pulled.
        if let config = try store.hub(hub) {
            batch.holds = try outgoingHolds(Item.self, hub: config, deleting: batch.items.filter(\.deleted).map(\.id))
        }
        try store.commit(hub: hub, batch: batch)
        return try stored(hub: hub, batch.journal)
    }

    /// Commits a batch that carries no items, links, intents or journal entries (spoke states,
    /// holds, pruning) to a hub of either kind: the store takes a batch of the hub's kind only.
    func commitKindless(hub: HubID, _ batch: WriteBatch) throws {
        switch try objectKind(hub) {
        case .contacts: try store.commit(hub: hub, batch: batch)
        case .calendar: try store.commit(hub: hub, batch: batch.kindless(as: Event.self))
        }
    }

    /// The kind of item the hub holds.
    func objectKind(_ hub: HubID) throws -> ObjectKind {
        guard let config = try store.hub(hub) else { throw EngineError(EngineError.noHub, ["id": "\(hub)"], kind: .notFound) }
        return config.objectKind
    }

    /// Refuses to read a hub's items as another kind (a caller's mistake, not a corrupt store).
    func expect<Item: KindedItem>(_ kind: Item.Type, in hub: HubID) throws {
        let held = try objectKind(hub)
        guard held == Item.objectKind else {
            throw EngineError.wrongKind(hub, holds: held)
        }
    }

    /// The entries just committed as the store holds them: with the `seq` it assigned, so a
    /// caller can name them (to undo the undo). They are the hub's newest entries unless another
    /// writer got in between; then the entries are returned as built, without their seq.
    private func stored<Item: CoreItem & StoredItem>(
        hub: HubID, _ entries: [ItemJournalEntry<Item>]
    ) throws -> [ItemJournalEntry<Item>] {
        guard !entries.isEmpty else { return [] }
        let newest = Array(try store.journal(Item.self, hub: hub, JournalQuery(limit: entries.count)).reversed())
        let same = newest.count == entries.count && zip(newest, entries).allSatisfy { a, b in
            a.item == b.item && a.kind == b.kind && a.source == b.source
        }
        return same ? newest : entries
    }

    /// Forgets history (journal entries and finished runs) from before `cutoff`. What is
    /// forgotten can no longer be restored.
    public func prune(hub: HubID, before cutoff: Date) throws {
        var batch = WriteBatch()
        batch.pruneBefore = cutoff
        try commitKindless(hub: hub, batch)
    }

    /// Saves a changed spoke. New sync options apply to every hub item, not only to those that
    /// change next: then the next push walks the whole hub once for this spoke.
    public func saveSpoke(_ spoke: SpokeConfig) throws {
        let before = try store.spokes(hub: spoke.hub).first { $0.id == spoke.id }
        // A filter taking many items out of the spoke is held for an admin, like a mass deletion.
        var holds: [DeletionHold] = []
        if let before, before.options.filter != spoke.options.filter, spoke.options.twoWay,
            let hub = try store.hub(spoke.hub)
        {
            let leaving = switch hub.objectKind {
            case .contacts: try leavingFilter(Contact.self, spoke)
            case .calendar: try leavingFilter(Event.self, spoke)
            }
            if !leaving.isEmpty, let hold = try outgoingHold(
                hub, spoke, leaving, linkCount: try store.linkCount(hub: hub.id, spoke: spoke.id),
                existing: try store.holds(hub: hub.id))
            {
                holds = [hold]
            }
        }
        try store.saveSpoke(spoke)
        guard let before, before.options != spoke.options else { return }
        var state = try store.spokeState(hub: spoke.hub, spoke: spoke.id)
        state.pushedThrough = 0
        var batch = WriteBatch()
        batch.spokeStates = [state]
        batch.holds = holds
        try commitKindless(hub: spoke.hub, batch)
    }

    /// The admin confirms what a spoke's hold holds back: the held deletions are applied in the
    /// hub now; held changes (items the spoke would blank or strip) are applied at the spoke's
    /// next pull, as the spoke has them then.
    public func approveHold(hub: HubID, spoke: SpokeID) throws {
        switch try objectKind(hub) {
        case .contacts: try approveHold(Contact.self, hub: hub, spoke: spoke)
        case .calendar: try approveHold(Event.self, hub: hub, spoke: spoke)
        }
    }

    private func approveHold<Item: CoreItem & StoredItem>(_ kind: Item.Type, hub: HubID, spoke: SpokeID) throws {
        let hold = try pendingHold(hub: hub, spoke: spoke)
        if hold.outgoing { return try approveOutgoing(Item.self, hold, hub: hub) }
        let deletions = hold.deletions
        let items = try store.items(Item.self, hub: hub, ids: deletions)
        var batch = ItemWriteBatch<Item>()
        let now = clock()
        for id in deletions {
            batch.removedLinks.append(LinkKey(spoke: spoke, item: id))
            guard var item = items[id], !item.deleted else { continue }
            batch.journal.append(ItemJournalEntry(
                hub: hub, run: nil, item: id, source: .approval(spoke), at: now, kind: .deleted,
                old: item.item, new: nil))
            item.deleted = true
            item.version = HubRecord<Item>.allocatedVersion
            item.modifiedAt = now
            batch.items.append(item)
        }
        if hold.changes.isEmpty {
            batch.removedHolds = [spoke]
        } else {
            var approved = hold
            approved.items = hold.changes
            approved.decision = .approved
            batch.holds = [approved]
        }
        try store.commit(hub: hub, batch: batch)
    }

    /// The admin rejects the hold: the hub keeps its items. Nothing is unlinked: the spoke's next
    /// pull re-reads them, so what it still holds stays linked (a listing that glitched creates
    /// no duplicate), and only what is really gone, or still broken, is written there again.
    public func rejectHold(hub: HubID, spoke: SpokeID) throws {
        var hold = try pendingHold(hub: hub, spoke: spoke)
        if hold.outgoing {
            return switch try objectKind(hub) {
            case .contacts: try rejectOutgoing(Contact.self, hold, hub: hub)
            case .calendar: try rejectOutgoing(Event.self, hold, hub: hub)
            }
        }
        hold.decision = .rejected
        var batch = WriteBatch()
        batch.holds = [hold]
        try commitKindless(hub: hub, batch)
    }

    /// The hub's own deletions to a spoke, approved: they go out at the next push (new versions
    /// bring them round again, past the push's watermark).
    private func approveOutgoing<Item: CoreItem & StoredItem>(_ kind: Item.Type, _ hold: DeletionHold, hub: HubID) throws {
        var batch = ItemWriteBatch<Item>()
        for var item in try store.items(Item.self, hub: hub, ids: hold.items).values.sorted(by: { $0.id < $1.id }) {
            item.version = HubRecord<Item>.allocatedVersion
            batch.items.append(item)
        }
        var approved = hold
        approved.decision = .approved
        batch.holds = [approved]
        try store.commit(hub: hub, batch: batch)
    }

    /// The hub's own deletions to a spoke, rejected: the hub keeps those items. A deleted one
    /// is brought back (everywhere: the hub is one truth); one leaving the spoke's filter stays
    /// in the spoke as the spoke's own.
    private func rejectOutgoing<Item: CoreItem & StoredItem>(_ kind: Item.Type, _ hold: DeletionHold, hub: HubID) throws {
        let items = try store.items(Item.self, hub: hub, ids: hold.items)
        let links = try store.links(Item.self, hub: hub, spoke: hold.spoke, items: hold.items)
        var batch = ItemWriteBatch<Item>()
        let now = clock()
        for id in hold.items {
            if var item = items[id], item.deleted {
                item.deleted = false
                item.version = HubRecord<Item>.allocatedVersion
                item.modifiedAt = now
                batch.items.append(item)
                batch.journal.append(ItemJournalEntry(
                    hub: hub, run: nil, item: id, source: .restore, at: now, kind: .restored, old: nil,
                    new: item.item))
            } else if var link = links[id] {
                link.createdByHub = false
                if link.leavingFilter { link.hubVersionSeen = 0 }
                batch.links.append(link)
            }
        }
        batch.removedHolds = [hold.spoke]
        try store.commit(hub: hub, batch: batch)
    }

    private func pendingHold(hub: HubID, spoke: SpokeID) throws -> DeletionHold {
        guard let hold = try store.holds(hub: hub).first(where: { $0.spoke == spoke }), hold.awaitsAdmin else {
            throw EngineError(EngineError.noHeldDeletions, kind: .notFound)
        }
        return hold
    }
}

extension ItemWriteBatch {
    /// This batch's kind-neutral part (states, runs, holds, spokes, pruning) as a batch of
    /// another kind; it must carry nothing of its own kind.
    func kindless<Other>(as kind: Other.Type) -> ItemWriteBatch<Other> {
        precondition(items.isEmpty && links.isEmpty && addedIntents.isEmpty && journal.isEmpty)
        var b = ItemWriteBatch<Other>()
        b.removedLinks = removedLinks
        b.removedIntents = removedIntents
        b.spokeStates = spokeStates
        b.runs = runs
        b.holds = holds
        b.removedHolds = removedHolds
        b.spokes = spokes
        b.durable = durable
        b.pruneBefore = pruneBefore
        return b
    }
}
