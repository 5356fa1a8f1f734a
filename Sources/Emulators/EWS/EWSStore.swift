import Foundation
import Synchronization

struct StoredFolder: Sendable {
    var id: String
    var changeKey: String
    var version = 1
    var parentID: String?
    var displayName: String
    var folderClass: String?
    var distinguished: String?
}

struct StoredAttachment: Sendable {
    var id: String
    var name: String
    var contentType: String
    var content: [UInt8]
    var isContactPhoto: Bool
    var isInline: Bool
    var contentID: String?
    var lastModified: Date
}

struct StoredItem: Sendable {
    var id: String
    var folderID: String
    var version: Int
    var changeKey: String
    var createdSeq: Int
    var changeSeq: Int
    var created: Date
    var modified: Date
    var itemClass = "IPM.Contact"
    var contact: EWSContact
    var attachments: [StoredAttachment] = []
    var hasPicture: Bool { attachments.contains { $0.isContactPhoto } }
}

struct Tombstone: Sendable {
    var id: String
    var changeKey: String
    var folderID: String
    var createdSeq: Int
    var deleteSeq: Int
}

/// One mailbox: folders, items, change log. Mutated only under the store's lock.
struct MailboxState: Sendable {
    let email: String
    var user: String
    var password: String
    var domain: String
    var displayName: String
    var bearerTokens: Set<String> = []
    let guid: [UInt8] = EWSIds.random(16)
    var folders: [String: StoredFolder] = [:]
    var folderOrder: [String] = []
    var items: [String: StoredItem] = [:]
    var itemOrder: [String] = []
    var tombstones: [Tombstone] = []
    var seq = 0
    var syncEpoch = 1
    var counter = 0
    /// Who else may open this mailbox (Mailboxes.swift); `rights` are the current request's.
    var access = MailboxAccess()
    var rights = CallerRights.owner
    /// The public folder hierarchy, not a user's mailbox: nobody signs in as it.
    var isPublicStore = false

    init(email: String, user: String, password: String, domain: String, displayName: String) {
        self.email = email; self.user = user; self.password = password
        self.domain = domain; self.displayName = displayName
        let root = addFolder(parent: nil, name: "", folderClass: nil, distinguished: "root")
        let top = addFolder(parent: root, name: "Top of Information Store", folderClass: nil, distinguished: "msgfolderroot")
        for (name, cls, dist) in [("Inbox", "IPF.Note", "inbox"), ("Calendar", "IPF.Appointment", "calendar"),
                                  ("Contacts", "IPF.Contact", "contacts"), ("Deleted Items", "IPF.Note", "deleteditems"),
                                  ("Drafts", "IPF.Note", "drafts"), ("Sent Items", "IPF.Note", "sentitems"),
                                  ("Tasks", "IPF.Task", "tasks")] {
            addFolder(parent: top, name: name, folderClass: cls, distinguished: dist)
        }
    }

    mutating func nextCounter() -> Int { counter += 1; return counter }
    mutating func nextSeq() -> Int { seq += 1; return seq }

    @discardableResult
    mutating func addFolder(parent: String?, name: String, folderClass: String?, distinguished: String? = nil) -> String {
        let id = EWSIds.folderID(mailbox: guid, counter: nextCounter())
        folders[id] = StoredFolder(id: id, changeKey: EWSIds.changeKey(mailbox: guid, version: 1), parentID: parent,
                                   displayName: name, folderClass: folderClass, distinguished: distinguished)
        folderOrder.append(id)
        return id
    }

    func folder(distinguished: String) -> StoredFolder? {
        folders.values.first { $0.distinguished == distinguished.lowercased() }
    }

    func childFolders(of id: String, deep: Bool) -> [StoredFolder] {
        var out: [StoredFolder] = []
        for fid in folderOrder where folders[fid]?.parentID == id {
            out.append(folders[fid]!)
            if deep { out += childFolders(of: fid, deep: true) }
        }
        return out
    }

    func items(in folderID: String) -> [StoredItem] {
        itemOrder.compactMap { items[$0] }.filter { $0.folderID == folderID }
    }

    mutating func createItem(_ contact: EWSContact, in folderID: String, itemClass: String = "IPM.Contact",
                             now: Date = Date()) -> StoredItem {
        let seq = nextSeq()
        var contact = contact
        Self.fillDefaults(&contact)
        let item = StoredItem(id: EWSIds.itemID(mailbox: guid, counter: nextCounter()), folderID: folderID, version: 1,
                              changeKey: EWSIds.changeKey(mailbox: guid, version: seq), createdSeq: seq, changeSeq: seq,
                              created: now, modified: now, itemClass: itemClass, contact: contact)
        items[item.id] = item
        itemOrder.append(item.id)
        return item
    }

    /// Records a change: new ChangeKey, new change sequence (seen by SyncFolderItems as Update).
    mutating func touch(_ id: String, now: Date = Date()) {
        guard var item = items[id] else { return }
        let seq = nextSeq()
        item.version += 1
        item.changeSeq = seq
        item.changeKey = EWSIds.changeKey(mailbox: guid, version: seq)
        item.modified = now
        items[id] = item
    }

    /// Removes an item, leaving a tombstone for SyncFolderItems.
    @discardableResult
    mutating func removeItem(_ id: String) -> StoredItem? {
        guard let item = items.removeValue(forKey: id) else { return nil }
        itemOrder.removeAll { $0 == id }
        tombstones.append(Tombstone(id: id, changeKey: item.changeKey, folderID: item.folderID,
                                    createdSeq: item.createdSeq, deleteSeq: nextSeq()))
        return item
    }

    /// Moves an item: like Exchange, the moved copy gets a new ItemId.
    mutating func moveItem(_ id: String, to folderID: String) -> StoredItem? {
        guard let item = removeItem(id) else { return nil }
        var moved = createItem(item.contact, in: folderID, itemClass: item.itemClass)
        moved.attachments = item.attachments
        items[moved.id] = moved
        return moved
    }

    /// DisplayName, FileAs and Subject defaults Exchange fills in on create.
    static func fillDefaults(_ c: inout EWSContact) {
        let name = [c.givenName, c.middleName, c.surname].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        if c.displayName == nil || c.displayName?.isEmpty == true {
            c.displayName = !name.isEmpty ? name : (c.companyName ?? c.emailAddresses["EmailAddress1"] ?? "")
        }
        if c.fileAs == nil {
            if let s = c.surname, !s.isEmpty {
                c.fileAs = [s, c.givenName].compactMap { $0 }.joined(separator: ", ")
            } else {
                c.fileAs = c.displayName
            }
        }
    }
}

/// All mailboxes of one emulator, behind one lock: each operation is atomic.
final class EWSStore: Sendable {
    private let state = Mutex<[String: MailboxState]>([:])

    func add(_ mailbox: MailboxState) { state.withLock { $0[mailbox.email.lowercased()] = mailbox } }

    var emails: [String] { state.withLock { $0.values.map(\.email).sorted() } }

    func contains(_ email: String) -> Bool { state.withLock { $0[email.lowercased()] != nil } }

    func accounts() -> [AuthAccount] {
        state.withLock { boxes in
            boxes.values.filter { !$0.isPublicStore }.map {
                AuthAccount(id: $0.email.lowercased(), user: $0.user, email: $0.email, password: $0.password,
                            domain: $0.domain, bearerTokens: $0.bearerTokens)
            }
        }
    }

    /// Runs `body` on a mailbox under the lock; nil when the mailbox does not exist.
    func with<T>(_ email: String, _ body: (inout MailboxState) throws -> T) rethrows -> T? {
        try state.withLock { boxes in
            guard var box = boxes[email.lowercased()] else { return nil }
            defer { boxes[email.lowercased()] = box }
            return try body(&box)
        }
    }

    /// The mailbox whose GUID an item, folder or attachment id carries.
    func email(ofGuid guid: [UInt8]) -> String? {
        state.withLock { $0.values.first { $0.guid == guid }?.email }
    }

    func forEach(_ body: (inout MailboxState) -> Void) {
        state.withLock { boxes in
            for key in boxes.keys { body(&boxes[key]!) }
        }
    }
}
