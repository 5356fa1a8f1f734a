import Foundation

/// A contact as a test sees it.
public struct EWSContactRecord: Sendable, Equatable {
    public let id: String
    public let changeKey: String
    public let folderID: String
    public let contact: EWSContact
    public let attachments: [EWSAttachmentRecord]
    public var hasPicture: Bool { attachments.contains { $0.isContactPhoto } }
}

public struct EWSAttachmentRecord: Sendable, Equatable {
    public let id: String
    public let name: String
    public let contentType: String
    public let isContactPhoto: Bool
    public let content: Data
}

public struct EWSFolderRecord: Sendable, Equatable {
    public let id: String
    public let changeKey: String
    public let displayName: String
    public let folderClass: String?
    public let parentID: String?
    public let distinguishedName: String?
    public let totalCount: Int
}

public enum EWSEmulatorError: Error, Equatable {
    case unknownMailbox(String)
    case unknownFolder(String)
    case unknownItem(String)
}

/// Seed, inspect and edit helpers: a test plays "another client" with these. Each change bumps the
/// ChangeKey and shows up in SyncFolderItems exactly like a change made through EWS.
extension EWSEmulator {
    func onMailbox<T>(_ email: String, _ body: (inout MailboxState) throws -> T) throws -> T {
        guard let result = try store.with(email, body) else { throw EWSEmulatorError.unknownMailbox(email) }
        return result
    }

    static func folderID(_ spec: String?, _ box: MailboxState) throws -> String {
        let spec = spec ?? "contacts"
        if let f = box.folders[spec] ?? box.folder(distinguished: spec) { return f.id }
        throw EWSEmulatorError.unknownFolder(spec)
    }

    static func record(_ item: StoredItem) -> EWSContactRecord {
        EWSContactRecord(id: item.id, changeKey: item.changeKey, folderID: item.folderID, contact: item.contact,
                         attachments: item.attachments.map {
                             EWSAttachmentRecord(id: $0.id, name: $0.name, contentType: $0.contentType,
                                                 isContactPhoto: $0.isContactPhoto, content: Data($0.content))
                         })
    }

    /// Creates a contact in `folder` (folder id or distinguished name; default: Contacts).
    @discardableResult
    public func createContact(_ contact: EWSContact, in mailbox: String, folder: String? = nil) throws -> EWSContactRecord {
        try onMailbox(mailbox) { box in
            Self.record(box.createItem(contact, in: try Self.folderID(folder, box)))
        }
    }

    /// Creates `count` numbered contacts (name, e-mail, mobile phone, company).
    @discardableResult
    public func seedContacts(_ count: Int, in mailbox: String, folder: String? = nil) throws -> [EWSContactRecord] {
        try (1...max(count, 1)).prefix(count).map { n in
            var c = EWSContact(givenName: "Seed\(n)", surname: "Contact", email: "seed\(n)@example.org", companyName: "Seed Corp")
            c.phoneNumbers["MobilePhone"] = "+1 555 01\(String(format: "%02d", n % 100))"
            return try createContact(c, in: mailbox, folder: folder)
        }
    }

    /// Edits a contact in place (do not call the emulator from `edit`).
    @discardableResult
    public func updateContact(id: String, in mailbox: String, _ edit: (inout EWSContact) -> Void) throws -> EWSContactRecord {
        try onMailbox(mailbox) { box in
            guard box.items[id] != nil else { throw EWSEmulatorError.unknownItem(id) }
            edit(&box.items[id]!.contact)
            box.touch(id)
            return Self.record(box.items[id]!)
        }
    }

    /// Deletes a contact (hard delete: SyncFolderItems reports a Delete).
    public func deleteContact(id: String, in mailbox: String) throws {
        try onMailbox(mailbox) { box in
            guard box.removeItem(id) != nil else { throw EWSEmulatorError.unknownItem(id) }
        }
    }

    /// Contacts of a folder (default: Contacts), in creation order.
    public func contacts(in mailbox: String, folder: String? = nil) throws -> [EWSContactRecord] {
        try onMailbox(mailbox) { box in box.items(in: try Self.folderID(folder, box)).map(Self.record) }
    }

    public func contact(id: String, in mailbox: String) -> EWSContactRecord? {
        (try? onMailbox(mailbox) { box in box.items[id].map(Self.record) }) ?? nil
    }

    /// Adds a contacts subfolder (default parent: Contacts).
    @discardableResult
    public func addContactsFolder(named name: String, in mailbox: String, parent: String? = nil) throws -> EWSFolderRecord {
        try onMailbox(mailbox) { box in
            let id = box.addFolder(parent: try Self.folderID(parent, box), name: name, folderClass: "IPF.Contact")
            return Self.folderRecord(box.folders[id]!, box)
        }
    }

    public func folders(in mailbox: String) throws -> [EWSFolderRecord] {
        try onMailbox(mailbox) { box in box.folderOrder.map { Self.folderRecord(box.folders[$0]!, box) } }
    }

    static func folderRecord(_ f: StoredFolder, _ box: MailboxState) -> EWSFolderRecord {
        EWSFolderRecord(id: f.id, changeKey: f.changeKey, displayName: f.displayName, folderClass: f.folderClass,
                        parentID: f.parentID, distinguishedName: f.distinguished, totalCount: box.items(in: f.id).count)
    }

    /// Sets (replaces) the contact photo, like Outlook: a FileAttachment with IsContactPhoto.
    @discardableResult
    public func setContactPhoto(id: String, in mailbox: String, data: Data, contentType: String = "image/jpeg") throws -> EWSContactRecord {
        try onMailbox(mailbox) { box in
            guard box.items[id] != nil else { throw EWSEmulatorError.unknownItem(id) }
            let att = StoredAttachment(id: EWSIds.attachmentID(mailbox: box.guid, counter: box.nextCounter()),
                                       name: "ContactPicture.jpg", contentType: contentType, content: [UInt8](data),
                                       isContactPhoto: true, isInline: false, contentID: nil, lastModified: Date())
            box.items[id]!.attachments.removeAll { $0.isContactPhoto }
            box.items[id]!.attachments.append(att)
            box.touch(id)
            return Self.record(box.items[id]!)
        }
    }
}
