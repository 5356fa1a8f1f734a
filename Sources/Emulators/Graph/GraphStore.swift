import Foundation
import Synchronization

/// A personal contact as stored: the client-settable properties as JSON (so every property a
/// client sends round-trips), the single-value extended properties, the photo and the change
/// bookkeeping that change keys and delta tokens come from.
struct GraphStoredContact: Sendable {
    var id: String
    var folderID: String
    var fields: [String: JSONValue]
    /// Single-value extended properties, id (as first written) → value.
    var extended: [(id: String, value: String)] = []
    var photo: [UInt8]?
    var version = 1
    var changeKey: String
    var created: Date
    var modified: Date
    var changeSeq: Int
    var createSeq: Int
    var etag: String { "W/\"\(changeKey)\"" }
}

struct GraphContactTombstone: Sendable { var id: String, folderID: String, seq: Int }

struct GraphStoredFolder: Sendable {
    var id: String
    var displayName: String
    /// nil for the default Contacts folder (its parent is the mailbox root, never listed).
    var parentID: String?
    var createSeq: Int
}

/// A delta round frozen at its first page, so later pages neither skip nor repeat items.
struct DeltaRound: Sendable {
    var folderID: String
    /// (id, removed) in change order.
    var entries: [(id: String, removed: Bool)]
    var select: [String]?
    var pageSize: Int
    /// The deltaLink token handed out after the last page.
    var endSeq: Int
}

/// One mailbox's contacts, folders and change log. Mutated only under the tenant's lock.
struct GraphMailbox: Sendable {
    let userID: String
    /// The mailbox's id bytes (a mailbox shared with the EWS emulator takes that one's, see `SharedMailbox`).
    var guid: [UInt8]
    var folders: [String: GraphStoredFolder] = [:]
    var defaultFolderID = ""
    var contacts: [String: GraphStoredContact] = [:]
    var tombstones: [GraphContactTombstone] = []
    var seq = 0
    var counter = 0
    var deltaEpoch = 1
    var rounds: [String: DeltaRound] = [:]

    init(userID: String, now: Date) {
        self.userID = userID
        guid = (0..<16).map { _ in UInt8.random(in: 0...255) }
        defaultFolderID = newID(folder: true)
        folders[defaultFolderID] = GraphStoredFolder(id: defaultFolderID, displayName: "Contacts", parentID: nil, createSeq: 0)
    }

    mutating func nextSeq() -> Int { seq += 1; return seq }

    /// Ids shaped like Exchange's immutable REST ids: base64url of an entry-id-like blob. They are
    /// the EWS emulator's id bytes re-encoded, see `GraphIds`.
    mutating func newID(folder: Bool = false) -> String {
        counter += 1
        return GraphIds.make(mailbox: guid, counter: counter, folder: folder)
    }

    static func newChangeKey() -> String {
        Data((0..<20).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    mutating func createContact(_ fields: [String: JSONValue], extended: [(id: String, value: String)], folder: String,
                                id: String? = nil, now: Date) -> GraphStoredContact {
        let id = id ?? newID()
        let s = nextSeq()
        let c = GraphStoredContact(id: id, folderID: folder, fields: fields, extended: extended, changeKey: Self.newChangeKey(),
                                   created: now, modified: now, changeSeq: s, createSeq: s)
        contacts[id] = c
        return c
    }

    /// Applies `edit` and gives the contact a new change key and a new place in the change log.
    mutating func touch(_ id: String, now: Date, _ edit: (inout GraphStoredContact) -> Void = { _ in }) {
        guard var c = contacts[id] else { return }
        edit(&c)
        c.version += 1
        c.changeKey = Self.newChangeKey()
        c.modified = now
        c.changeSeq = nextSeq()
        contacts[id] = c
    }

    mutating func deleteContact(_ id: String) -> Bool {
        guard let c = contacts.removeValue(forKey: id) else { return false }
        tombstones.append(GraphContactTombstone(id: id, folderID: c.folderID, seq: nextSeq()))
        return true
    }

    func contacts(in folder: String) -> [GraphStoredContact] {
        contacts.values.filter { $0.folderID == folder }.sorted { $0.createSeq < $1.createSeq }
    }

    func childFolders(of parent: String) -> [GraphStoredFolder] {
        folders.values.filter { $0.parentID == parent }.sorted { $0.createSeq < $1.createSeq }
    }
}

/// A directory user (Entra ID), with or without a mailbox.
struct GraphUser: Sendable {
    var id: String
    var fields: [String: JSONValue]
    var photo: [UInt8]?
    var changeSeq: Int
    var createSeq: Int
    var upn: String { fields["userPrincipalName"]?.string ?? id }
    var mail: String? { fields["mail"]?.string }
}

struct GraphGroup: Sendable {
    var id: String
    var displayName: String
    var mail: String?
    var members: [String]
    var createSeq: Int
}

/// The whole tenant: directory, groups and mailboxes behind one lock, so every request (and every
/// `$batch` member) runs atomically.
struct GraphTenant: Sendable {
    var users: [String: GraphUser] = [:]
    var removedUsers: [(id: String, seq: Int)] = []
    var groups: [String: GraphGroup] = [:]
    var mailboxes: [String: GraphMailbox] = [:]
    /// Mailboxes served from an EWS emulator's mailbox (`GraphEmulator.shareMailbox`).
    var sharedMailboxes: [String: SharedMailbox] = [:]
    var directorySeq = 0
    var directoryEpoch = 1

    mutating func nextDirectorySeq() -> Int { directorySeq += 1; return directorySeq }

    /// A user by object id or UPN (case-insensitive), as `/users/{id|upn}` resolves it.
    func userID(_ key: String) -> String? {
        if users[key] != nil { return key }
        let lower = key.lowercased()
        return users.values.first { $0.upn.lowercased() == lower || $0.mail?.lowercased() == lower || $0.id.lowercased() == lower }?.id
    }

    func usersInOrder() -> [GraphUser] { users.values.sorted { $0.createSeq < $1.createSeq } }
}

final class GraphStore: Sendable {
    private let tenant = Mutex(GraphTenant())

    func with<T: Sendable, E: Error>(_ body: (inout GraphTenant) throws(E) -> T) throws(E) -> T {
        try tenant.withLock { (t) throws(E) -> T in try body(&t) }
    }
}
