import Foundation
import SyncModel

/// A canonical item of a hub. Never hard-deleted: a deletion is a tombstone, so it can be
/// journaled, restored, and pushed to every spoke.
public struct HubRecord<Item: KindedItem>: Hashable, Sendable {
    public var id: ItemID
    public var item: Item
    public var hash: ContentHash
    /// Hub-wide monotonic change sequence: bumped on every change, so "changed since" is a range.
    /// Unique per hub; writers commit `allocatedVersion` and the store hands out the next one.
    public var version: Int64
    public var deleted: Bool
    /// When the change that produced this content was made at its source (conflict policy).
    public var modifiedAt: Date
    /// When each field changed, where that differs from `modifiedAt`.
    public var fieldTimes = ItemFieldTimes<Item.Field>()

    /// The version of an item in a batch: the store allocates the hub's next version at commit
    /// (in batch order), inside the transaction, so two writers can never hand out the same one.
    public static var allocatedVersion: Int64 { -1 }

    public init(id: ItemID, item: Item, version: Int64, deleted: Bool = false, modifiedAt: Date) {
        self.id = id
        self.item = item
        self.hash = item.itemHash
        self.version = version
        self.deleted = deleted
        self.modifiedAt = modifiedAt
    }

    /// For stores reading an item back: the hash stored with it, not computed again.
    public init(
        id: ItemID, item: Item, hash: ContentHash, version: Int64, deleted: Bool, modifiedAt: Date,
        fieldTimes: ItemFieldTimes<Item.Field> = .init()
    ) {
        self.id = id
        self.item = item
        self.hash = hash
        self.version = version
        self.deleted = deleted
        self.modifiedAt = modifiedAt
        self.fieldTimes = fieldTimes
    }
}

/// A hub contact (the contact spelling).
public typealias HubItem = HubRecord<Contact>

extension HubRecord where Item == Contact {
    public var contact: Contact {
        get { item }
        set { item = newValue }
    }

    public init(id: ItemID, contact: Contact, version: Int64, deleted: Bool = false, modifiedAt: Date) {
        self.init(id: id, item: contact, version: version, deleted: deleted, modifiedAt: modifiedAt)
    }

    public init(
        id: ItemID, contact: Contact, hash: ContentHash, version: Int64, deleted: Bool, modifiedAt: Date,
        fieldTimes: FieldTimes = .init()
    ) {
        self.init(id: id, item: contact, hash: hash, version: version, deleted: deleted, modifiedAt: modifiedAt,
                  fieldTimes: fieldTimes)
    }
}

/// A hub item's counterpart in one spoke.
public struct ItemLink<Item: KindedItem>: Hashable, Sendable {
    public var spoke: SpokeID
    public var item: ItemID
    public var remoteID: RemoteID
    public var remoteVersion: RemoteVersion?
    /// The canonical fields as last agreed with this spoke (hub terms): the base of the 3-way merge.
    public var base: Item
    /// The hub item version the base corresponds to: equal means nothing to push.
    public var hubVersionSeen: Int64
    /// The hub wrote this item into the spoke (so it may remove it when it leaves the filter).
    public var createdByHub: Bool

    /// `hubVersionSeen` of a link whose item the hub is taking out of the spoke because it left
    /// the spoke's filter: committed before the remote delete, so a crash in between is not
    /// mistaken for a deletion made in the spoke.
    public static var leavingFilterMark: Int64 { -1 }
    public var leavingFilter: Bool { hubVersionSeen == Self.leavingFilterMark }
    /// `hubVersionSeen` of a link committed with its item's change: the version the store
    /// allocates to that item in the same batch (or the item's stored version when the batch
    /// does not change it).
    public static var seesBatchVersion: Int64 { -2 }

    public init(
        spoke: SpokeID, item: ItemID, remoteID: RemoteID, remoteVersion: RemoteVersion?, base: Item,
        hubVersionSeen: Int64, createdByHub: Bool
    ) {
        self.spoke = spoke
        self.item = item
        self.remoteID = remoteID
        self.remoteVersion = remoteVersion
        self.base = base
        self.hubVersionSeen = hubVersionSeen
        self.createdByHub = createdByHub
    }
}

public typealias Link = ItemLink<Contact>

/// Recorded before a remote create, removed when the link is committed: after a crash in between,
/// the engine looks the marker up remotely instead of creating a duplicate.
public struct ItemCreateIntent<Item: KindedItem>: Hashable, Sendable {
    public var spoke: SpokeID
    public var item: ItemID
    public var marker: CreateMarker
    /// The content sent (hub terms): the base when the created item is found again, so edits
    /// made to it in the spoke meanwhile merge instead of being overwritten or undone.
    public var base: Item
    public var startedAt: Date
    public init(spoke: SpokeID, item: ItemID, marker: CreateMarker, base: Item, startedAt: Date) {
        self.spoke = spoke
        self.item = item
        self.marker = marker
        self.base = base
        self.startedAt = startedAt
    }
}

public typealias CreateIntent = ItemCreateIntent<Contact>

public enum JournalKind: String, Hashable, Sendable, Codable {
    case created, updated, deleted, restored
    /// A spoke's edit lost a conflict and the hub kept its value: `old` is the content had the
    /// spoke won, so restoring the entry takes the spoke's side.
    case conflict
}

/// Who made a hub change.
public enum JournalSource: Hashable, Sendable, Codable, CustomStringConvertible {
    case spoke(SpokeID)
    /// An undo from `hubsync restore` or the UI.
    case restore
    /// A mass-deletion hold approved by an admin.
    case approval(SpokeID)

    public var description: String {
        switch self {
        case .spoke(let s): "spoke \(s)"
        case .restore: "restore"
        case .approval(let s): "approved deletion from spoke \(s)"
        }
    }
}

public struct ItemJournalEntry<Item: KindedItem>: Hashable, Sendable {
    /// Assigned by the store, increasing per hub.
    public var seq: Int64
    public var hub: HubID
    public var run: RunID?
    public var item: ItemID
    public var source: JournalSource
    public var at: Date
    public var kind: JournalKind
    public var old: Item?
    public var new: Item?
    /// Fields changed differently on both sides and settled by the conflict policy.
    public var conflicts: [Item.Field]

    public init(
        seq: Int64 = 0, hub: HubID, run: RunID?, item: ItemID, source: JournalSource, at: Date, kind: JournalKind,
        old: Item?, new: Item?, conflicts: [Item.Field] = []
    ) {
        self.seq = seq
        self.hub = hub
        self.run = run
        self.item = item
        self.source = source
        self.at = at
        self.kind = kind
        self.old = old
        self.new = new
        self.conflicts = conflicts
    }
}

public typealias JournalEntry = ItemJournalEntry<Contact>

/// Per-spoke sync position and last outcome.
public enum ListingPageTag {}
/// A connector's page token, kept between passes: where an interrupted first listing goes on.
public typealias ListingPage = Identifier<ListingPageTag>

public struct SpokeState: Hashable, Sendable, Codable {
    public var spoke: SpokeID
    public var cursor: SpokeCursor?
    /// The next page of a first listing (one begun while the spoke had no links) that was cut
    /// short; saved with each committed page, so the next pull goes on from there.
    public var resumePage: ListingPage?
    /// Every hub change up to this version has been pushed to the spoke (or found not to apply).
    public var pushedThrough: Int64
    public var lastSyncAt: Date?
    public var lastError: String?
    public var lastStats: SpokeRunStats?

    public init(
        spoke: SpokeID, cursor: SpokeCursor? = nil, pushedThrough: Int64 = 0, lastSyncAt: Date? = nil,
        lastError: String? = nil, lastStats: SpokeRunStats? = nil, resumePage: ListingPage? = nil
    ) {
        self.spoke = spoke
        self.cursor = cursor
        self.resumePage = resumePage
        self.pushedThrough = pushedThrough
        self.lastSyncAt = lastSyncAt
        self.lastError = lastError
        self.lastStats = lastStats
    }
}

public struct SpokeRunStats: Hashable, Sendable, Codable {
    public var pulled = 0
    public var hubCreated = 0
    public var hubUpdated = 0
    public var hubDeleted = 0
    public var matched = 0
    public var conflicts = 0
    public var pushedCreates = 0
    public var pushedUpdates = 0
    public var pushedDeletes = 0
    public var itemErrors = 0
    public var heldDeletions = 0
    public init() {}
}

extension RunRecord {
    /// Finished, succeeded, and changed nothing anywhere: no item made, changed, deleted, matched
    /// or sent, no conflict, error or hold (items pulled and found unchanged do not count). The
    /// history keeps only the latest of a streak of such passes, so a quiet hub's history stops
    /// growing.
    public var isQuiet: Bool {
        guard finishedAt != nil, status == .succeeded, errors.isEmpty else { return false }
        return stats.values.allSatisfy { s in
            s.hubCreated + s.hubUpdated + s.hubDeleted + s.matched + s.conflicts + s.pushedCreates + s.pushedUpdates
                + s.pushedDeletes + s.itemErrors + s.heldDeletions == 0
        }
    }
}

public enum RunStatus: String, Hashable, Sendable, Codable {
    case running, succeeded, partial, failed
}

public struct RunRecord: Hashable, Sendable {
    public var id: RunID
    public var hub: HubID
    public var startedAt: Date
    public var finishedAt: Date?
    public var status: RunStatus
    public var stats: [SpokeID: SpokeRunStats]
    public var errors: [String]

    public init(
        id: RunID, hub: HubID, startedAt: Date, finishedAt: Date? = nil, status: RunStatus = .running,
        stats: [SpokeID: SpokeRunStats] = [:], errors: [String] = []
    ) {
        self.id = id
        self.hub = hub
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.stats = stats
        self.errors = errors
    }
}

/// Remote deletions (and changes that would empty items) held back by the guard, waiting for an
/// admin; once decided, waiting for the spoke's next listing.
public struct DeletionHold: Hashable, Sendable {
    public var spoke: SpokeID
    public var detectedAt: Date
    public var items: [ItemID]
    public var reason: String
    /// Of `items`, those held for a change that would blank or strip them rather than a deletion.
    public var changes: [ItemID]
    public var decision: HoldDecision
    /// Deletions the hub would send to the spoke (an undo, a restore, a filter change), rather
    /// than ones the spoke reported.
    public var outgoing: Bool
    public init(
        spoke: SpokeID, detectedAt: Date, items: [ItemID], reason: String, changes: [ItemID] = [],
        decision: HoldDecision = .pending, outgoing: Bool = false
    ) {
        self.outgoing = outgoing
        self.spoke = spoke
        self.detectedAt = detectedAt
        self.items = items
        self.reason = reason
        self.changes = changes
        self.decision = decision
    }

    /// Waiting for an admin (the others wait for the spoke's next listing).
    public var awaitsAdmin: Bool { decision == .pending }
    /// The held deletions: `items` without the held changes.
    public var deletions: [ItemID] {
        let c = Set(changes)
        return items.filter { !c.contains($0) }
    }
}
