import Foundation
import SyncModel

/// What the planner needs to know of a hub item.
public struct ItemHubSnapshot<Item: CoreItem>: Hashable, Sendable {
    public var item: Item
    public var deleted: Bool
    public var modifiedAt: Date
    public var fieldTimes: ItemFieldTimes<Item.Field>
    public init(item: Item, deleted: Bool, modifiedAt: Date, fieldTimes: ItemFieldTimes<Item.Field> = .init()) {
        self.item = item
        self.deleted = deleted
        self.modifiedAt = modifiedAt
        self.fieldTimes = fieldTimes
    }

    /// Newest change wins, field by field.
    func winner(_ field: Item.Field, spokeModified: Date?) -> Side {
        ConflictPolicy.winner(
            hubModified: fieldTimes.time(of: field, itemModified: modifiedAt), spokeModified: spokeModified)
    }
}

public typealias HubSnapshot = ItemHubSnapshot<Contact>

extension ItemHubSnapshot where Item == Contact {
    public var contact: Contact {
        get { item }
        set { item = newValue }
    }
    public init(contact: Contact, deleted: Bool, modifiedAt: Date, fieldTimes: FieldTimes = .init()) {
        self.init(item: contact, deleted: deleted, modifiedAt: modifiedAt, fieldTimes: fieldTimes)
    }
}

/// What the planner needs to know of a link.
public struct ItemLinkSnapshot<Item: CoreItem>: Hashable, Sendable {
    public var remoteVersion: RemoteVersion?
    public var base: Item
    /// The hub is taking the item out of this spoke (it left the filter): its disappearance
    /// is expected, not a deletion.
    public var leavingFilter: Bool
    /// The hub made the spoke's copy (so it may be a stand-in, see `SpokeShape`).
    public var createdByHub: Bool
    public init(remoteVersion: RemoteVersion?, base: Item, leavingFilter: Bool = false, createdByHub: Bool = false) {
        self.createdByHub = createdByHub
        self.remoteVersion = remoteVersion
        self.base = base
        self.leavingFilter = leavingFilter
    }
}

public typealias LinkSnapshot = ItemLinkSnapshot<Contact>

public typealias PullPlan = ItemPullPlan<Contact>

public struct ItemPullPlan<Item: CoreItem>: Hashable, Sendable {
    public enum HubAction: Hashable, Sendable {
        case none
        case create(Item)
        case update(Item)
        case delete
        case resurrect(Item)
        /// New version, same content: the spoke must be sent the hub's content again.
        case touch
    }
    public enum LinkAction: Hashable, Sendable {
        case none
        /// Only the remote version moved (the content as the spoke sees it did not).
        case refresh
        /// New base. `agreed`: the spoke already holds the hub's resulting content.
        case set(base: Item, agreed: Bool)
        case remove
    }
    /// How an unlinked item found its hub item.
    public enum Via: Hashable, Sendable {
        case link, marker, match, new
    }

    public var hub: HubAction
    public var link: LinkAction
    public var via: Via
    public var conflicts: [Item.Field]
    /// When the hub won conflicts: the content had the spoke won them, for the journal.
    public var overruled: Item?

    public init(
        hub: HubAction, link: LinkAction, via: Via = .link, conflicts: [Item.Field] = [], overruled: Item? = nil
    ) {
        self.hub = hub
        self.link = link
        self.via = via
        self.conflicts = conflicts
        self.overruled = overruled
    }
}

/// Pure decisions for one pulled change.
public enum PullPlanner {
    /// An item the spoke reports present. `target` is the linked hub item, or for an unlinked
    /// remote item the one its marker names or the matcher found (`via` says which). For a
    /// marker, `link` may carry the content the create sent, as the base.
    public static func upsert<Item>(
        _ remote: Remote<Item>, link: ItemLinkSnapshot<Item>?, target: ItemHubSnapshot<Item>?,
        via: ItemPullPlan<Item>.Via, view: ItemView<Item>
    ) -> ItemPullPlan<Item> {
        // Unchanged since we last saw it (the common case, our own writes coming back included).
        if let link, via == .link, let v = link.remoteVersion, v == remote.version, target != nil {
            return ItemPullPlan(hub: .none, link: .none)
        }
        let incoming = view.toHub(remote.item)
        guard let target else {
            return ItemPullPlan(hub: .create(incoming), link: .set(base: incoming, agreed: true), via: .new)
        }
        if link?.createdByHub == true || via == .marker, case .standIn = view.shape(target.item) {
            // Busy time the hub wrote: not the series, so nothing of it flows back.
            let l: ItemPullPlan<Item>.LinkAction = via == .link ? .refresh : .set(base: target.item, agreed: true)
            return ItemPullPlan(hub: target.deleted ? .touch : .none, link: l, via: via)
        }
        let spoke = view.restrict(Item.agreed(incoming, base: link?.base, hub: target.item), to: target.item)
        if let link, via == .link {
            // A link marked as leaving the filter (a removal not done yet) merges like any other:
            // an edit made there meanwhile must reach the hub, and the link must learn the new
            // version, or the removal conflicts on every pass.
            if view.sameInSpoke(spoke, link.base) {
                // Our own write coming back, or a change the hub does not see (another field,
                // a server re-serialisation): nothing to merge. A tombstone still needs pushing.
                return ItemPullPlan(hub: target.deleted ? .touch : .none, link: .refresh)
            }
        }
        let winner = { (f: Item.Field) in target.winner(f, spokeModified: remote.modifiedAt) }
        let outcome = ThreeWayMerge.merge(base: link?.base, hub: target.item, spoke: spoke, winner: winner)
        let agreed = view.sameInSpoke(outcome.merged, spoke)
        let hubAction: ItemPullPlan<Item>.HubAction
        if target.deleted {
            // An edit made here while the item was deleted elsewhere beats the delete. Content
            // the hub already knew is no such edit: the echo of a create or of an update whose
            // answer was lost, so the delete goes out instead.
            let known = view.sameInSpoke(spoke, target.item)
                || (link.map { view.sameInSpoke(spoke, $0.base) } ?? (via == .marker))
            hubAction = known ? .touch : .resurrect(outcome.merged)
        } else if outcome.merged.itemHash != target.item.itemHash
            || outcome.merged.identity != target.item.identity
        {
            hubAction = .update(outcome.merged)
        } else {
            hubAction = agreed ? .none : .touch
        }
        let overruled = outcome.conflicts.allSatisfy { winner($0) == .spoke } ? nil
            : ThreeWayMerge.merge(base: link?.base, hub: target.item, spoke: spoke, winner: .spoke).merged
        return ItemPullPlan(
            hub: hubAction, link: .set(base: spoke, agreed: agreed && hubAction != .touch), via: via,
            conflicts: outcome.conflicts, overruled: overruled)
    }

    /// An item the spoke reports gone.
    public static func delete<Item>(
        link: ItemLinkSnapshot<Item>?, target: ItemHubSnapshot<Item>?, view: ItemView<Item>
    ) -> ItemPullPlan<Item> {
        guard link != nil else { return ItemPullPlan(hub: .none, link: .none) }
        guard let target, !target.deleted, let link, !link.leavingFilter else {
            return ItemPullPlan(hub: .none, link: .remove)
        }
        switch view.shape(target.item) {
        // A source that lists only its window drops what left it; a stand-in removed there
        // (busy time) is not the event. Neither deletes the hub's item.
        case .outOfWindow: return ItemPullPlan(hub: .none, link: .remove)
        case .standIn where link.createdByHub: return ItemPullPlan(hub: .none, link: .remove)
        case .write, .standIn, .filtered: break
        }
        if view.sameInSpoke(target.item, link.base) {
            return ItemPullPlan(hub: .delete, link: .remove)
        }
        // The hub changed since the spoke last agreed: the edit wins, the spoke gets it back.
        return ItemPullPlan(hub: .touch, link: .remove)
    }
}
