import Foundation

/// Contacts and folders read and written directly, bypassing HTTP (and its counters and faults).
extension GraphEmulator {
    /// The id of the user's default Contacts folder.
    public func defaultFolderID(of upn: String) throws -> String { try onMailbox(upn) { $0.defaultFolderID } }

    /// Creates a folder under `parent` (nil: the default Contacts folder); returns its id.
    @discardableResult
    public func createFolder(named name: String, in upn: String, parent: String? = nil) throws -> String {
        try onMailbox(upn) { (mb) throws(GraphEmulatorError) -> String in
            let pid = parent ?? mb.defaultFolderID
            guard mb.folders[pid] != nil else { throw .unknownFolder(pid) }
            let id = mb.newID(folder: true)
            mb.folders[id] = GraphStoredFolder(id: id, displayName: name, parentID: pid, createSeq: mb.nextSeq())
            return id
        }
    }

    /// (id, displayName, parent id) of every folder, the default one first.
    public func folders(in upn: String) throws -> [(id: String, name: String, parentID: String?)] {
        try onMailbox(upn) { mb in mb.folders.values.sorted { $0.createSeq < $1.createSeq }.map { ($0.id, $0.displayName, $0.parentID) } }
    }

    /// Creates a contact from Graph properties (e.g. `["givenName": "Ann"]`), in `folder` (nil: the
    /// default folder). `id`: store it under this id (e.g. `GraphEmulator.graphID(fromEWSId:)`).
    /// Caps are not checked, so a test can seed what Outlook itself might hold.
    @discardableResult
    public func createContact(in upn: String, fields: [String: JSONValue], folder: String? = nil,
                              extendedProperties: [String: String] = [:], id: String? = nil) throws -> GraphContactRecord {
        let now = self.now
        return try onMailbox(upn) { (mb) throws(GraphEmulatorError) -> GraphContactRecord in
            let fid = folder ?? mb.defaultFolderID
            guard mb.folders[fid] != nil else { throw .unknownFolder(fid) }
            let ext = extendedProperties.sorted { $0.key < $1.key }.map { (id: $0.key, value: $0.value) }
            return Self.record(mb.createContact(fields, extended: ext, folder: fid, id: id, now: now))
        }
    }

    /// Creates `count` numbered contacts (name, e-mail, mobile phone).
    @discardableResult
    public func seedContacts(_ count: Int, in upn: String, folder: String? = nil) throws -> [GraphContactRecord] {
        try (0..<max(count, 0)).map { i in
            try createContact(in: upn, fields: [
                "givenName": .string("Seed\(i + 1)"), "surname": "Contact", "displayName": .string("Seed\(i + 1) Contact"),
                "emailAddresses": [["name": .string("Seed\(i + 1) Contact"), "address": .string("seed\(i + 1)@example.org")]],
                "mobilePhone": .string("+1 555 01\(String(format: "%02d", (i + 1) % 100))"),
            ], folder: folder)
        }
    }

    /// Edits a contact's properties in place (do not call the emulator from `edit`).
    @discardableResult
    public func updateContact(_ id: String, in upn: String, _ edit: (inout [String: JSONValue]) -> Void) throws -> GraphContactRecord {
        let now = self.now
        return try onMailbox(upn) { (mb) throws(GraphEmulatorError) -> GraphContactRecord in
            guard mb.contacts[id] != nil else { throw .unknownContact(id) }
            mb.touch(id, now: now) { edit(&$0.fields) }
            return Self.record(mb.contacts[id]!)
        }
    }

    /// Sets a single-value extended property (as Outlook writing a MAPI property would).
    public func setExtendedProperty(_ propertyID: String, to value: String, on id: String, in upn: String) throws {
        let now = self.now
        try onMailbox(upn) { (mb) throws(GraphEmulatorError) in
            guard mb.contacts[id] != nil else { throw .unknownContact(id) }
            mb.touch(id, now: now) { $0.extended = GraphContactSchema.merge($0.extended, [(propertyID, value)]) }
        }
    }

    public func setContactPhoto(_ id: String, in upn: String, data: Data?) throws {
        let now = self.now
        try onMailbox(upn) { (mb) throws(GraphEmulatorError) in
            guard mb.contacts[id] != nil else { throw .unknownContact(id) }
            mb.touch(id, now: now) { $0.photo = data.map { [UInt8]($0) } }
        }
    }

    /// Deletes a contact: the next delta round reports it as `@removed`.
    public func deleteContact(_ id: String, in upn: String) throws {
        try onMailbox(upn) { (mb) throws(GraphEmulatorError) in
            guard mb.deleteContact(id) else { throw .unknownContact(id) }
        }
    }

    /// Contacts of a folder (nil: every folder), oldest first.
    public func contacts(in upn: String, folder: String? = nil) throws -> [GraphContactRecord] {
        try onMailbox(upn) { mb in
            mb.contacts.values.filter { folder == nil || $0.folderID == folder }.sorted { $0.createSeq < $1.createSeq }.map(Self.record)
        }
    }

    public func contact(_ id: String, in upn: String) -> GraphContactRecord? {
        try? onMailbox(upn) { mb in mb.contacts[id].map(Self.record) }
    }

    /// The Graph id the emulator gives an item whose EWS id is `ewsID` (see `GraphIds`).
    public static func graphID(fromEWSId ewsID: String) -> String? { GraphIds.fromEWS(ewsID) }
    public static func ewsID(fromGraphId graphID: String) -> String? { GraphIds.toEWS(graphID) }

    // MARK: Seeded tenant

    /// Three users with mailboxes (Adele, Alex, Megan), a directory user without one, a group
    /// "All Company" of the three, and `contactsPerUser` contacts each. Returns the mailbox users.
    @discardableResult
    public func seedDemoTenant(contactsPerUser: Int = 3) throws -> (users: [GraphUserRecord], groupID: String) {
        let people = [("Adele Vance", "adelev", "Adele", "Vance", "Retail Manager", "Retail"),
                      ("Alex Wilber", "alexw", "Alex", "Wilber", "Marketing Assistant", "Marketing"),
                      ("Megan Bowen", "meganb", "Megan", "Bowen", "Marketing Manager", "Marketing")]
        let users = people.enumerated().map { i, p in
            addUser(displayName: p.0, mailNickname: p.1, givenName: p.2, surname: p.3, jobTitle: p.4, department: p.5,
                    officeLocation: "Building \(i + 1)", businessPhone: "+1 425 555 01\(i)0", mobilePhone: "+1 425 555 02\(i)0")
        }
        addUser(displayName: "Conf Room Adams", mailNickname: "adams", jobTitle: "Room", mailbox: false)
        let group = try addGroup(displayName: "All Company", members: users.map(\.upn))
        for u in users { try seedContacts(contactsPerUser, in: u.upn) }
        return (users, group)
    }
}
