import Foundation
import Hummingbird
import SyncModel

/// What the "mailboxes of a group" form sends: the group, and the app-only access to its tenant.
public struct GroupMailboxesRequest: Codable, Sendable, Hashable {
    /// The group's name, mail address or id.
    public var group: String
    public var tenant: String?
    public var clientID: String?
    public var clientSecret: String?
    /// The contacts folder created in each member's mailbox (default "Company Directory").
    public var folder: String?
    /// Members' folders receive the hub's contacts and give nothing back (default: two-way).
    public var receiveOnly: Bool?

    public init(group: String, tenant: String? = nil, clientID: String? = nil, clientSecret: String? = nil, folder: String? = nil) {
        self.group = group
        self.tenant = tenant
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.folder = folder
    }
}

/// A group a hub follows, and the spoke of each member mailbox.
public struct GroupMailboxesDTO: ResponseCodable, Sendable, Hashable {
    public struct Member: Codable, Sendable, Hashable {
        public var spoke: String
        public var mailbox: String
        /// Why and since when the spoke is paused (its mailbox left the group); nil: active.
        public var paused: String?
        public init(spoke: String, mailbox: String, paused: String?) {
            self.spoke = spoke
            self.mailbox = mailbox
            self.paused = paused
        }
    }
    public var id: String
    public var name: String
    public var folder: String
    public var receiveOnly: Bool
    public var members: [Member]
    /// Mailboxes that could not be set up this time (tried again at the next sync).
    public var failed: [String]
    public init(id: String, name: String, folder: String, receiveOnly: Bool = false, members: [Member], failed: [String] = []) {
        self.id = id
        self.name = name
        self.folder = folder
        self.receiveOnly = receiveOnly
        self.members = members
        self.failed = failed
    }
}

/// What stopping to follow a group did to its spokes (the hub keeps their contacts either way).
public struct GroupRemovalDTO: ResponseCodable, Sendable, Hashable {
    public var group: String
    public var paused: [String]
    public var removed: [String]
    public init(group: String, paused: [String], removed: [String]) {
        self.group = group
        self.paused = paused
        self.removed = removed
    }
}

/// A followed group's mode: its members' folders two-way or receive-only.
public struct GroupModeRequest: Codable, Sendable, Hashable {
    public var receiveOnly: Bool
    public init(receiveOnly: Bool) { self.receiveOnly = receiveOnly }
}

/// The composition root's "mailboxes of a group" (Microsoft 365): a provider that can, also
/// conforms to this; the server asks with `as?`, so other providers need nothing.
public protocol GroupMailboxProvider: Sendable {
    /// Adds a spoke per member mailbox of the group to the hub (its folder created in each).
    func addGroupMailboxes(hub: HubID, _ request: GroupMailboxesRequest) async throws -> GroupMailboxesDTO
    /// The groups the hub follows.
    func groupMailboxes(hub: HubID) throws -> [GroupMailboxesDTO]
    /// Before a pass: each group's members read again; a spoke for each new member, a pause for
    /// each who left. Never throws: a group that cannot be read is left as it is.
    func refreshGroupMailboxes(hub: HubID) async
    /// Stops following the group (id or name): its spokes paused, or removed when `removeSpokes`.
    /// Called under the hub's lock.
    func removeGroupMailboxes(hub: HubID, group: String, removeSpokes: Bool) throws -> GroupRemovalDTO
    /// Switches the group's mailboxes (and later members') to receive-only or two-way. Called
    /// under the hub's lock.
    func setGroupMailboxes(hub: HubID, group: String, receiveOnly: Bool) throws -> GroupMailboxesDTO
}
