/// A SOAP-level fault an operation can raise (answered with HTTP 500).
struct SOAPFault: Error {
    var code: String
    var message: String
}

/// SyncFolderItems. A SyncState records (folder, mailbox epoch, change sequence): changes after that
/// sequence are returned oldest first, `MaxChangesReturned` at a time. A state of another folder, of an
/// earlier epoch (see `EWSEmulator.expireSyncStates()`) or unreadable → ErrorInvalidSyncStateData.
enum SyncOp {
    enum Change {
        case create(StoredItem), update(StoredItem), delete(Tombstone)
        var seq: Int {
            switch self {
            case .create(let i), .update(let i): return i.changeSeq
            case .delete(let t): return t.deleteSeq
            }
        }
    }

    static func run(_ req: XNode, _ box: inout MailboxState, version: ExchangeVersion) throws -> String {
        let max = Int(req.childText("MaxChangesReturned") ?? "") ?? 0
        guard (1...512).contains(max) else {
            throw SOAPFault(code: "ErrorSchemaValidation",
                            message: "The request failed schema validation: The 'MaxChangesReturned' element is invalid - The value '\(max)' is invalid according to its datatype.")
        }
        let selection = PropertySelection(shape: req.child("ItemShape"))
        let ignore = Set(req.child("Ignore")?.all("ItemId").compactMap { $0.attr("Id") } ?? [])
        var w = XMLWriter()
        w.response("SyncFolderItems") { w in
            let failTail: (inout XMLWriter) -> Void = { w in
                w.empty("m:SyncState")
                w.leaf("m:IncludesLastItemInRange", "true")
            }
            guard let folderNode = FolderOps.ids(req.child("SyncFolderId")).first else {
                w.failure("SyncFolderItems", .folderNotFound, failTail); return
            }
            let folder: StoredFolder
            switch FolderOps.resolve(folderNode, box) {
            case .success(let f): folder = f
            case .failure(let e): w.failure("SyncFolderItems", e, failTail); return
            }
            var since = 0
            if let text = req.childText("SyncState"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let state = EWSIds.decodeSyncState(text), state.folderID == folder.id,
                      state.epoch == box.syncEpoch, state.seq <= box.seq else {
                    w.failure("SyncFolderItems", .invalidSyncState, failTail); return
                }
                since = state.seq
            }
            let all = changes(in: folder.id, since: since, box).filter { change in
                if case .delete(let t) = change { return !ignore.contains(t.id) }
                if case .create(let i) = change { return !ignore.contains(i.id) }
                if case .update(let i) = change { return !ignore.contains(i.id) }
                return true
            }
            let batch = Array(all.prefix(max))
            let last = batch.count == all.count
            let newSeq = last ? box.seq : batch.last!.seq
            let state = EWSIds.encode(.init(folderID: folder.id, epoch: box.syncEpoch, seq: newSeq))
            w.success("SyncFolderItems") { w in
                w.leaf("m:SyncState", state)
                w.leaf("m:IncludesLastItemInRange", last ? "true" : "false")
                w.element("m:Changes") { w in
                    for change in batch {
                        switch change {
                        case .create(let item):
                            w.element("t:Create") { w in ContactRendering.render(item, selection, version: version, into: &w) }
                        case .update(let item):
                            w.element("t:Update") { w in ContactRendering.render(item, selection, version: version, into: &w) }
                        case .delete(let t):
                            w.element("t:Delete") { w in w.empty("t:ItemId", [("Id", t.id), ("ChangeKey", t.changeKey)]) }
                        }
                    }
                }
            }
        }
        return w.output
    }

    static func changes(in folderID: String, since: Int, _ box: MailboxState) -> [Change] {
        var out: [Change] = []
        for item in box.items(in: folderID) where item.changeSeq > since {
            out.append(item.createdSeq > since ? .create(item) : .update(item))
        }
        for t in box.tombstones where t.folderID == folderID && t.deleteSeq > since && t.createdSeq <= since {
            out.append(.delete(t))
        }
        return out.sorted { $0.seq < $1.seq }
    }
}
