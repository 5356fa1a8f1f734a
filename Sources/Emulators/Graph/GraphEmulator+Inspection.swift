import Foundation

/// A contact as a test sees it.
public struct GraphContactRecord: Sendable, Equatable {
    public let id: String
    public let folderID: String
    public let changeKey: String
    /// Stored properties (`givenName`, `emailAddresses`, …) as the client sent them.
    public let fields: [String: JSONValue]
    /// Single-value extended properties, id → value.
    public let extendedProperties: [String: String]
    public let photo: Data?
    public var etag: String { "W/\"\(changeKey)\"" }
    public var givenName: String? { fields["givenName"]?.string }
    public var surname: String? { fields["surname"]?.string }
    public var emails: [String] { fields["emailAddresses"]?.array?.compactMap { $0["address"]?.string } ?? [] }
}

public struct GraphUserRecord: Sendable, Equatable {
    public let id: String
    public let upn: String
}

public enum GraphEmulatorError: Error, Equatable {
    case unknownUser(String)
    case noMailbox(String)
    case unknownContact(String)
    case unknownFolder(String)
    case unknownGroup(String)
}

/// Seed, inspect and edit helpers: a test plays "another client" with these. Every change gets a
/// new change key and shows up in delta exactly like a change made through the API.
extension GraphEmulator {
    func onMailbox<T: Sendable>(_ upn: String, _ body: (inout GraphMailbox) throws(GraphEmulatorError) -> T) throws(GraphEmulatorError) -> T {
        try store.with { (t: inout GraphTenant) throws(GraphEmulatorError) -> T in
            guard let id = t.userID(upn) else { throw .unknownUser(upn) }
            guard t.mailboxes[id] != nil else { throw .noMailbox(upn) }
            return try t.onMailbox(id, body)
        }
    }

    static func record(_ c: GraphStoredContact) -> GraphContactRecord {
        GraphContactRecord(id: c.id, folderID: c.folderID, changeKey: c.changeKey, fields: c.fields,
                           extendedProperties: Dictionary(c.extended.map { ($0.id, $0.value) }, uniquingKeysWith: { $1 }),
                           photo: c.photo.map { Data($0) })
    }

    // MARK: Directory

    /// Adds a user (UPN `mailNickname@domain`), with a mailbox unless `mailbox` is false.
    @discardableResult
    public func addUser(displayName: String, mailNickname: String, givenName: String? = nil, surname: String? = nil,
                        jobTitle: String? = nil, department: String? = nil, officeLocation: String? = nil,
                        businessPhone: String? = nil, mobilePhone: String? = nil, mailbox: Bool = true) -> GraphUserRecord {
        let upn = "\(mailNickname)@\(domain)"
        let id = UUID().uuidString.lowercased()
        var f: [String: JSONValue] = ["displayName": .string(displayName), "userPrincipalName": .string(upn), "mail": .string(upn),
                                      "accountEnabled": true, "userType": "Member", "companyName": "Contoso",
                                      "businessPhones": .array(businessPhone.map { [.string($0)] } ?? [])]
        for (k, v) in [("givenName", givenName), ("surname", surname), ("jobTitle", jobTitle), ("department", department),
                       ("officeLocation", officeLocation), ("mobilePhone", mobilePhone)] {
            f[k] = v.map { .string($0) } ?? .null
        }
        let now = self.now
        store.with { t in
            let s = t.nextDirectorySeq()
            t.users[id] = GraphUser(id: id, fields: f, photo: nil, changeSeq: s, createSeq: s)
            if mailbox { t.mailboxes[id] = GraphMailbox(userID: id, now: now) }
        }
        return GraphUserRecord(id: id, upn: upn)
    }

    /// Edits a user's directory properties (shows in `/users/delta`).
    public func updateUser(_ upn: String, _ edit: (inout [String: JSONValue]) -> Void) throws {
        try store.with { (t: inout GraphTenant) throws(GraphEmulatorError) in
            guard let id = t.userID(upn) else { throw .unknownUser(upn) }
            edit(&t.users[id]!.fields)
            t.users[id]!.changeSeq = t.nextDirectorySeq()
        }
    }

    /// Deletes a user (and their mailbox): `/users/delta` reports `@removed`, groups drop them.
    public func removeUser(_ upn: String) throws {
        try store.with { (t: inout GraphTenant) throws(GraphEmulatorError) in
            guard let id = t.userID(upn) else { throw .unknownUser(upn) }
            t.users[id] = nil
            t.mailboxes[id] = nil
            t.sharedMailboxes[id] = nil
            t.removedUsers.append((id, t.nextDirectorySeq()))
            for g in t.groups.keys { t.groups[g]!.members.removeAll { $0 == id } }
        }
    }

    public func setUserPhoto(_ upn: String, data: Data?) throws {
        try store.with { (t: inout GraphTenant) throws(GraphEmulatorError) in
            guard let id = t.userID(upn) else { throw .unknownUser(upn) }
            t.users[id]!.photo = data.map { [UInt8]($0) }
        }
    }

    public var users: [GraphUserRecord] { store.with { t in t.usersInOrder().map { GraphUserRecord(id: $0.id, upn: $0.upn) } } }

    /// Adds a group with these members (UPNs or ids of users, or ids of groups: nested, as a
    /// security or distribution group may have); returns its id.
    @discardableResult
    public func addGroup(displayName: String, members: [String]) throws -> String {
        let id = UUID().uuidString.lowercased()
        try store.with { (t: inout GraphTenant) throws(GraphEmulatorError) in
            let ids = try members.map { (m: String) throws(GraphEmulatorError) -> String in try t.memberID(m) }
            let nickname = displayName.lowercased().filter { $0.isLetter || $0.isNumber }
            t.groups[id] = GraphGroup(id: id, displayName: displayName, mail: "\(nickname)@\(domain)", members: ids,
                                      createSeq: t.groups.count + 1)
        }
        return id
    }

    /// Replaces a group's members (UPNs or ids of users, ids of groups).
    public func setGroupMembers(_ groupID: String, _ members: [String]) throws {
        try store.with { (t: inout GraphTenant) throws(GraphEmulatorError) in
            guard t.groups[groupID] != nil else { throw .unknownGroup(groupID) }
            t.groups[groupID]!.members = try members.map { (m: String) throws(GraphEmulatorError) -> String in try t.memberID(m) }
        }
    }
}

extension GraphTenant {
    /// A member named by a user's UPN or id, or a group's id.
    func memberID(_ m: String) throws(GraphEmulatorError) -> String {
        if groups[m] != nil { return m }
        guard let u = userID(m) else { throw .unknownUser(m) }
        return u
    }
}
