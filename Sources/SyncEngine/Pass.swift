import Foundation
import ConnectorKit
import SyncCore
import SyncModel
import SyncStore

/// The state of one pass over a hub of one kind of item: statistics, errors. Turns plans into
/// batches. Written once over the item: `SyncEngine.sync` picks `Pass<Contact>` or
/// `Pass<Event>` from the hub's object kind.
struct Pass<Item: CoreItem & StoredItem> {
    typealias Record = HubRecord<Item>
    typealias Batch = ItemWriteBatch<Item>
    typealias Plan = ItemPullPlan<Item>

    let engine: SyncEngine
    let hub: HubConfig
    let run: RunID
    var stats: [SpokeID: SpokeRunStats] = [:]
    var errors: [String] = []
    var spokeErrors: [SpokeID: String] = [:]
    var failedSpokes = Set<SpokeID>()

    var store: any SyncStore { engine.store }
    static var maxRecordedErrors: Int { 200 }

    init(engine: SyncEngine, hub: HubConfig, run: RunID) {
        self.engine = engine
        self.hub = hub
        self.run = run
    }

    /// A changed item's new version: allocated by the store when the batch commits, so an
    /// admin's change committed meanwhile can never get the same one.
    func version() -> Int64 { Record.allocatedVersion }

    mutating func fail(_ spoke: SpokeConfig, _ error: ConnectorError) {
        failedSpokes.insert(spoke.id)
        spokeErrors[spoke.id] = error.description
        record("\(spoke.name): \(error)")
        engine.logger.error(
            "spoke failed", metadata: ["spoke": "\(spoke.name)", "error": "\(error)"])
    }

    mutating func itemError(_ spoke: SpokeConfig, _ error: ItemError) {
        stats[spoke.id, default: .init()].itemErrors += 1
        record("\(spoke.name): \(error)")
        engine.logger.debug("item error", metadata: ["spoke": "\(spoke.name)", "error": "\(error)"])
    }

    private mutating func record(_ message: String) {
        if errors.count < Self.maxRecordedErrors { errors.append(message) }
    }

    func journal(_ item: ItemID, _ spoke: SpokeID, _ kind: JournalKind, _ old: Item?, _ new: Item?,
                 conflicts: [Item.Field] = [], source: JournalSource? = nil) -> ItemJournalEntry<Item> {
        ItemJournalEntry(
            hub: hub.id, run: run, item: item, source: source ?? .spoke(spoke), at: engine.clock(), kind: kind,
            old: old, new: new, conflicts: conflicts)
    }

    /// Adds the effects of a pull plan to `batch`. Returns the hub item as it now is, if any.
    @discardableResult
    mutating func apply(
        _ plan: Plan, spoke: SpokeID, remoteID: RemoteID, remote: Remote<Item>?, link: ItemLink<Item>?, target: Record?,
        into batch: inout Batch
    ) -> Record? {
        var s = stats[spoke, default: .init()]
        defer { stats[spoke] = s }
        var item = target
        let now = engine.clock()
        let changedAt = remote?.modifiedAt ?? now
        if !plan.conflicts.isEmpty { s.conflicts += 1 }
        switch plan.hub {
        case .none:
            break
        case .create(let c):
            let created = Record(id: ItemID(engine.newID()), item: c, version: version(), modifiedAt: changedAt)
            batch.journal.append(journal(created.id, spoke, .created, nil, c))
            item = created
            s.hubCreated += 1
        case .update(let c), .resurrect(let c):
            guard let t = target else { break }
            let wasDeleted = t.deleted
            var u = Record(id: t.id, item: c, version: version(), modifiedAt: max(t.modifiedAt, changedAt))
            u.fieldTimes = t.fieldTimes
            u.fieldTimes.record(
                Item.schema.changes(from: t.item, to: c).map(\.field), at: changedAt, itemModified: t.modifiedAt)
            u.deleted = false
            batch.journal.append(
                journal(t.id, spoke, .updated, wasDeleted ? nil : t.item, c, conflicts: plan.conflicts))
            item = u
            s.hubUpdated += 1
        case .delete:
            guard var t = target else { break }
            batch.journal.append(journal(t.id, spoke, .deleted, t.item, nil))
            t.deleted = true
            t.version = version()
            item = t
            s.hubDeleted += 1
        case .touch:
            guard var t = target else { break }
            t.version = version()
            item = t
        }
        if let item, item != target { batch.items.append(item) }
        if let overruled = plan.overruled, let item, !item.deleted {
            batch.journal.append(journal(item.id, spoke, .conflict, overruled, item.item, conflicts: plan.conflicts))
        }
        engine.logger.debug("pull plan", metadata: [
            "spoke": "\(spoke)", "remote": "\(remoteID)", "item": "\(item?.id.rawValue ?? "-")",
            "action": "\(plan.hub.name)", "link": "\(plan.link.name)", "via": "\(plan.via)",
        ])
        if plan.via == .match { s.matched += 1 }
        switch plan.link {
        case .none:
            break
        case .refresh:
            if var l = link, let remote {
                l.remoteVersion = remote.version
                batch.links.append(l)
            }
        case .set(let base, let agreed):
            guard let item else { break }
            batch.links.append(ItemLink<Item>(
                spoke: spoke, item: item.id, remoteID: remoteID, remoteVersion: remote?.version, base: base,
                hubVersionSeen: agreed ? item.seenVersion : (link?.hubVersionSeen ?? 0),
                createdByHub: link?.createdByHub ?? (plan.via == .marker)))
        case .remove:
            if let l = link { batch.removedLinks.append(LinkKey(spoke: spoke, item: l.item)) }
        }
        return item
    }
}

extension ItemLink where Item: CoreItem {
    var snapshot: ItemLinkSnapshot<Item> {
        ItemLinkSnapshot(remoteVersion: remoteVersion, base: base, leavingFilter: leavingFilter, createdByHub: createdByHub)
    }
    var pushLink: ItemPushLink<Item> {
        ItemPushLink(
            remoteID: remoteID, remoteVersion: remoteVersion, base: base, hubVersionSeen: hubVersionSeen,
            createdByHub: createdByHub)
    }
}

extension HubRecord where Item: CoreItem {
    /// What a link that agrees with this item records as seen (the version the store gives the
    /// item in the same batch, when it is being changed).
    var seenVersion: Int64 { version == Self.allocatedVersion ? ItemLink<Item>.seesBatchVersion : version }

    var snapshot: ItemHubSnapshot<Item> {
        ItemHubSnapshot(item: item, deleted: deleted, modifiedAt: modifiedAt, fieldTimes: fieldTimes)
    }
}

extension ItemPullPlan.HubAction {
    /// For logs: the action without the contact (no personal data in logs).
    var name: String {
        switch self {
        case .none: "none"
        case .create: "create"
        case .update: "update"
        case .delete: "delete"
        case .resurrect: "resurrect"
        case .touch: "touch"
        }
    }
}

extension ItemPullPlan.LinkAction {
    var name: String {
        switch self {
        case .none: "none"
        case .refresh: "refresh"
        case .set(_, let agreed): agreed ? "set-agreed" : "set"
        case .remove: "remove"
        }
    }
}
