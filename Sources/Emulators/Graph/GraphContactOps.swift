import Foundation

/// Where a mailbox call points: whose mailbox (for `@odata.context`) and the URL it was made on
/// (for `@odata.nextLink`).
struct MailboxScope: Sendable {
    /// `users('ID')`.
    var owner: String
    /// Absolute URL of the request, without its query.
    var url: String
}

/// Personal contacts: list with `$top`/`$skip`/`$filter`, get, create, PATCH and DELETE with
/// `If-Match`, photos.
enum GraphContactOps {
    static func folder(_ id: String?, _ mb: GraphMailbox) throws(GraphError) -> String {
        guard let id else { return mb.defaultFolderID }
        guard mb.folders[id] != nil else { throw GraphIds.isWellFormed(id) ? GraphError.itemNotFound : GraphError.idMalformed }
        return id
    }

    static func existing(_ id: String, folder: String?, _ mb: GraphMailbox) throws(GraphError) -> GraphStoredContact {
        guard let c = mb.contacts[id] else { throw GraphIds.isWellFormed(id) ? GraphError.itemNotFound : GraphError.idMalformed }
        if let folder, c.folderID != folder { throw GraphError.itemNotFound }
        return c
    }

    static func list(_ req: GraphRequest, _ mb: inout GraphMailbox, folder: String?, _ scope: MailboxScope,
                     _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let fid = try Self.folder(folder, mb)
        let select = req.select
        try GraphContactSchema.checkSelect(select)
        let top = min(try req.int("top") ?? req.maxPageSize ?? 10, 1000)
        let skip = try req.int("skip") ?? 0
        let expand = try req.expandedExtendedIDs()
        var items = mb.contacts(in: fid)
        if let raw = req.param("filter") {
            let filter = try ODataFilter.parse(raw)
            items = items.filter(filter.matches)
        }
        let page = items.dropFirst(skip).prefix(max(top, 1))
        var o: [String: JSONValue] = [
            "@odata.context": .string("\(env.base)/$metadata#\(scope.owner)/contacts"),
            "value": .array(page.map { GraphContactSchema.render($0, select: select, expandIDs: expand) }),
        ]
        if skip + page.count < items.count {
            var q = req.query.filter { !["$skip", "skip", "$top", "top"].contains($0.0.lowercased()) }
            q += [("$top", "\(top)"), ("$skip", "\(skip + page.count)")]
            o["@odata.nextLink"] = .string(scope.url + "?" + FormFields.encode(q))
        }
        return .json(.object(o))
    }

    static func get(_ req: GraphRequest, _ mb: inout GraphMailbox, id: String, folder: String?, _ scope: MailboxScope,
                    _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let c = try existing(id, folder: folder, mb)
        try GraphContactSchema.checkSelect(req.select)
        var v = GraphContactSchema.render(c, select: req.select, expandIDs: try req.expandedExtendedIDs())
        if case .object(var o) = v { o["@odata.context"] = .string("\(env.base)/$metadata#\(scope.owner)/contacts/$entity"); v = .object(o) }
        return .json(v)
    }

    static func create(_ req: GraphRequest, _ mb: inout GraphMailbox, folder: String?, _ scope: MailboxScope,
                       _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let fid = try Self.folder(folder, mb)
        let (fields, extended) = try GraphContactSchema.parse(try req.json())
        try GraphContactSchema.checkCaps(fields)
        let c = mb.createContact(fields, extended: extended ?? [], folder: fid, now: env.now)
        var v = GraphContactSchema.render(c, select: nil, expandIDs: nil)
        if case .object(var o) = v { o["@odata.context"] = .string("\(env.base)/$metadata#\(scope.owner)/contacts/$entity"); v = .object(o) }
        return .json(v, status: 201)
    }

    /// `If-Match` must name the current change key (`W/"ck"`, `"ck"` or `*`), else 412.
    static func checkIfMatch(_ req: GraphRequest, _ c: GraphStoredContact) throws(GraphError) {
        guard let ifMatch = req.header("if-match") else { return }
        if ifMatch.trimmingCharacters(in: .whitespaces) == "*" { return }
        let tags = ifMatch.split(separator: ",").map { tag in
            var t = tag.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("W/") { t = String(t.dropFirst(2)) }
            return t.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        guard tags.contains(c.changeKey) else { throw GraphError.irresolvableConflict }
    }

    static func update(_ req: GraphRequest, _ mb: inout GraphMailbox, id: String, folder: String?, _ scope: MailboxScope,
                       _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let c = try existing(id, folder: folder, mb)
        try checkIfMatch(req, c)
        let (fields, extended) = try GraphContactSchema.parse(try req.json())
        let merged = c.fields.merging(fields) { $1 }
        try GraphContactSchema.checkCaps(merged)
        mb.touch(id, now: env.now) { s in
            s.fields = merged
            if let extended { s.extended = GraphContactSchema.merge(s.extended, extended) }
        }
        return try get(GraphRequest(method: "GET", segments: [], query: [], headers: [:], body: Data()), &mb, id: id,
                       folder: nil, scope, env)
    }

    static func delete(_ req: GraphRequest, _ mb: inout GraphMailbox, id: String, folder: String?,
                       _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let c = try existing(id, folder: folder, mb)
        try checkIfMatch(req, c)
        _ = mb.deleteContact(id)
        return .noContent
    }

    // MARK: Photos

    static func photo(_ req: GraphRequest, _ mb: inout GraphMailbox, id: String, value: Bool, _ scope: MailboxScope,
                      _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let c = try existing(id, folder: nil, mb)
        switch req.method {
        case "GET":
            guard let bytes = c.photo else { throw GraphError.photoNotFound }
            if value { return GraphReply(body: .bytes(bytes, contentType: "image/jpeg")) }
            return .json(["@odata.context": .string("\(env.base)/$metadata#\(scope.owner)/contacts('\(id)')/photo/$entity"),
                          "@odata.mediaContentType": "image/jpeg", "@odata.mediaEtag": .string("\"\(c.changeKey)\""),
                          "id": "default", "height": 96, "width": 96])
        case "PUT", "PATCH":
            guard value else { throw GraphError.badRequest("Write requests are only supported on the photo's $value.") }
            guard !req.body.isEmpty else { throw GraphError.badRequest("The photo is empty.") }
            // A photo is an attachment of the item in Exchange: writing it changes the change key.
            mb.touch(id, now: env.now) { $0.photo = [UInt8](req.body) }
            return .noContent
        case "DELETE":
            mb.touch(id, now: env.now) { $0.photo = nil }
            return .noContent
        default:
            throw GraphError(status: 405, code: "ErrorInvalidRequest", message: "The OData request is not supported.")
        }
    }
}
