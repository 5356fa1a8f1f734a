import Foundation
import ConnectorKit
import SyncCore
import SyncModel
import SyncStore

/// What one pull of a spoke gathers for the guard: the spoke's hold as it was (reviewed item by
/// item against the listing), and the changes it newly holds back.
struct HoldTally<Item: CoreItem & StoredItem> {
    let existing: DeletionHold?
    /// Held items the listing showed changed, and what became of them.
    var reviewed: [ItemID: HeldItemAction] = [:]
    /// Changes that would blank an item: held whatever their number.
    var blanked: [ItemID] = []
    /// Changes that strip an item: held if more than the guard's share of the spoke's items.
    var stripped: [(remote: Remote<Item>, item: ItemID)] = []
    /// The spoke has a hold of the hub's own deletions (one hold per spoke).
    var outgoingWaits = false

    private let heldItems: Set<ItemID>

    init(_ existing: DeletionHold?) {
        self.existing = existing
        heldItems = Set(existing?.items ?? [])
    }

    /// The admin's decision on `item`, if it is held.
    func decision(_ item: ItemID) -> HoldDecision? {
        guard let existing, heldItems.contains(item) else { return nil }
        return existing.decision
    }

    /// What a pulled change does to a linked item: apply it, or hold it back (`nil`). `plan` may be
    /// rewritten (a rejected change the hub writes back over).
    mutating func admit(
        _ plan: inout ItemPullPlan<Item>, remote: Remote<Item>, target: HubRecord<Item>?, weighing: Bool
    ) -> Bool {
        guard let target, !target.deleted else { return true }
        var weight = ChangeWeight.normal
        if case .update(let merged) = plan.hub { weight = ChangeWeight.of(target.item, to: merged) }
        guard let decision = decision(target.id) else {
            switch weight {
            case .normal: return true
            case _ where !weighing: return true
            case .blanked:
                blanked.append(target.id)
                return false
            case .stripped:
                stripped.append((remote, target.id))
                return false
            }
        }
        let action = HoldReview.action(decision, .changed(weight))
        reviewed[target.id] = action
        switch action {
        case .keep:
            return false
        case .release, .applyApproved, .recreate:
            return true
        case .writeBack:
            // The spoke's broken content becomes the base, and a new hub version sends the
            // hub's content over it.
            if case .set(let base, _) = plan.link {
                plan = ItemPullPlan(hub: .touch, link: .set(base: base, agreed: false), via: plan.via)
            } else {
                plan = ItemPullPlan(hub: .touch, link: plan.link, via: plan.via)
            }
            return true
        }
    }
}

extension Pass {
    /// Ends a pull's review of the spoke's hold: held items the listing did not show changed are
    /// judged by whether it listed them; then the hold is written again with what is still
    /// held and what this pull newly holds back (or removed when nothing is left).
    mutating func settleHold(
        _ tally: HoldTally<Item>, spoke: SpokeConfig, view: ItemView<Item>, seen: Set<RemoteID>, trustedAbsence: Bool,
        heldLinks: [ItemID: ItemLink<Item>], newDeletions: (items: [ItemID], reason: String)?,
        newChanges: (items: [ItemID], reason: String)?, into batch: inout Batch
    ) throws {
        var keptItems: [ItemID] = []
        var recreate: [ItemID] = []
        var released: [ItemID] = []
        if let existing = tally.existing {
            for id in existing.items {
                let action: HeldItemAction
                var listedAsItWas = false
                if let reviewed = tally.reviewed[id] {
                    action = reviewed
                } else if let link = heldLinks[id] {
                    listedAsItWas = seen.contains(link.remoteID)
                    action = HoldReview.action(
                        existing.decision, listedAsItWas ? .unchanged : .absent(trusted: trustedAbsence))
                } else {
                    action = .release  // no longer linked (the hub item was deleted meanwhile)
                }
                switch action {
                case .keep: keptItems.append(id)
                case .recreate: recreate.append(id)
                case .release: if listedAsItWas { released.append(id) }
                case .applyApproved, .writeBack: break
                }
            }
        }
        // Gone from the spoke though the admin kept them: the link goes, a new version makes
        // the push create them there again.
        let items = try store.items(Item.self, hub: hub.id, ids: recreate + released)
        // Listed again as the spoke had it: what the hub changed meanwhile (the push skipped it
        // while it was held) goes out now.
        for id in released {
            guard let link = heldLinks[id], let target = items[id], target.version > link.hubVersionSeen else { continue }
            let plan = Plan(hub: .touch, link: .none)
            apply(plan, spoke: spoke.id, remoteID: link.remoteID, remote: nil, link: link, target: target, into: &batch)
        }
        for id in recreate {
            guard let link = heldLinks[id] else { continue }
            let target = items[id]
            let plan = Plan(hub: target?.deleted == false ? .touch : .none, link: .remove)
            apply(plan, spoke: spoke.id, remoteID: link.remoteID, remote: nil, link: link, target: target, into: &batch)
        }
        let existingChanges = Set(tally.existing?.changes ?? [])
        var changes = keptItems.filter(existingChanges.contains)
        var all = keptItems
        var reasons: [String] = []
        if let d = newDeletions {
            all += d.items
            reasons.append(d.reason)
        }
        if let c = newChanges {
            all += c.items
            changes += c.items
            reasons.append(c.reason)
        }
        if !tally.blanked.isEmpty {
            all += tally.blanked
            changes += tally.blanked
            reasons.append("\(tally.blanked.count) item(s) would lose every name, email and phone")
        }
        let fresh = all.count - keptItems.count
        let keptPending = tally.existing?.decision == .pending ? keptItems.count : 0
        stats[spoke.id, default: .init()].heldDeletions += fresh + keptPending
        guard !all.isEmpty else {
            if tally.existing != nil { batch.removedHolds = [spoke.id] }
            return
        }
        let unique = Array(Set(all)).sorted()
        if fresh > 0 && tally.outgoingWaits {
            // One hold per spoke, and the hub's own deletions there wait for a decision: this
            // pull applies nothing of what it would hold and keeps its cursor, so it is read
            // again once the admin has decided.
            throw ConnectorError(
                .unavailable,
                "\(fresh) deletions or changes from this source wait to be held, behind the held deletions the hub would make there: approve or reject those first")
        }
        if fresh > 0 {
            engine.logger.warning(
                "changes held", metadata: ["spoke": "\(spoke.name)", "count": "\(fresh)"])
            let since = tally.existing?.decision == .pending ? tally.existing?.detectedAt : nil
            batch.holds = [DeletionHold(
                spoke: spoke.id, detectedAt: since ?? engine.clock(), items: unique,
                reason: ([tally.existing?.decision == .pending ? tally.existing?.reason : nil].compactMap { $0 }
                    + reasons).joined(separator: "; "),
                changes: Array(Set(changes)).sorted(), decision: .pending)]
        } else if var h = tally.existing, Set(h.items) != Set(unique) || Set(h.changes) != Set(changes) {
            h.items = unique
            h.changes = Array(Set(changes)).sorted()
            batch.holds = [h]
        }
    }
}
