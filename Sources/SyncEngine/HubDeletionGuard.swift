import Foundation
import SyncCore
import SyncModel
import SyncStore

/// The guard on what the hub itself deletes in spokes (an undo, a restore, a filter change):
/// judged where the change is made, when its origin is known, and held like a mass deletion
/// pulled from a source when it would take more than the guard's share of a spoke's items.
extension SyncEngine {
    /// The holds for deleting `items` from the hub: one per two-way spoke where they are too
    /// many. A spoke whose hold is already waiting refuses the change (one hold per spoke).
    func outgoingHolds<Item: CoreItem & StoredItem>(
        _ kind: Item.Type, hub: HubConfig, deleting items: [ItemID]
    ) throws -> [DeletionHold] {
        guard !items.isEmpty else { return [] }
        let existing = try store.holds(hub: hub.id)
        var holds: [DeletionHold] = []
        for spoke in try store.spokes(hub: hub.id) where spoke.options.twoWay {
            let linked = try store.links(Item.self, hub: hub.id, spoke: spoke.id, items: items)
            guard !linked.isEmpty else { continue }
            let total = try store.linkCount(hub: hub.id, spoke: spoke.id)
            if let hold = try outgoingHold(hub, spoke, Array(linked.keys), linkCount: total, existing: existing) {
                holds.append(hold)
            }
        }
        return holds
    }

    /// The hold for the hub deleting `items` (all linked there) from one spoke, if the guard
    /// trips.
    func outgoingHold(
        _ hub: HubConfig, _ spoke: SpokeConfig, _ items: [ItemID], linkCount: Int, existing: [DeletionHold]
    ) throws -> DeletionHold? {
        switch hub.deletionGuard.evaluate(outgoing: items.count, linked: linkCount) {
        case .allow:
            return nil
        case .hold(let reason):
            if let other = existing.first(where: { $0.spoke == spoke.id }) {
                guard other.outgoing && other.awaitsAdmin else {
                    throw EngineError(EngineError.holdWaiting, ["source": spoke.name])
                }
                return DeletionHold(
                    spoke: spoke.id, detectedAt: other.detectedAt, items: Set(items).union(other.items).sorted(),
                    reason: reason, outgoing: true)
            }
            logger.warning("hub deletions held", metadata: ["spoke": "\(spoke.name)", "count": "\(items.count)"])
            return DeletionHold(
                spoke: spoke.id, detectedAt: clock(), items: items.sorted(), reason: reason, outgoing: true)
        }
    }

    /// The items a new filter takes out of a spoke (those the hub put there).
    func leavingFilter<Item: CoreItem & StoredItem>(_ kind: Item.Type, _ spoke: SpokeConfig) throws -> [ItemID] {
        let live = try store.liveItems(Item.self, hub: spoke.hub)
        var out: [ItemID] = []
        for chunk in live.chunked(1000) {
            let links = try store.links(Item.self, hub: spoke.hub, spoke: spoke.id, items: chunk.map(\.id))
            for item in chunk where links[item.id]?.createdByHub == true && !item.item.admitted(by: spoke.options.filter) {
                out.append(item.id)
            }
        }
        return out
    }
}
