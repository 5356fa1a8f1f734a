import Foundation
import SyncModel

public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// `busy`: another process holds the database past the wait (the API's 423).
    public enum Kind: String, Sendable { case notFound, conflict, corrupt, io, busy }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// Everything one transaction writes. The engine builds a batch per step and commits it
/// atomically: either all of it lands or none, which is what makes a crash at any point safe.
public struct ItemWriteBatch<Item: KindedItem>: Sendable {
    public var items: [HubRecord<Item>] = []
    /// Upserted by (spoke, item); the (spoke, remote id) pair is unique as well.
    public var links: [ItemLink<Item>] = []
    public var removedLinks: [LinkKey] = []
    public var addedIntents: [ItemCreateIntent<Item>] = []
    public var removedIntents: [LinkKey] = []
    /// `seq` is assigned by the store.
    public var journal: [ItemJournalEntry<Item>] = []
    public var spokeStates: [SpokeState] = []
    public var runs: [RunRecord] = []
    /// Runs dropped (a quiet pass folding the quiet one before it); applied before `runs`.
    public var removedRuns: [RunID] = []
    /// Replaces the hold of that spoke.
    public var holds: [DeletionHold] = []
    public var removedHolds: [SpokeID] = []
    /// Spoke configurations saved with the rest: a spoke that changes connector (`spoke
    /// migrate`) switches its kind, settings and links in one transaction.
    public var spokes: [SpokeConfig] = []
    /// Must survive a power loss once `commit` returns, not only a crash: set on what the engine
    /// commits right before a remote write (create intents), since a lost intent means a
    /// duplicate. Other batches may be lost with the last moments before a power cut and are
    /// simply redone.
    public var durable = false
    /// Drop journal entries and finished runs from before this time (history retention). The
    /// hub's newest entry always stays, so sequence numbers keep growing.
    public var pruneBefore: Date?

    public init() {}

    /// Whether the batch carries records of its item type (items, links, intents, journal
    /// entries): only such a batch must match its hub's kind. One of states, runs, holds, spoke
    /// configurations, removals and pruning is the same for every kind, so it commits to any hub.
    public var carriesItems: Bool {
        !(items.isEmpty && links.isEmpty && addedIntents.isEmpty && journal.isEmpty)
    }

    public var isEmpty: Bool {
        items.isEmpty && links.isEmpty && removedLinks.isEmpty && addedIntents.isEmpty && removedIntents.isEmpty
            && journal.isEmpty && spokeStates.isEmpty && runs.isEmpty && removedRuns.isEmpty && holds.isEmpty && removedHolds.isEmpty
            && spokes.isEmpty && pruneBefore == nil
    }
}

/// One batch of a contact hub (the contact spelling).
public typealias WriteBatch = ItemWriteBatch<Contact>

public struct LinkKey: Hashable, Sendable {
    public var spoke: SpokeID
    public var item: ItemID
    public init(spoke: SpokeID, item: ItemID) {
        self.spoke = spoke
        self.item = item
    }
}

public struct JournalQuery: Sendable {
    public var item: ItemID?
    public var run: RunID?
    /// Entries with seq below this (paging backwards); nil = newest.
    public var before: Int64?
    public var limit: Int
    /// Only the entries that settled a conflict (with conflicting fields and the item after it).
    public var conflicts: Bool
    public init(item: ItemID? = nil, run: RunID? = nil, before: Int64? = nil, limit: Int = 100, conflicts: Bool = false) {
        self.item = item
        self.run = run
        self.before = before
        self.limit = limit
        self.conflicts = conflicts
    }
}

/// The persistence boundary. Narrow on purpose: reads the engine needs, plus one atomic batch
/// write. Every table is keyed by hub so a hub can be sharded or leased as a unit.
/// Conformance: `Tests/SyncStoreTests` runs one suite against every implementation.
public protocol SyncStore: Sendable {
    // Configuration
    func saveHub(_ hub: HubConfig) throws
    func hubs() throws -> [HubConfig]
    func hub(_ id: HubID) throws -> HubConfig?
    /// Removes the hub and everything keyed by it.
    func deleteHub(_ id: HubID) throws
    func saveSpoke(_ spoke: SpokeConfig) throws
    /// Ordered by position.
    func spokes(hub: HubID) throws -> [SpokeConfig]
    /// Removes the spoke, its links, intents, state and hold; hub items stay.
    func deleteSpoke(_ id: SpokeID, hub: HubID) throws

    // Items, links and intents of the hub's kind: asking a hub for another kind of item (events of
    // a contact hub) is a `.conflict`; a stored row of another kind than asked is `.corrupt`.
    func items<Item: StoredItem>(_ kind: Item.Type, hub: HubID, ids: [ItemID]) throws -> [ItemID: HubRecord<Item>]
    /// Ordered by version; tombstones included.
    func items<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, changedAfter version: Int64, limit: Int
    ) throws -> [HubRecord<Item>]
    /// Live items only, ordered by id.
    func liveItems<Item: StoredItem>(_ kind: Item.Type, hub: HubID) throws -> [HubRecord<Item>]
    func liveItemCount(hub: HubID) throws -> Int
    /// The highest item version in the hub (0 when empty).
    func maxVersion(hub: HubID) throws -> Int64

    // Links
    func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]
    ) throws -> [RemoteID: ItemLink<Item>]
    func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, items: [ItemID]
    ) throws -> [ItemID: ItemLink<Item>]
    /// The remote version of each linked remote id among `remoteIDs` (nil when the spoke gave
    /// none): the cheap check that lets a pull skip unchanged items without loading links.
    func linkVersions(hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]) throws -> [RemoteID: RemoteVersion?]
    func linkedRemoteIDs(hub: HubID, spoke: SpokeID) throws -> Set<RemoteID>
    func linkCount(hub: HubID, spoke: SpokeID) throws -> Int
    func intents<Item: StoredItem>(_ kind: Item.Type, hub: HubID, spoke: SpokeID) throws -> [ItemCreateIntent<Item>]

    // State, runs, journal, holds
    func spokeState(hub: HubID, spoke: SpokeID) throws -> SpokeState
    func runs(hub: HubID, limit: Int) throws -> [RunRecord]
    /// Each hub's newest run (hubs that never ran are absent): the scheduler's look at every
    /// hub, in one read where the store can.
    func latestRuns() throws -> [HubID: RunRecord]
    func run(hub: HubID, id: RunID) throws -> RunRecord?
    /// Newest first.
    func journal<Item: StoredItem>(_ kind: Item.Type, hub: HubID, _ query: JournalQuery) throws -> [ItemJournalEntry<Item>]
    /// How many entries `JournalQuery(conflicts: true)` finds, whatever the hub holds: the hub
    /// page's conflict count.
    func conflictCount(hub: HubID) throws -> Int
    func holds(hub: HubID) throws -> [DeletionHold]

    /// Applies the batch in one transaction. A batch that carries items must be of the hub's kind
    /// (else `.conflict`); see `ItemWriteBatch.carriesItems`.
    func commit<Item: StoredItem>(hub: HubID, batch: ItemWriteBatch<Item>) throws
}

extension SyncStore {
    /// One read per hub; stores override it with one query.
    public func latestRuns() throws -> [HubID: RunRecord] {
        var out: [HubID: RunRecord] = [:]
        for hub in try hubs() { out[hub.id] = try runs(hub: hub.id, limit: 1).first }
        return out
    }

    /// The holds an admin has to decide (decided ones wait for the spoke's next listing).
    public func pendingHolds(hub: HubID) throws -> [DeletionHold] { try holds(hub: hub).filter(\.awaitsAdmin) }
}
