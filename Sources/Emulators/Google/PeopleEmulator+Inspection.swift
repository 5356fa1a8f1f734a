import Foundation

/// A contact as a test sees it.
public struct PeopleContactRecord: Sendable, Equatable {
    public let resourceName: String
    public let etag: String
    /// Stored fields (`names`, `emailAddresses`, …): arrays of items without metadata.
    public let fields: [String: JSONValue]
    /// Contact group resource names (`contactGroups/myContacts`, …).
    public let groups: [String]
    public let photo: Data?
    public let updateTime: Date

    /// `values("emailAddresses")` → every item's `value`.
    public func values(_ field: String, _ key: String = "value") -> [String] {
        fields[field]?.array?.compactMap { $0[key]?.string } ?? []
    }
    public var givenName: String? { values("names", "givenName").first }
    public var familyName: String? { values("names", "familyName").first }
    public var emails: [String] { values("emailAddresses") }
    public var phones: [String] { values("phoneNumbers") }
}

public struct PeopleGroupRecord: Sendable, Equatable {
    public let resourceName: String
    public let name: String
    public let etag: String
    public let isSystem: Bool
    public let memberResourceNames: [String]
}

public enum PeopleEmulatorError: Error, Equatable {
    case unknownAccount(String)
    case unknownContact(String)
    case unknownGroup(String)
}

/// Seed, inspect and edit helpers: a test plays "another client" with these. Every change gets new
/// etags and shows up in connections sync exactly like a change made through the API.
extension PeopleEmulator {
    func onAccount<T: Sendable>(_ email: String, _ body: (inout PeopleAccount) throws(PeopleEmulatorError) -> T) throws(PeopleEmulatorError) -> T {
        guard let result = try store.with(email, body) else { throw PeopleEmulatorError.unknownAccount(email) }
        return result
    }

    static func record(_ p: StoredPerson) -> PeopleContactRecord {
        PeopleContactRecord(resourceName: p.resourceName, etag: p.etag, fields: p.fields,
                            groups: p.groups.map { "contactGroups/\($0)" }, photo: p.photo.map { Data($0) }, updateTime: p.updated)
    }

    static func id(_ resourceName: String, _ acct: PeopleAccount) throws(PeopleEmulatorError) -> String {
        guard let id = acct.personID(resourceName) else { throw PeopleEmulatorError.unknownContact(resourceName) }
        return id
    }

    static func groupIDs(_ names: [String]?, _ acct: PeopleAccount) throws(PeopleEmulatorError) -> [String]? {
        guard let names else { return nil }
        return try names.map { (n: String) throws(PeopleEmulatorError) -> String in
            let id = n.hasPrefix("contactGroups/") ? String(n.dropFirst("contactGroups/".count)) : n
            guard acct.groups[id] != nil else { throw PeopleEmulatorError.unknownGroup(n) }
            return id
        }
    }

    /// Creates a contact from People API fields (e.g. `["names": [["givenName": "Ann"]]]`);
    /// `groups` nil: myContacts.
    @discardableResult
    public func createContact(in email: String, fields: [String: JSONValue], groups: [String]? = nil) throws -> PeopleContactRecord {
        let now = self.now
        return try onAccount(email) { (acct) throws(PeopleEmulatorError) -> PeopleContactRecord in
            Self.record(acct.createPerson(PersonFields.storable(fields), groups: try Self.groupIDs(groups, acct), now: now))
        }
    }

    /// Creates a contact with a name and optionally one e-mail address and one phone number.
    @discardableResult
    public func createContact(in email: String, givenName: String, familyName: String? = nil, emailAddress: String? = nil,
                              phone: String? = nil) throws -> PeopleContactRecord {
        var name: [String: JSONValue] = ["givenName": .string(givenName)]
        if let familyName { name["familyName"] = .string(familyName) }
        var fields: [String: JSONValue] = ["names": [.object(name)]]
        if let emailAddress { fields["emailAddresses"] = [["value": .string(emailAddress), "type": "home"]] }
        if let phone { fields["phoneNumbers"] = [["value": .string(phone), "type": "mobile"]] }
        return try createContact(in: email, fields: fields)
    }

    /// Creates `count` numbered contacts (name, e-mail, mobile phone).
    @discardableResult
    public func seedContacts(_ count: Int, in email: String) throws -> [PeopleContactRecord] {
        try (0..<max(count, 0)).map { i in
            try createContact(in: email, givenName: "Seed\(i + 1)", familyName: "Contact", emailAddress: "seed\(i + 1)@example.org",
                              phone: "+1 555 01\(String(format: "%02d", (i + 1) % 100))")
        }
    }

    /// Edits a contact's fields in place (do not call the emulator from `edit`).
    @discardableResult
    public func updateContact(_ resourceName: String, in email: String,
                              _ edit: (inout [String: JSONValue]) -> Void) throws -> PeopleContactRecord {
        let now = self.now
        return try onAccount(email) { (acct) throws(PeopleEmulatorError) -> PeopleContactRecord in
            let id = try Self.id(resourceName, acct)
            acct.touch(id, now: now) { p in
                edit(&p.fields)
                p.fields = PersonFields.storable(p.fields)
            }
            return Self.record(acct.persons[id]!)
        }
    }

    /// Deletes a contact: the next sync reports it with `metadata.deleted`.
    public func deleteContact(_ resourceName: String, in email: String) throws {
        let now = self.now
        try onAccount(email) { (acct) throws(PeopleEmulatorError) in
            _ = acct.deletePerson(try Self.id(resourceName, acct), now: now)
        }
    }

    /// Contacts in change order (oldest change first).
    public func contacts(in email: String) throws -> [PeopleContactRecord] {
        try onAccount(email) { acct in acct.persons.values.sorted { $0.changeSeq < $1.changeSeq }.map(Self.record) }
    }

    public func contact(_ resourceName: String, in email: String) -> PeopleContactRecord? {
        try? onAccount(email) { (acct) throws(PeopleEmulatorError) in Self.record(acct.persons[try Self.id(resourceName, acct)]!) }
    }

    /// Sets (replaces) the contact photo.
    @discardableResult
    public func setContactPhoto(_ resourceName: String, in email: String, data: Data) throws -> PeopleContactRecord {
        let now = self.now
        return try onAccount(email) { (acct) throws(PeopleEmulatorError) -> PeopleContactRecord in
            let id = try Self.id(resourceName, acct)
            acct.touch(id, now: now) { $0.photo = [UInt8](data) }
            return Self.record(acct.persons[id]!)
        }
    }

    /// Replaces a contact's group memberships (resource names or ids).
    @discardableResult
    public func setGroups(_ groups: [String], of resourceName: String, in email: String) throws -> PeopleContactRecord {
        let now = self.now
        return try onAccount(email) { (acct) throws(PeopleEmulatorError) -> PeopleContactRecord in
            let id = try Self.id(resourceName, acct)
            let ids = try Self.groupIDs(groups, acct) ?? []
            acct.touch(id, now: now) { $0.groups = ids }
            return Self.record(acct.persons[id]!)
        }
    }

    @discardableResult
    public func createGroup(named name: String, in email: String) throws -> PeopleGroupRecord {
        let now = self.now
        return try onAccount(email) { acct in
            let id = String(UInt64.random(in: 1 << 60 ... UInt64.max), radix: 16)
            acct.groups[id] = StoredGroup(id: id, name: name, system: false, etag: PeopleAccount.newEtag("#"), updated: now)
            acct.groupOrder.append(id)
            return Self.groupRecord(acct.groups[id]!, acct)
        }
    }

    public func groups(in email: String) throws -> [PeopleGroupRecord] {
        try onAccount(email) { acct in acct.groupOrder.compactMap { acct.groups[$0] }.map { Self.groupRecord($0, acct) } }
    }

    static func groupRecord(_ g: StoredGroup, _ acct: PeopleAccount) -> PeopleGroupRecord {
        PeopleGroupRecord(resourceName: g.resourceName, name: g.name, etag: g.etag, isSystem: g.system,
                          memberResourceNames: acct.members(of: g.id).map(\.resourceName))
    }
}
