/// FindItem, GetItem, CreateItem and DeleteItem for contacts.
enum ItemOps {
    /// Looks up an ItemId element: malformed → ErrorInvalidIdMalformed, unknown → ErrorItemNotFound.
    /// One the caller may not `need` (a delegate's or a public folder's permission) → ErrorAccessDenied.
    static func lookup(_ node: XNode, _ box: MailboxState, need: Need = .read) -> Result<StoredItem, EWSError> {
        guard let id = node.attr("Id"), EWSIds.isWellFormed(id) else { return .failure(.idMalformed) }
        guard let item = box.items[id] else { return .failure(.itemNotFound) }
        return box.check(need, item)
    }

    static func findItem(_ req: XNode, _ box: inout MailboxState, version: ExchangeVersion) -> String {
        let selection = PropertySelection(shape: req.child("ItemShape"))
        var w = XMLWriter()
        w.response("FindItem") { w in
            for node in FolderOps.ids(req.child("ParentFolderIds")) {
                if let complex = selection.requestedComplex {
                    w.failure("FindItem", EWSError(code: "ErrorInvalidPropertyRequest",
                                                   text: "The property \(complex) is not valid for this operation."))
                    continue
                }
                switch FolderOps.resolve(node, box) {
                case .success(let folder):
                    var items = box.items(in: folder.id)
                    if req.attr("Traversal") == "SoftDeleted" || req.attr("Traversal") == "Associated" { items = [] }
                    if let restriction = req.child("Restriction") { items = items.filter { Restriction.matches(restriction, $0) } }
                    items = Restriction.sort(items, by: req.child("SortOrder"))
                    let page = Paging(view: req.child("IndexedPageItemView"), total: items.count)
                    w.success("FindItem") { w in
                        w.element("m:RootFolder", page.attributes) { w in
                            w.element("t:Items") { w in
                                for item in items[page.range] {
                                    ContactRendering.render(item, selection, version: version, forFind: true, into: &w)
                                }
                            }
                        }
                    }
                case .failure(let e):
                    w.failure("FindItem", e)
                }
            }
        }
        return w.output
    }

    static func getItem(_ req: XNode, _ box: inout MailboxState, version: ExchangeVersion) -> String {
        let selection = PropertySelection(shape: req.child("ItemShape"))
        var w = XMLWriter()
        w.response("GetItem") { w in
            for node in req.child("ItemIds")?.children ?? [] {
                switch lookup(node, box) {
                case .success(let item):
                    w.success("GetItem") { w in
                        w.element("m:Items") { w in ContactRendering.render(item, selection, version: version, into: &w) }
                    }
                case .failure(let e):
                    w.failure("GetItem", e) { $0.empty("m:Items") }
                }
            }
        }
        return w.output
    }

    static func createItem(_ req: XNode, _ box: inout MailboxState) -> String {
        let target = FolderOps.ids(req.child("SavedItemFolderId")).first
        var w = XMLWriter()
        w.response("CreateItem") { w in
            for node in req.child("Items")?.children ?? [] {
                let folder: Result<StoredFolder, EWSError> = target.map { FolderOps.resolve($0, box) }
                    ?? box.folder(distinguished: "contacts").map { .success($0) } ?? .failure(.folderNotFound)
                guard case .success(let f) = folder else {
                    if case .failure(let e) = folder { w.failure("CreateItem", e) { $0.empty("m:Items") } }
                    continue
                }
                guard box.may(.write, folder: f.id) else {
                    w.failure("CreateItem", .accessDenied) { $0.empty("m:Items") }
                    continue
                }
                guard node.name == "Contact" else {
                    w.failure("CreateItem", .invalidRequest("The emulator stores Contact items only.")) { $0.empty("m:Items") }
                    continue
                }
                let item = box.createItem(ContactParsing.parse(node), in: f.id,
                                          itemClass: node.childText("ItemClass") ?? "IPM.Contact")
                w.success("CreateItem") { w in
                    w.element("m:Items") { w in w.element("t:Contact") { w in ContactRendering.itemID(item, &w) } }
                }
            }
        }
        return w.output
    }

    static func deleteItem(_ req: XNode, _ box: inout MailboxState) -> String {
        let deleteType = req.attr("DeleteType") ?? "MoveToDeletedItems"
        var w = XMLWriter()
        w.response("DeleteItem") { w in
            for node in req.child("ItemIds")?.children ?? [] {
                switch lookup(node, box, need: .write) {
                case .success(let item):
                    let trash = box.folder(distinguished: "deleteditems")
                    if deleteType == "MoveToDeletedItems", let trash, item.folderID != trash.id {
                        _ = box.moveItem(item.id, to: trash.id)
                    } else {
                        box.removeItem(item.id)
                    }
                    w.success("DeleteItem")
                case .failure(let e):
                    w.failure("DeleteItem", e)
                }
            }
        }
        return w.output
    }
}
