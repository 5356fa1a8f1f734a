/// GetFolder, FindFolder, CreateFolder and folder-id resolution.
enum FolderOps {
    /// Resolves a FolderId or DistinguishedFolderId element.
    static func resolve(_ node: XNode, _ box: MailboxState) -> Result<StoredFolder, EWSError> {
        if node.name == "DistinguishedFolderId" {
            if let mbx = node.path("Mailbox", "EmailAddress")?.text,
               mbx.caseInsensitiveCompare(box.email) != .orderedSame {
                return .failure(.accessDenied)
            }
            guard let id = node.attr("Id"), let f = box.folder(distinguished: id) else { return .failure(.folderNotFound) }
            return box.may(.read, folder: f.id) ? .success(f) : .failure(.accessDenied)
        }
        guard let id = node.attr("Id") else { return .failure(.invalidRequest("FolderId is missing its Id.")) }
        guard EWSIds.isWellFormed(id) else { return .failure(.idMalformed) }
        guard let f = box.folders[id] else { return .failure(.folderNotFound) }
        return box.may(.read, folder: f.id) ? .success(f) : .failure(.accessDenied)
    }

    /// IdOnly without AdditionalProperties: only FolderId comes back.
    static func idOnlyShape(_ shape: XNode?) -> Bool {
        shape?.childText("BaseShape") == "IdOnly" && (shape?.child("AdditionalProperties")?.children.isEmpty ?? true)
    }

    /// The folder-id elements (FolderId / DistinguishedFolderId) of a container.
    static func ids(_ container: XNode?) -> [XNode] {
        container?.children.filter { $0.name == "FolderId" || $0.name == "DistinguishedFolderId" } ?? []
    }

    static func elementName(_ f: StoredFolder) -> String {
        switch f.folderClass ?? "" {
        case let c where c.hasPrefix("IPF.Contact"): return "t:ContactsFolder"
        case let c where c.hasPrefix("IPF.Appointment"): return "t:CalendarFolder"
        case let c where c.hasPrefix("IPF.Task"): return "t:TasksFolder"
        default: return "t:Folder"
        }
    }

    static func render(_ f: StoredFolder, _ box: MailboxState, version: ExchangeVersion, idOnly: Bool, into w: inout XMLWriter) {
        let name = elementName(f)
        w.element(name) { w in
            w.empty("t:FolderId", [("Id", f.id), ("ChangeKey", f.changeKey)])
            if idOnly { return }
            if let p = f.parentID, let parent = box.folders[p] {
                w.empty("t:ParentFolderId", [("Id", parent.id), ("ChangeKey", parent.changeKey)])
            }
            w.leaf("t:FolderClass", f.folderClass)
            w.leaf("t:DisplayName", f.displayName)
            w.leaf("t:TotalCount", "\(box.items(in: f.id).count)")
            w.leaf("t:ChildFolderCount", "\(box.childFolders(of: f.id, deep: false).count)")
            w.element("t:EffectiveRights") { w in
                let write = box.may(.write, folder: f.id) ? "true" : "false"
                for (k, v) in [("CreateAssociated", write), ("CreateContents", write), ("CreateHierarchy", write),
                               ("Delete", write), ("Modify", write), ("Read", "true")] { w.leaf("t:\(k)", v) }
                if version != .exchange2010SP2 { w.leaf("t:ViewPrivateItems", "true") }
            }
            if let d = f.distinguished, version == .exchange2016 || version == .exchange2019 {
                w.leaf("t:DistinguishedFolderId", d)
            }
            if name == "t:Folder" { w.leaf("t:UnreadCount", "0") }
        }
    }

    static func getFolder(_ req: XNode, _ box: inout MailboxState, version: ExchangeVersion) -> String {
        let idOnly = idOnlyShape(req.child("FolderShape"))
        var w = XMLWriter()
        w.response("GetFolder") { w in
            for node in ids(req.child("FolderIds")) {
                switch resolve(node, box) {
                case .success(let f):
                    w.success("GetFolder") { w in
                        w.element("m:Folders") { w in render(f, box, version: version, idOnly: idOnly, into: &w) }
                    }
                case .failure(let e):
                    w.failure("GetFolder", e) { $0.empty("m:Folders") }
                }
            }
        }
        return w.output
    }

    static func findFolder(_ req: XNode, _ box: inout MailboxState, version: ExchangeVersion) -> String {
        let deep = req.attr("Traversal") == "Deep"
        let idOnly = idOnlyShape(req.child("FolderShape"))
        let view = req.child("IndexedPageFolderView")
        var w = XMLWriter()
        w.response("FindFolder") { w in
            for node in ids(req.child("ParentFolderIds")) {
                switch resolve(node, box) {
                case .success(let parent):
                    // A delegate sees only the folders shared with them.
                    let all = box.childFolders(of: parent.id, deep: deep).filter { box.may(.read, folder: $0.id) }
                    let page = Paging(view: view, total: all.count)
                    w.success("FindFolder") { w in
                        w.element("m:RootFolder", page.attributes) { w in
                            w.element("t:Folders") { w in
                                for f in all[page.range] { render(f, box, version: version, idOnly: idOnly, into: &w) }
                            }
                        }
                    }
                case .failure(let e):
                    w.failure("FindFolder", e)
                }
            }
        }
        return w.output
    }

    static func createFolder(_ req: XNode, _ box: inout MailboxState, version: ExchangeVersion) -> String {
        let parentNode = ids(req.child("ParentFolderId")).first
        var w = XMLWriter()
        w.response("CreateFolder") { w in
            for folder in req.child("Folders")?.children ?? [] {
                guard let parentNode, case .success(let parent) = resolve(parentNode, box) else {
                    w.failure("CreateFolder", .folderNotFound) { $0.empty("m:Folders") }
                    continue
                }
                guard box.may(.write, folder: parent.id) else {
                    w.failure("CreateFolder", .accessDenied) { $0.empty("m:Folders") }
                    continue
                }
                let name = folder.childText("DisplayName") ?? "New Folder"
                if box.childFolders(of: parent.id, deep: false).contains(where: { $0.displayName == name }) {
                    w.failure("CreateFolder", EWSError(code: "ErrorFolderExists", text: "A folder with the specified name already exists.")) {
                        $0.empty("m:Folders")
                    }
                    continue
                }
                let cls = folder.childText("FolderClass") ?? (folder.name == "ContactsFolder" ? "IPF.Contact" : "IPF.Note")
                let id = box.addFolder(parent: parent.id, name: name, folderClass: cls)
                w.success("CreateFolder") { w in
                    w.element("m:Folders") { w in render(box.folders[id]!, box, version: version, idOnly: true, into: &w) }
                }
            }
        }
        return w.output
    }
}

/// IndexedPageItemView / IndexedPageFolderView paging (BasePoint Beginning or End).
struct Paging {
    var range: Range<Int>
    var total: Int

    init(view: XNode?, total: Int) {
        self.total = total
        guard let view else { range = 0..<total; return }
        let offset = max(0, Int(view.attr("Offset") ?? "0") ?? 0)
        let maxEntries = Int(view.attr("MaxEntriesReturned") ?? "") ?? total
        if view.attr("BasePoint") == "End" {
            let end = max(0, total - offset)
            range = max(0, end - maxEntries)..<end
        } else {
            let start = min(offset, total)
            range = start..<min(total, start + max(0, maxEntries))
        }
    }

    var includesLast: Bool { range.upperBound >= total }

    var attributes: [(String, String?)] {
        [("IndexedPagingOffset", "\(range.upperBound)"), ("TotalItemsInView", "\(total)"),
         ("IncludesLastItemInRange", includesLast ? "true" : "false")]
    }
}
