import SyncModel

public struct PushLink: Hashable, Sendable {
    public var remoteID: RemoteID
    public var remoteVersion: RemoteVersion?
    public var base: Contact
    public var hubVersionSeen: Int64
    public var createdByHub: Bool
    public init(
        remoteID: RemoteID, remoteVersion: RemoteVersion?, base: Contact, hubVersionSeen: Int64, createdByHub: Bool
    ) {
        self.remoteID = remoteID
        self.remoteVersion = remoteVersion
        self.base = base
        self.hubVersionSeen = hubVersionSeen
        self.createdByHub = createdByHub
    }
}

public enum PushPlan: Hashable, Sendable {
    case none
    /// The spoke already holds this content: record the agreement, send nothing.
    case agree
    /// Create with this content (spoke terms).
    case create(Contact)
    case update(RemoteID, RemoteVersion?, Contact)
    case delete(RemoteID, RemoteVersion?)
    /// The item left the spoke's filter and the hub had put it there: take it out of this spoke
    /// only. Not a deletion anywhere else.
    case removeFromSpoke(RemoteID, RemoteVersion?)
}

/// Pure decision of what one hub item means for one spoke.
public enum PushPlanner {
    public static func plan(
        item: HubSnapshot, version: Int64, link: PushLink?, view: SpokeView
    ) -> PushPlan {
        guard view.options.twoWay else { return .none }
        if item.deleted {
            guard let link else { return .none }
            return .delete(link.remoteID, link.remoteVersion)
        }
        let admitted = view.options.filter.admits(item.contact)
        guard let link else {
            return admitted ? .create(view.toSpoke(item.contact)) : .none
        }
        if !admitted && link.createdByHub { return .removeFromSpoke(link.remoteID, link.remoteVersion) }
        if link.hubVersionSeen >= version { return .none }
        if view.sameInSpoke(item.contact, link.base) { return .agree }
        return .update(link.remoteID, link.remoteVersion, view.toSpoke(DisplayForms.written(base(after: item.contact, link: link))))
    }

    /// The link's base once the spoke holds the hub's `contact`: with the spoke's own forms of
    /// the values nobody edited (`DisplayForms`).
    public static func base(after contact: Contact, link: PushLink) -> Contact {
        DisplayForms.base(after: contact, base: link.base)
    }
}
