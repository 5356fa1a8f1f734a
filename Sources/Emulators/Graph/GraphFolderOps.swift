import Foundation

/// Contact folders (`/contactFolders` lists the folders under the default Contacts folder,
/// `/childFolders` those under any folder) and `translateExchangeIds`.
enum GraphFolderOps {
    static func render(_ f: GraphStoredFolder, _ mb: GraphMailbox) -> JSONValue {
        ["id": .string(f.id), "displayName": .string(f.displayName),
         "parentFolderId": .string(f.parentID ?? GraphIds.base64URL(mb.guid + [0, 0, 0, 0, 0, 0, 0, 1]))]
    }

    static func list(_ req: GraphRequest, _ mb: inout GraphMailbox, parent: String?, _ scope: MailboxScope,
                     _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let pid = try GraphContactOps.folder(parent, mb)
        var folders = mb.childFolders(of: pid)
        if let name = req.param("filter").flatMap({ ODataFilter.quoted(in: $0, after: "displayName eq").first }) {
            folders = folders.filter { $0.displayName == name }
        }
        let top = min(try req.int("top") ?? 10, 1000), skip = try req.int("skip") ?? 0
        let page = folders.dropFirst(skip).prefix(max(top, 1))
        var o: [String: JSONValue] = ["@odata.context": .string("\(env.base)/$metadata#\(scope.owner)/contactFolders"),
                                      "value": .array(page.map { render($0, mb) })]
        if skip + page.count < folders.count {
            o["@odata.nextLink"] = .string(scope.url + "?" + FormFields.encode([("$top", "\(top)"), ("$skip", "\(skip + page.count)")]))
        }
        return .json(.object(o))
    }

    static func get(_ mb: inout GraphMailbox, id: String, _ scope: MailboxScope, _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let fid = try GraphContactOps.folder(id, mb)
        guard case .object(var o) = render(mb.folders[fid]!, mb) else { return .noContent }
        o["@odata.context"] = .string("\(env.base)/$metadata#\(scope.owner)/contactFolders/$entity")
        return .json(.object(o))
    }

    static func create(_ req: GraphRequest, _ mb: inout GraphMailbox, parent: String?, _ scope: MailboxScope,
                       _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let pid = try GraphContactOps.folder(parent, mb)
        guard let name = try req.json()["displayName"]?.string, !name.isEmpty else {
            throw GraphError.badRequest("The folder's displayName is required.")
        }
        guard !mb.childFolders(of: pid).contains(where: { $0.displayName.lowercased() == name.lowercased() }) else {
            throw GraphError(status: 409, code: "ErrorFolderExists", message: "A folder with the specified name already exists.")
        }
        let id = mb.newID(folder: true)
        mb.folders[id] = GraphStoredFolder(id: id, displayName: name, parentID: pid, createSeq: mb.nextSeq())
        guard case .object(var o) = render(mb.folders[id]!, mb) else { return .noContent }
        o["@odata.context"] = .string("\(env.base)/$metadata#\(scope.owner)/contactFolders/$entity")
        return .json(.object(o), status: 201)
    }

    /// Deletes a folder with its contacts and sub-folders (the contacts show as removed in delta).
    static func delete(_ mb: inout GraphMailbox, id: String) throws(GraphError) -> GraphReply {
        let fid = try GraphContactOps.folder(id, mb)
        guard fid != mb.defaultFolderID else {
            throw GraphError(status: 403, code: "ErrorDeleteDistinguishedFolder", message: "Distinguished folders cannot be deleted.")
        }
        for child in mb.childFolders(of: fid) { _ = try delete(&mb, id: child.id) }
        for c in mb.contacts(in: fid) { _ = mb.deleteContact(c.id) }
        mb.folders[fid] = nil
        return .noContent
    }

    /// `POST /users/{id}/translateExchangeIds` with the mapping documented in `GraphIds`.
    static func translate(_ req: GraphRequest) throws(GraphError) -> GraphReply {
        let body = try req.json()
        let inputs = body["inputIds"]?.array?.compactMap(\.string) ?? []
        guard !inputs.isEmpty, inputs.count <= 1000 else { throw GraphError.badRequest("inputIds must hold 1 to 1000 ids.") }
        let source = body["sourceIdType"]?.string ?? "", target = body["targetIdType"]?.string ?? ""
        let rest = ["restId", "restImmutableEntryId"]
        let value: [JSONValue] = try inputs.map { (id: String) throws(GraphError) -> JSONValue in
            let out: String?
            switch (source, target) {
            case ("ewsId", let t) where rest.contains(t): out = GraphIds.fromEWS(id)
            case (let s, "ewsId") where rest.contains(s): out = GraphIds.toEWS(id)
            case (let s, let t) where rest.contains(s) && rest.contains(t): out = GraphIds.isWellFormed(id) ? id : nil
            default: throw GraphError.badRequest("Unsupported id type translation '\(source)' to '\(target)'.")
            }
            guard let out else { return ["sourceId": .string(id), "errorDetails": ["code": "ErrorInvalidIdMalformed", "message": "Id is malformed."]] }
            return ["sourceId": .string(id), "targetId": .string(out)]
        }
        return .json(["@odata.context": .string("$metadata#Collection(microsoft.graph.convertIdResult)"), "value": .array(value)])
    }
}
