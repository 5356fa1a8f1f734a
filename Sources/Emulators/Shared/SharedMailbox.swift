import Foundation

/// One Exchange mailbox served by both emulators, as Exchange Online serves one mailbox through
/// EWS and Graph: the Graph emulator reads and writes the EWS emulator's mailbox (its Contacts
/// folder and the folders below it).
///
/// Before each Graph request on the mailbox, its Graph view is rebuilt from the EWS mailbox;
/// after it, what the request changed is written back, under both locks (Graph's, then EWS's;
/// the EWS emulator never takes Graph's), so each request stays atomic for both protocols.
/// Ids follow `GraphIds`: the Graph id of an item or folder is its EWS id's bytes in base64url,
/// which is what `translateExchangeIds` answers. Change keys are shared (an item's Graph
/// `changeKey` is its EWS ChangeKey), and so is the change log: a change made through either
/// protocol shows in EWS SyncFolderItems and in Graph delta alike.
final class SharedMailbox: Sendable {
    let store: EWSStore
    let email: String

    init(store: EWSStore, email: String) {
        self.store = store
        self.email = email
    }

    static func graphID(_ ewsID: String) -> String { GraphIds.fromEWS(ewsID) ?? ewsID }
    static func ewsID(_ graphID: String) -> String { GraphIds.toEWS(graphID) ?? graphID }

    /// Rebuilds `mb`'s folders, contacts, tombstones and counters from the EWS mailbox (delta
    /// rounds and the delta token epoch are Graph's own and stay).
    func load(into mb: inout GraphMailbox) {
        _ = store.with(email) { box in
            guard let root = box.folder(distinguished: "contacts") else { return }
            mb.guid = box.guid
            mb.counter = box.counter
            mb.seq = box.seq
            mb.defaultFolderID = Self.graphID(root.id)
            var folders = [mb.defaultFolderID: GraphStoredFolder(id: mb.defaultFolderID, displayName: root.displayName, parentID: nil, createSeq: 0)]
            for f in box.childFolders(of: root.id, deep: true) where f.folderClass == nil || f.folderClass == "IPF.Contact" {
                let id = Self.graphID(f.id)
                folders[id] = GraphStoredFolder(id: id, displayName: f.displayName, parentID: f.parentID.map(Self.graphID),
                                                createSeq: box.folderOrder.firstIndex(of: f.id) ?? 0)
            }
            mb.folders = folders
            var contacts: [String: GraphStoredContact] = [:]
            for item in box.items.values where item.itemClass.hasPrefix("IPM.Contact") {
                let fid = Self.graphID(item.folderID)
                guard folders[fid] != nil else { continue }
                let id = Self.graphID(item.id)
                contacts[id] = GraphStoredContact(
                    id: id, folderID: fid, fields: MailboxContactForms.graphFields(item.contact),
                    extended: MailboxContactForms.graphExtended(item.contact),
                    photo: item.attachments.first(where: \.isContactPhoto)?.content, version: item.version,
                    changeKey: item.changeKey, created: item.created, modified: item.modified, changeSeq: item.changeSeq,
                    createSeq: item.createdSeq)
            }
            mb.contacts = contacts
            mb.tombstones = box.tombstones.compactMap { t in
                let fid = Self.graphID(t.folderID)
                return folders[fid] == nil ? nil : GraphContactTombstone(id: Self.graphID(t.id), folderID: fid, seq: t.deleteSeq)
            }
        }
    }

    /// Writes back to the EWS mailbox what a Graph request changed in `mb` since `before` (the
    /// state `load` gave it).
    func save(_ mb: GraphMailbox, since before: GraphMailbox) {
        _ = store.with(email) { box in
            box.counter = max(box.counter, mb.counter)
            box.seq = max(box.seq, mb.seq)
            for (id, f) in mb.folders.sorted(by: { $0.value.createSeq < $1.value.createSeq }) where before.folders[id] == nil {
                let eid = Self.ewsID(id)
                box.folders[eid] = StoredFolder(
                    id: eid, changeKey: EWSIds.changeKey(mailbox: box.guid, version: 1),
                    parentID: Self.ewsID(f.parentID ?? mb.defaultFolderID), displayName: f.displayName, folderClass: "IPF.Contact")
                box.folderOrder.append(eid)
            }
            for id in before.contacts.keys where mb.contacts[id] == nil {
                let eid = Self.ewsID(id)
                guard let old = box.items.removeValue(forKey: eid) else { continue }
                box.itemOrder.removeAll { $0 == eid }
                let seq = mb.tombstones.last(where: { $0.id == id })?.seq ?? box.nextSeq()
                box.tombstones.append(Tombstone(id: eid, changeKey: old.changeKey, folderID: old.folderID, createdSeq: old.createdSeq,
                                                deleteSeq: seq))
            }
            for id in before.folders.keys where mb.folders[id] == nil {
                let eid = Self.ewsID(id)
                box.folders[eid] = nil
                box.folderOrder.removeAll { $0 == eid }
            }
            for (id, c) in mb.contacts.sorted(by: { $0.value.createSeq < $1.value.createSeq }) {
                if let old = before.contacts[id], old.changeSeq == c.changeSeq, old.folderID == c.folderID { continue }
                let eid = Self.ewsID(id)
                let existing = box.items[eid]
                var item = existing ?? StoredItem(
                    id: eid, folderID: Self.ewsID(c.folderID), version: c.version, changeKey: c.changeKey, createdSeq: c.createSeq,
                    changeSeq: c.changeSeq, created: c.created, modified: c.modified, contact: EWSContact())
                item.folderID = Self.ewsID(c.folderID)
                item.version = c.version
                item.changeKey = c.changeKey
                item.changeSeq = c.changeSeq
                item.modified = c.modified
                item.contact = MailboxContactForms.ewsContact(c.fields, extended: c.extended, keeping: item.contact)
                let photo = item.attachments.first(where: \.isContactPhoto)?.content
                if photo != c.photo {
                    item.attachments.removeAll(where: \.isContactPhoto)
                    if let bytes = c.photo {
                        item.attachments.append(StoredAttachment(
                            id: EWSIds.attachmentID(mailbox: box.guid, counter: box.nextCounter()), name: "ContactPicture.jpg",
                            contentType: "image/jpeg", content: bytes, isContactPhoto: true, isInline: false, contentID: nil,
                            lastModified: c.modified))
                    }
                }
                if existing == nil { box.itemOrder.append(eid) }
                box.items[eid] = item
            }
        }
    }
}

extension GraphTenant {
    /// Runs `body` on a user's mailbox (which must exist); a mailbox shared with an EWS emulator
    /// is loaded from it before and written back after, even when `body` throws midway.
    mutating func onMailbox<T, E: Error>(_ id: String, _ body: (inout GraphMailbox) throws(E) -> T) throws(E) -> T {
        var mb = mailboxes[id]!
        let shared = sharedMailboxes[id]
        shared?.load(into: &mb)
        let before = mb
        defer {
            shared?.save(mb, since: before)
            mailboxes[id] = mb
        }
        return try body(&mb)
    }
}

extension GraphEmulator {
    /// Serves the mailbox of `upn` (a user of this tenant) from the EWS emulator's mailbox
    /// `email`: one mailbox, two protocols, as in Exchange Online. What the Graph mailbox held
    /// before is dropped. The EWS emulator's own requests are unaffected.
    public func shareMailbox(_ upn: String, with ews: EWSEmulator, email: String) throws {
        guard ews.store.contains(email) else { throw GraphEmulatorError.noMailbox(email) }
        let shared = SharedMailbox(store: ews.store, email: email)
        try store.with { (t: inout GraphTenant) throws(GraphEmulatorError) in
            guard let id = t.userID(upn) else { throw .unknownUser(upn) }
            guard t.mailboxes[id] != nil else { throw .noMailbox(upn) }
            t.sharedMailboxes[id] = shared
            t.onMailbox(id) { (mb: inout GraphMailbox) in
                mb.rounds = [:]
                mb.deltaEpoch += 1
            }
        }
    }
}
