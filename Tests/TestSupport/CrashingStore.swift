import Foundation
import Synchronization
import SyncModel
import SyncStore

/// The process dying: not a connector error, so the engine does not catch it.
public struct Crash: Error, Sendable {
    public init() {}
}

/// Wraps a store and can "crash" at a commit: before it (nothing written) or right after it
/// (written, but the engine never learns). Reads pass through.
public final class CrashingStore: SyncStore {
    public let inner: any SyncStore
    private let decide = Mutex<(@Sendable () -> CrashPoint)?>(nil)

    public enum CrashPoint: Sendable { case none, beforeCommit, afterCommit }

    public init(_ inner: any SyncStore) { self.inner = inner }

    public func setCrashes(_ f: (@Sendable () -> CrashPoint)?) { decide.withLock { $0 = f } }

    public func commit<Item: StoredItem>(hub: HubID, batch: ItemWriteBatch<Item>) throws {
        let point = decide.withLock { $0 }?() ?? .none
        if point == .beforeCommit { throw Crash() }
        try inner.commit(hub: hub, batch: batch)
        if point == .afterCommit { throw Crash() }
    }

    public func saveHub(_ hub: HubConfig) throws { try inner.saveHub(hub) }
    public func hubs() throws -> [HubConfig] { try inner.hubs() }
    public func hub(_ id: HubID) throws -> HubConfig? { try inner.hub(id) }
    public func deleteHub(_ id: HubID) throws { try inner.deleteHub(id) }
    public func saveSpoke(_ spoke: SpokeConfig) throws { try inner.saveSpoke(spoke) }
    public func spokes(hub: HubID) throws -> [SpokeConfig] { try inner.spokes(hub: hub) }
    public func deleteSpoke(_ id: SpokeID, hub: HubID) throws { try inner.deleteSpoke(id, hub: hub) }
    public func items<Item: StoredItem>(_ kind: Item.Type, hub: HubID, ids: [ItemID]) throws -> [ItemID: HubRecord<Item>] {
        try inner.items(kind, hub: hub, ids: ids)
    }
    public func items<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, changedAfter version: Int64, limit: Int
    ) throws -> [HubRecord<Item>] {
        try inner.items(kind, hub: hub, changedAfter: version, limit: limit)
    }
    public func liveItems<Item: StoredItem>(_ kind: Item.Type, hub: HubID) throws -> [HubRecord<Item>] {
        try inner.liveItems(kind, hub: hub)
    }
    public func liveItemCount(hub: HubID) throws -> Int { try inner.liveItemCount(hub: hub) }
    public func maxVersion(hub: HubID) throws -> Int64 { try inner.maxVersion(hub: hub) }
    public func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]
    ) throws -> [RemoteID: ItemLink<Item>] {
        try inner.links(kind, hub: hub, spoke: spoke, remoteIDs: remoteIDs)
    }
    public func links<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, spoke: SpokeID, items: [ItemID]
    ) throws -> [ItemID: ItemLink<Item>] {
        try inner.links(kind, hub: hub, spoke: spoke, items: items)
    }
    public func linkVersions(hub: HubID, spoke: SpokeID, remoteIDs: [RemoteID]) throws -> [RemoteID: RemoteVersion?] {
        try inner.linkVersions(hub: hub, spoke: spoke, remoteIDs: remoteIDs)
    }
    public func linkedRemoteIDs(hub: HubID, spoke: SpokeID) throws -> Set<RemoteID> {
        try inner.linkedRemoteIDs(hub: hub, spoke: spoke)
    }
    public func linkCount(hub: HubID, spoke: SpokeID) throws -> Int { try inner.linkCount(hub: hub, spoke: spoke) }
    public func intents<Item: StoredItem>(_ kind: Item.Type, hub: HubID, spoke: SpokeID) throws -> [ItemCreateIntent<Item>] {
        try inner.intents(kind, hub: hub, spoke: spoke)
    }
    public func spokeState(hub: HubID, spoke: SpokeID) throws -> SpokeState {
        try inner.spokeState(hub: hub, spoke: spoke)
    }
    public func runs(hub: HubID, limit: Int) throws -> [RunRecord] { try inner.runs(hub: hub, limit: limit) }
    public func run(hub: HubID, id: RunID) throws -> RunRecord? { try inner.run(hub: hub, id: id) }
    public func journal<Item: StoredItem>(
        _ kind: Item.Type, hub: HubID, _ query: JournalQuery
    ) throws -> [ItemJournalEntry<Item>] {
        try inner.journal(kind, hub: hub, query)
    }
    public func conflictCount(hub: HubID) throws -> Int { try inner.conflictCount(hub: hub) }
    public func holds(hub: HubID) throws -> [DeletionHold] { try inner.holds(hub: hub) }
}


/// A mutable value shared between a test and the closures it hands out.
public final class Shared<Value: Sendable>: Sendable {
    private let m: Mutex<Value>
    public init(_ v: Value) { m = Mutex(v) }
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R { try m.withLock { try body(&$0) } }
}
