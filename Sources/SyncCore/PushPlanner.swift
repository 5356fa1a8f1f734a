import SyncModel

public struct ItemPushLink<Item: CoreItem>: Hashable, Sendable {
    public var remoteID: RemoteID
    public var remoteVersion: RemoteVersion?
    public var base: Item
    public var hubVersionSeen: Int64
    public var createdByHub: Bool
    public init(
        remoteID: RemoteID, remoteVersion: RemoteVersion?, base: Item, hubVersionSeen: Int64, createdByHub: Bool
    ) {
        self.remoteID = remoteID
        self.remoteVersion = remoteVersion
        self.base = base
        self.hubVersionSeen = hubVersionSeen
        self.createdByHub = createdByHub
    }
}

public typealias PushLink = ItemPushLink<Contact>
public typealias PushPlan = ItemPushPlan<Contact>

public enum ItemPushPlan<Item: CoreItem>: Hashable, Sendable {
    case none
    /// The spoke already holds this content: record the agreement, send nothing.
    case agree
    /// Create with this content (spoke terms).
    case create(Item)
    case update(RemoteID, RemoteVersion?, Item)
    case delete(RemoteID, RemoteVersion?)
    /// The item left the spoke's filter and the hub had put it there: take it out of this spoke
    /// only. Not a deletion anywhere else.
    case removeFromSpoke(RemoteID, RemoteVersion?)
}

/// Pure decision of what one hub item means for one spoke.
public enum PushPlanner {
    public static func plan<Item>(
        item: ItemHubSnapshot<Item>, version: Int64, link: ItemPushLink<Item>?, view: ItemView<Item>
    ) -> ItemPushPlan<Item> {
        guard view.options.twoWay else { return .none }
        if item.deleted {
            guard let link else { return .none }
            return .delete(link.remoteID, link.remoteVersion)
        }
        var standIn: Item?
        switch view.shape(item.item) {
        case .write: break
        case .standIn(let s): standIn = s
        // Leaving the window is neither news to write nor a deletion.
        case .outOfWindow: return .none
        case .filtered: return link?.createdByHub == true ? .removeFromSpoke(link!.remoteID, link!.remoteVersion) : .none
        }
        let admitted = item.item.admitted(by: view.options.filter)
        guard let link else {
            return admitted ? .create(view.toSpoke(standIn ?? item.item)) : .none
        }
        if !admitted && link.createdByHub { return .removeFromSpoke(link.remoteID, link.remoteVersion) }
        if link.hubVersionSeen >= version { return .none }
        // Only a copy the hub made is a stand-in: an item the spoke had first is its own, whole.
        if let standIn, link.createdByHub {
            if case .standIn(let old) = view.shape(link.base), old.itemHash == standIn.itemHash { return .agree }
            return .update(link.remoteID, link.remoteVersion, view.toSpoke(standIn))
        }
        if view.sameInSpoke(item.item, link.base) { return .agree }
        return .update(link.remoteID, link.remoteVersion, view.toSpoke(Item.written(base(after: item.item, link: link))))
    }

    /// The link's base once the spoke holds the hub's `item`: with the spoke's own forms of
    /// the values nobody edited (`DisplayForms`).
    public static func base<Item>(after item: Item, link: ItemPushLink<Item>) -> Item {
        Item.base(after: item, base: link.base)
    }
}
