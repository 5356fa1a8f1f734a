import Foundation
import Synchronization
import SyncModel

/// The in-memory store: tests and the property test's crash model. Commits are atomic
/// (a batch is applied under one lock, all or nothing).
public final class MemoryStore: SyncStore {
    struct HubData {
        var config: HubConfig
        var spokes: [SpokeID: SpokeConfig] = [:]
        /// Items, links, intents and journal, of the hub's kind (`MemoryTables<Contact>`, …).
        var tables: any MemoryKindTables
        var remoteIndex: [SpokeID: [RemoteID: ItemID]] = [:]
        var states: [SpokeID: SpokeState] = [:]
        var runs: [RunID: RunRecord] = [:]
        var holds: [SpokeID: DeletionHold] = [:]
        /// The item holding each version (versions are unique per hub).
        var versions: [Int64: ItemID] = [:]
        /// At least the highest version ever stored: allocation starts above it.
        var topVersion: Int64 = 0

        init(config: HubConfig) {
            self.config = config
            tables = Self.emptyTables(config.objectKind)
        }
    }

    private let state = Mutex<[HubID: HubData]>([:])
    private let accounts = Mutex<[String: AdminAccount]>([:])
    let invitationRows = Mutex<[String: Invitation]>([:])
    let leaseRows = Mutex<[HubID: HubLease]>([:])
    let webRows = Mutex(MemoryWebState())

    public init() {}

    private func read<T>(_ hub: HubID, _ body: (HubData) throws -> T) throws -> T {
        try state.withLock { hubs in
            guard let data = hubs[hub] else { throw StoreError(.notFound, "no hub \(hub)") }
            return try body(data)
        }
    }

    public func saveHub(_ hub: HubConfig) throws {
        try state.withLock { hubs in
            guard let old = hubs[hub.id] else {
                hubs[hub.id] = HubData(config: hub)
                return
            }
            if old.config.objectKind != hub.objectKind {
                guard old.tables.isEmpty else {
                    throw StoreError.kindChange(hub.id, holds: old.config.objectKind, to: hub.objectKind)
                }
                hubs[hub.id]!.tables = HubData.emptyTables(hub.objectKind)
            }
            hubs[hub.id]!.config = hub
        }
    }
    public func hubs() throws -> [HubConfig] { state.withLock { $0.values.map(\.config).sorted { $0.id < $1.id } } }
    public func hub(_ id: HubID) throws -> HubConfig? { state.withLock { $0[id]?.config } }
    public func deleteHub(_ id: HubID) throws {
        _ = state.withLock { $0.removeValue(forKey: id) }
        _ = leaseRows.withLock { $0.removeValue(forKey: id) }
    }

    public func saveSpoke(_ spoke: SpokeConfig) throws {
        try state.withLock { hubs in
            guard hubs[spoke.hub] != nil else { throw StoreError(.notFound, "no hub \(spoke.hub)") }
            hubs[spoke.hub]!.spokes[spoke.id] = spoke
        }
    }
    public func spokes(hub: HubID) throws -> [SpokeConfig] {
        try read(hub) { $0.spokes.values.sorted { ($0.position, $0.id) < ($1.position, $1.id) } }
    }
    public func deleteSpoke(_ id: SpokeID, hub: HubID) throws {
        state.withLock { hubs in
            guard var d = hubs[hub] else { return }
            d.spokes[id] = nil
            d.tables.removeSpoke(id)
            d.remoteIndex[id] = nil
            d.states[id] = nil
            d.holds[id] = nil
            hubs[hub] = d
        }
    }

    public func items<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, ids: [ItemID]
    ) throws -> [ItemID: HubRecord<Item>] {
        try read(hub) { d in
            let items = try d.tables(kind).items
            var out: [ItemID: HubRecord<Item>] = [:]
            for id in ids { if let i = items[id] { out[id] = i } }
            return out
        }
    }
    public func items<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, changedAfter version: Int64, limit: Int
    ) throws -> [HubRecord<Item>] {
        try read(hub) { d in
            Array(try d.tables(kind).items.values.filter { $0.version > version }.sorted { $0.version < $1.version }
                .prefix(max(limit, 0)))
        }
    }
    public func liveItems<Item: StoredItem>(_ kind: Item.Type, hub: HubID) throws -> [HubRecord<Item>] {
        try read(hub) { try $0.tables(kind).items.values.filter { !$0.deleted }.sorted { $0.id < $1.id } }
    }
    public func liveItemCount(hub: HubID) throws -> Int { try read(hub) { $0.tables.liveCount } }
    public func maxVersion(hub: HubID) throws -> Int64 { try read(hub) { $0.tables.maxVersion } }

    public func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]
    ) throws -> [RemoteID: ItemLink<Item>] {
        try read(hub) { d in
            let links = try d.tables(kind).links[spoke] ?? [:]
            var out: [RemoteID: ItemLink<Item>] = [:]
            for r in remoteIDs {
                if let item = d.remoteIndex[spoke]?[r], let l = links[item] { out[r] = l }
            }
            return out
        }
    }
    public func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, items: [ItemID]
    ) throws -> [ItemID: ItemLink<Item>] {
        try read(hub) { d in
            let links = try d.tables(kind).links[spoke] ?? [:]
            var out: [ItemID: ItemLink<Item>] = [:]
            for i in items { if let l = links[i] { out[i] = l } }
            return out
        }
    }
    public func linkVersions(hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]) throws -> [RemoteID: RemoteVersion?] {
        try read(hub) { d in
            var out: [RemoteID: RemoteVersion?] = [:]
            for r in remoteIDs {
                if let item = d.remoteIndex[spoke]?[r], let v = d.tables.remoteVersion(spoke: spoke, item: item) {
                    out.updateValue(v, forKey: r)
                }
            }
            return out
        }
    }
    public func linkedRemoteIDs(hub: HubID, spoke: SpokeID) throws -> Set<RemoteID> {
        try read(hub) { Set(($0.remoteIndex[spoke] ?? [:]).keys) }
    }
    public func linkCount(hub: HubID, spoke: SpokeID) throws -> Int { try read(hub) { $0.tables.linkCount(spoke: spoke) } }
    public func intents<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID
    ) throws -> [ItemCreateIntent<Item>] {
        try read(hub) { try $0.tables(kind).intents.values.filter { $0.spoke == spoke }.sorted { $0.item < $1.item } }
    }

    public func spokeState(hub: HubID, spoke: SpokeID) throws -> SpokeState {
        try read(hub) { $0.states[spoke] ?? SpokeState(spoke: spoke) }
    }
    public func runs(hub: HubID, limit: Int) throws -> [RunRecord] {
        try read(hub) { Array($0.runs.values.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }.prefix(limit)) }
    }
    public func run(hub: HubID, id: RunID) throws -> RunRecord? { try read(hub) { $0.runs[id] } }
    public func journal<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, _ q: JournalQuery
    ) throws -> [ItemJournalEntry<Item>] {
        try read(hub) { d in
            var out: [ItemJournalEntry<Item>] = []
            for e in try d.tables(kind).journal.reversed() where out.count < q.limit {
                if let b = q.before, e.seq >= b { continue }
                if let i = q.item, e.item != i { continue }
                if let r = q.run, e.run != r { continue }
                if q.conflicts && !Self.settlesConflict(e) { continue }
                out.append(e)
            }
            return out
        }
    }
    public func conflictCount(hub: HubID) throws -> Int { try read(hub) { $0.tables.conflictCount } }
    static func settlesConflict<Item>(_ e: ItemJournalEntry<Item>) -> Bool { !e.conflicts.isEmpty && e.new != nil }
    public func holds(hub: HubID) throws -> [DeletionHold] {
        try read(hub) { $0.holds.values.sorted { $0.spoke < $1.spoke } }
    }

    public func commit<Item: StoredItem>(hub: HubID, batch b: ItemWriteBatch<Item>) throws {
        try state.withLock { hubs in
            guard hubs[hub] != nil else { throw StoreError(.notFound, "no hub \(hub)") }
            // Every check before anything changes: a failing batch changes nothing.
            if b.carriesItems { _ = try hubs[hub]!.tables(Item.self) }
            try Self.checkUnique(b, against: hubs[hub]!)
            // The hub and its tables are taken out while changed, so they are mutated in place
            // rather than copied (`tables` holds the only reference meanwhile).
            var d = hubs.removeValue(forKey: hub)!
            var tables = d.tables
            d.tables = MemoryTables<Item>()
            if b.carriesItems {
                var t = tables as! MemoryTables<Item>  // its kind was checked above
                tables = MemoryTables<Item>()
                Self.apply(b, to: &t, &d)
                tables = t
            } else {
                for k in b.removedLinks {
                    if let remote = tables.removeLink(k) { d.remoteIndex[k.spoke]?[remote] = nil }
                }
                for k in b.removedIntents { tables.removeIntent(k) }
                if let cut = b.pruneBefore { tables.pruneJournal(before: cut) }
            }
            d.tables = tables
            Self.applyKindFree(b, to: &d, hub: hub)
            hubs[hub] = d
        }
    }

    /// The batch's records of its kind, in the order the SQLite store writes them.
    private static func apply<Item: StoredItem>(_ b: ItemWriteBatch<Item>, to t: inout MemoryTables<Item>, _ d: inout HubData) {
        // Versions allocated here, under the lock: the next ones after the hub's newest.
        var next = d.topVersion
        var allocated: [ItemID: Int64] = [:]
        for var i in b.items {
            if i.version == HubRecord<Item>.allocatedVersion {
                next += 1
                i.version = next
                allocated[i.id] = next
            }
            if let old = t.items.updateValue(i, forKey: i.id), d.versions[old.version] == i.id {
                d.versions[old.version] = nil
            }
            d.versions[i.version] = i.id
            d.topVersion = max(d.topVersion, i.version)
        }
        for k in b.removedLinks {
            if let remote = t.removeLink(k) { d.remoteIndex[k.spoke]?[remote] = nil }
        }
        for var l in b.links {
            if l.hubVersionSeen == ItemLink<Item>.seesBatchVersion {
                l.hubVersionSeen = allocated[l.item] ?? t.items[l.item]?.version ?? 0
            }
            if let old = t.links[l.spoke]?[l.item] { d.remoteIndex[l.spoke]?[old.remoteID] = nil }
            t.links[l.spoke, default: [:]][l.item] = l
            d.remoteIndex[l.spoke, default: [:]][l.remoteID] = l.item
        }
        for k in b.removedIntents { t.removeIntent(k) }
        for i in b.addedIntents { t.intents[LinkKey(spoke: i.spoke, item: i.item)] = i }
        var seq = t.journal.last?.seq ?? 0
        for var e in b.journal {
            seq += 1
            e.seq = seq
            t.journal.append(e)
        }
        if let cut = b.pruneBefore { t.pruneJournal(before: cut) }
    }

    /// What every kind of batch may carry: states, runs, holds, spoke configurations.
    private static func applyKindFree<Item: StoredItem>(_ b: ItemWriteBatch<Item>, to d: inout HubData, hub: HubID) {
        if let cut = b.pruneBefore {
            d.runs = d.runs.filter { $0.value.startedAt >= cut || $0.value.status == .running }
        }
        for s in b.spokeStates { d.states[s.spoke] = s }
        for r in b.runs { d.runs[r.id] = r }
        for s in b.removedHolds { d.holds[s] = nil }
        for h in b.holds { d.holds[h.spoke] = h }
        for s in b.spokes where s.hub == hub { d.spokes[s.id] = s }
    }

    /// (spoke, remote id) is unique: against the stored links and among the batch's own.
    /// Checked before anything is written, so a failing batch changes nothing.
    private static func checkUnique<Item: StoredItem>(_ b: ItemWriteBatch<Item>, against d: HubData) throws {
        // A version given explicitly (not allocated) must not be another item's.
        var given: [Int64: ItemID] = [:]
        let changed = Set(b.items.map(\.id))
        for i in b.items where i.version != HubRecord<Item>.allocatedVersion {
            if let owner = d.versions[i.version], owner != i.id, !changed.contains(owner) {
                throw StoreError(.conflict, "version \(i.version) already belongs to item \(owner)")
            }
            if let other = given.updateValue(i.id, forKey: i.version), other != i.id {
                throw StoreError(.conflict, "version \(i.version) given twice in one batch")
            }
        }
        var claimed: [SpokeID: [RemoteID: ItemID]] = [:]
        for l in b.links {
            if let owner = d.remoteIndex[l.spoke]?[l.remoteID], owner != l.item,
                !b.removedLinks.contains(LinkKey(spoke: l.spoke, item: owner))
            {
                throw StoreError(.conflict, "remote item \(l.remoteID) already linked to \(owner)")
            }
            if let other = claimed[l.spoke, default: [:]].updateValue(l.item, forKey: l.remoteID), other != l.item {
                throw StoreError(.conflict, "remote item \(l.remoteID) linked twice in one batch")
            }
        }
    }
}

extension MemoryStore: AccountStore {
    public func account(named name: String) throws -> AdminAccount? { accounts.withLock { $0[name] } }
    public func accountCount() throws -> Int { accounts.withLock { $0.count } }
    public func saveAccount(_ account: AdminAccount) throws { accounts.withLock { $0[account.name] = account } }
    public func createFirstAccount(_ account: AdminAccount) throws -> Bool {
        accounts.withLock { all in
            guard all.isEmpty else { return false }
            all[account.name] = account
            return true
        }
    }
}
