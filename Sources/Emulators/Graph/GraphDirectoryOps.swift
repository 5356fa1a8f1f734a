import Foundation

/// The directory (PROTOCOLS.md §2.1): `/users` with `$select` and paging, `/users/delta` with
/// `@removed`, `/groups` and their members, user photos.
enum GraphDirectoryOps {
    static let userProperties = [
        "id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "businessPhones", "mobilePhone",
        "jobTitle", "department", "companyName", "officeLocation", "accountEnabled", "userType", "preferredLanguage",
    ]
    /// What `/users` answers without `$select`.
    static let defaultUserProperties = [
        "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
        "preferredLanguage", "surname", "userPrincipalName", "id",
    ]

    static func checkSelect(_ select: [String]?) throws(GraphError) {
        for key in select ?? [] where !userProperties.contains(key) {
            throw GraphError(status: 400, code: "Request_BadRequest",
                             message: "Could not find a property named '\(key)' on type 'microsoft.graph.user'.")
        }
    }

    static func render(_ u: GraphUser, select: [String]?, typed: Bool = false) -> JSONValue {
        var o: [String: JSONValue] = ["id": .string(u.id)]
        if typed { o["@odata.type"] = "#microsoft.graph.user" }
        for key in select ?? defaultUserProperties where key != "id" {
            o[key] = u.fields[key] ?? (key == "businessPhones" ? [] : .null)
        }
        return .object(o)
    }

    static func page(_ all: [JSONValue], _ req: GraphRequest, url: String, context: String, defaultTop: Int = 100) throws(GraphError) -> GraphReply {
        let top = min(try req.int("top") ?? defaultTop, 999)
        let skip = req.param("skiptoken").flatMap { Int($0) } ?? 0
        let page = all.dropFirst(skip).prefix(max(top, 1))
        var o: [String: JSONValue] = ["@odata.context": .string(context), "value": .array(Array(page))]
        if skip + page.count < all.count {
            var q = req.query.filter { !["$skiptoken", "skiptoken", "$top", "top"].contains($0.0.lowercased()) }
            q += [("$top", "\(top)"), ("$skiptoken", "\(skip + page.count)")]
            o["@odata.nextLink"] = .string(url + "?" + FormFields.encode(q))
        }
        return .json(.object(o))
    }

    static func listUsers(_ req: GraphRequest, _ t: inout GraphTenant, url: String, _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        try checkSelect(req.select)
        let users = t.usersInOrder().map { render($0, select: req.select) }
        return try page(users, req, url: url, context: "\(env.base)/$metadata#users")
    }

    static func getUser(_ req: GraphRequest, _ t: inout GraphTenant, key: String, _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        try checkSelect(req.select)
        guard let id = t.userID(key) else { throw GraphError.directoryNotFound(key) }
        guard case .object(var o) = render(t.users[id]!, select: req.select) else { return .noContent }
        o["@odata.context"] = .string("\(env.base)/$metadata#users/$entity")
        return .json(.object(o))
    }

    static func userPhoto(_ req: GraphRequest, _ t: inout GraphTenant, key: String) throws(GraphError) -> GraphReply {
        guard let id = t.userID(key) else { throw GraphError.directoryNotFound(key) }
        guard let bytes = t.users[id]!.photo else {
            throw GraphError(status: 404, code: "ImageNotFound", message: "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.")
        }
        return GraphReply(body: .bytes(bytes, contentType: "image/jpeg"))
    }

    // MARK: Delta

    /// `$deltatoken` / `$skiptoken` of users delta: `UD1|from|end|offset|epoch|select`.
    static func encode(from: Int, end: Int, offset: Int, epoch: Int, select: [String]?) -> String {
        GraphIds.base64URL(Array("UD1|\(from)|\(end)|\(offset)|\(epoch)|\(select?.joined(separator: ",") ?? "*")".utf8))
    }

    static func usersDelta(_ req: GraphRequest, _ t: inout GraphTenant, url: String, _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        var (from, end, offset, select) = (0, t.directorySeq, 0, req.select)
        let expired = env.deltaExpiry == .gone410 ? GraphError.syncStateGone(restart: url) : GraphError.syncStateNotFound
        if let raw = req.param("skiptoken") ?? req.param("deltatoken") {
            if raw == "latest" {
                let token = encode(from: t.directorySeq, end: t.directorySeq, offset: 0, epoch: t.directoryEpoch, select: select)
                return .json(["@odata.context": .string("\(env.base)/$metadata#users"), "value": [],
                              "@odata.deltaLink": .string(url + "?$deltatoken=\(token)")])
            }
            guard let data = GraphIds.decodeBase64URL(raw) else { throw expired }
            let p = String(decoding: data, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard p.count == 6, p[0] == "UD1", let f = Int(p[1]), let e = Int(p[2]), let o = Int(p[3]), Int(p[4]) == t.directoryEpoch
            else { throw expired }
            let isDelta = req.param("deltatoken") != nil
            (from, end, offset) = isDelta ? (e, t.directorySeq, 0) : (f, e, o)
            select = p[5] == "*" ? nil : p[5].split(separator: ",").map(String.init)
        }
        try checkSelect(select)
        var entries: [(seq: Int, value: JSONValue)] = t.users.values.filter { $0.changeSeq > from && $0.changeSeq <= end }
            .map { ($0.changeSeq, render($0, select: select)) }
        if from > 0 {
            entries += t.removedUsers.filter { $0.seq > from && $0.seq <= end }
                .map { ($0.seq, ["id": .string($0.id), "@removed": ["reason": "changed"]]) }
        }
        let all = entries.sorted { $0.seq < $1.seq }.map(\.value)
        let size = max(1, min(req.maxPageSize ?? 100, 999))
        let page = all.dropFirst(offset).prefix(size)
        var o: [String: JSONValue] = ["@odata.context": .string("\(env.base)/$metadata#users"), "value": .array(Array(page))]
        if offset + page.count < all.count {
            o["@odata.nextLink"] = .string(url + "?$skiptoken=" + encode(from: from, end: end, offset: offset + page.count,
                                                                           epoch: t.directoryEpoch, select: select))
        } else {
            o["@odata.deltaLink"] = .string(url + "?$deltatoken=" + encode(from: from, end: end, offset: 0, epoch: t.directoryEpoch,
                                                                             select: select))
        }
        return .json(.object(o))
    }

    // MARK: Groups

    static func renderGroup(_ g: GraphGroup) -> JSONValue {
        ["id": .string(g.id), "displayName": .string(g.displayName), "mail": g.mail.map { .string($0) } ?? .null,
         "mailEnabled": .bool(g.mail != nil), "securityEnabled": false, "groupTypes": ["Unified"]]
    }

    static func listGroups(_ req: GraphRequest, _ t: inout GraphTenant, url: String, _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let groups = t.groups.values.sorted { $0.createSeq < $1.createSeq }.map(renderGroup)
        return try page(groups, req, url: url, context: "\(env.base)/$metadata#groups")
    }

    static func getGroup(_ t: inout GraphTenant, id: String, _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        guard let g = t.groups[id] else { throw GraphError.directoryNotFound(id) }
        guard case .object(var o) = renderGroup(g) else { return .noContent }
        o["@odata.context"] = .string("\(env.base)/$metadata#groups/$entity")
        return .json(.object(o))
    }

    /// A group's members: users and nested groups (direct), or every user below it once, nested
    /// groups flattened (transitive, as Graph does for security and distribution groups).
    static func members(_ req: GraphRequest, _ t: inout GraphTenant, id: String, transitive: Bool, usersOnly: Bool, url: String,
                        _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        guard let g = t.groups[id] else { throw GraphError.directoryNotFound(id) }
        try checkSelect(req.select)
        var objects: [JSONValue] = []
        if transitive {
            var seen: Set<String> = [id], users: Set<String> = [], queue = g.members
            while !queue.isEmpty {
                let m = queue.removeFirst()
                if let nested = t.groups[m] {
                    if seen.insert(m).inserted { queue += nested.members; if !usersOnly { objects.append(renderMember(nested)) } }
                } else if let u = t.users[m], users.insert(m).inserted {
                    objects.append(render(u, select: req.select, typed: true))
                }
            }
        } else {
            for m in g.members {
                if let u = t.users[m] { objects.append(render(u, select: req.select, typed: true)) }
                else if let nested = t.groups[m], !usersOnly { objects.append(renderMember(nested)) }
            }
        }
        return try page(objects, req, url: url, context: "\(env.base)/$metadata#directoryObjects")
    }

    /// A nested group in a member list: typed, so a client can tell it from a user.
    static func renderMember(_ g: GraphGroup) -> JSONValue {
        guard case .object(var o) = renderGroup(g) else { return renderGroup(g) }
        o["@odata.type"] = "#microsoft.graph.group"
        return .object(o)
    }
}
