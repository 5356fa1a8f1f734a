import Foundation

/// Contact groups: list, get, batchGet, create, update, delete, members:modify. Membership lives on
/// the people (`StoredPerson.groups`), so `memberships` and the groups always agree.
enum GroupOps {
    static let validFields: Set<String> = ["clientData", "groupType", "memberCount", "metadata", "name"]
    static let defaultFields: Set<String> = ["metadata", "groupType", "memberCount", "name"]

    static func fields(_ raw: String?, name: String) throws(GoogleError) -> Set<String> {
        try PersonFields.mask(raw, name: name, doc: "contactGroups", valid: validFields, required: false) ?? defaultFields
    }

    static func render(_ g: StoredGroup, _ acct: PeopleAccount, fields: Set<String>, maxMembers: Int = 0) -> JSONValue {
        var o: [String: JSONValue] = ["resourceName": .string(g.resourceName), "etag": .string(g.etag)]
        let members = acct.members(of: g.id)
        if fields.contains("metadata") { o["metadata"] = ["updateTime": .string(PersonFields.timestamp(g.updated))] }
        if fields.contains("groupType") { o["groupType"] = g.system ? "SYSTEM_CONTACT_GROUP" : "USER_CONTACT_GROUP" }
        if fields.contains("name") {
            o["name"] = .string(g.name)
            o["formattedName"] = .string(["myContacts": "My Contacts", "starred": "Starred"][g.id] ?? g.name)
        }
        if fields.contains("memberCount"), !members.isEmpty { o["memberCount"] = .int(members.count) }
        if fields.contains("clientData"), !g.clientData.isEmpty { o["clientData"] = .array(g.clientData) }
        if maxMembers > 0, !members.isEmpty { o["memberResourceNames"] = .array(members.prefix(maxMembers).map { .string($0.resourceName) }) }
        return .object(o)
    }

    static func group(_ id: String, _ acct: PeopleAccount) throws(GoogleError) -> StoredGroup {
        let id = id.hasPrefix("contactGroups/") ? String(id.dropFirst("contactGroups/".count)) : id
        guard let g = acct.groups[id] else { throw GoogleError.notFound }
        return g
    }

    static func list(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let f = try fields(req.param("groupFields"), name: "groupFields")
        let size = try req.int("pageSize") ?? 30
        guard (0...1000).contains(size) else { throw GoogleError.invalidArgument("pageSize must be between 0 and 1000.") }
        let offset = req.param("pageToken").flatMap { Int($0.dropFirst("EmuGroups".count)) } ?? 0
        let all = acct.groupOrder.compactMap { acct.groups[$0] }
        let page = all.dropFirst(offset).prefix(size == 0 ? 30 : size)
        var out: [String: JSONValue] = ["contactGroups": .array(page.map { render($0, acct, fields: f) }), "totalItems": .int(all.count)]
        if offset + page.count < all.count {
            out["nextPageToken"] = .string("EmuGroups\(offset + page.count)")
        } else {
            out["nextSyncToken"] = .string(acct.mintSyncToken(now: env.now))
        }
        return .object(out)
    }

    static func get(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        render(try group(req.id, acct), acct, fields: try fields(req.param("groupFields"), name: "groupFields"),
               maxMembers: try req.int("maxMembers") ?? 0)
    }

    static func batchGet(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let f = try fields(req.param("groupFields"), name: "groupFields")
        let maxMembers = try req.int("maxMembers") ?? 0
        return ["responses": .array(req.params("resourceNames").map { name -> JSONValue in
            guard let g = try? group(name, acct) else {
                return ["requestedResourceName": .string(name), "status": GoogleError.notFound.rpcStatus]
            }
            return ["requestedResourceName": .string(name), "status": [:],
                    "contactGroup": render(g, acct, fields: f, maxMembers: maxMembers)]
        })]
    }

    static func create(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let body = try req.json()
        let f = try fields(body["readGroupFields"]?.string, name: "readGroupFields")
        guard let name = body["contactGroup"]?["name"]?.string, !name.isEmpty else {
            throw GoogleError.invalidArgument("contactGroup.name must be set.")
        }
        guard !acct.groups.values.contains(where: { $0.name == name }) else {
            throw GoogleError(code: 409, status: "ALREADY_EXISTS", message: "Contact group name already exists.")
        }
        let id = String(UInt64.random(in: 1 << 60 ... UInt64.max), radix: 16)
        let g = StoredGroup(id: id, name: name, system: false, clientData: body["contactGroup"]?["clientData"]?.array ?? [],
                            etag: PeopleAccount.newEtag("#"), updated: env.now)
        acct.groups[id] = g
        acct.groupOrder.append(id)
        return render(g, acct, fields: f)
    }

    static func update(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let body = try req.json()
        var g = try group(req.id, acct)
        guard !g.system else { throw GoogleError.invalidArgument("Cannot update a system contact group.") }
        let input = body["contactGroup"]?.object ?? [:]
        if let etag = input["etag"]?.string, etag != g.etag {
            throw GoogleError(code: 400, status: "FAILED_PRECONDITION",
                              message: "Request contactGroup.etag is different than the current contactGroup.etag. Clear local cache and get the latest contactGroup.")
        }
        let updateFields = try PersonFields.mask(body["updateGroupFields"]?.string, name: "updateGroupFields",
                                                 doc: "contactGroups/update", valid: ["name", "clientData"], required: false) ?? ["name"]
        if updateFields.contains("name") {
            guard let name = input["name"]?.string, !name.isEmpty else { throw GoogleError.invalidArgument("contactGroup.name must be set.") }
            guard !acct.groups.values.contains(where: { $0.name == name && $0.id != g.id }) else {
                throw GoogleError(code: 409, status: "ALREADY_EXISTS", message: "Contact group name already exists.")
            }
            g.name = name
        }
        if updateFields.contains("clientData") { g.clientData = input["clientData"]?.array ?? [] }
        g.etag = PeopleAccount.newEtag("#")
        g.updated = env.now
        acct.groups[g.id] = g
        return render(g, acct, fields: try fields(body["readGroupFields"]?.string, name: "readGroupFields"))
    }

    static func delete(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let g = try group(req.id, acct)
        guard !g.system else { throw GoogleError.invalidArgument("Cannot delete a system contact group.") }
        for member in acct.members(of: g.id) {
            if req.flag("deleteContacts") {
                _ = acct.deletePerson(member.id, now: env.now)
            } else {
                acct.touch(member.id, now: env.now) { $0.groups.removeAll { $0 == g.id } }
            }
        }
        acct.groups[g.id] = nil
        acct.groupOrder.removeAll { $0 == g.id }
        return [:]
    }

    static func modifyMembers(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let body = try req.json()
        let g = try group(req.id, acct)
        guard !g.system || ["myContacts", "starred"].contains(g.id) else {
            throw GoogleError.invalidArgument("Cannot modify members of this system contact group.")
        }
        let add = body["resourceNamesToAdd"]?.array?.compactMap(\.string) ?? []
        let remove = body["resourceNamesToRemove"]?.array?.compactMap(\.string) ?? []
        guard add.count + remove.count <= 1000 else { throw GoogleError.invalidArgument("Too many resource names. Max: 1000.") }
        var notFound: [String] = [], lastGroup: [String] = []
        for name in add {
            guard let id = acct.personID(name) else { notFound.append(name); continue }
            if !acct.persons[id]!.groups.contains(g.id) { acct.touch(id, now: env.now) { $0.groups.append(g.id) } }
        }
        for name in remove {
            guard let id = acct.personID(name) else { notFound.append(name); continue }
            let groups = acct.persons[id]!.groups
            guard groups.contains(g.id) else { continue }
            // A contact keeps at least one of myContacts / a user group, as on Google.
            if groups.filter({ $0 != "starred" && $0 != g.id }).isEmpty, g.id != "starred" {
                lastGroup.append(name); continue
            }
            acct.touch(id, now: env.now) { $0.groups.removeAll { $0 == g.id } }
        }
        if !add.isEmpty || !remove.isEmpty { acct.groups[g.id]!.etag = PeopleAccount.newEtag("#"); acct.groups[g.id]!.updated = env.now }
        var out: [String: JSONValue] = [:]
        if !notFound.isEmpty { out["notFoundResourceNames"] = .array(notFound.map { .string($0) }) }
        if !lastGroup.isEmpty { out["canNotRemoveLastContactGroupResourceNames"] = .array(lastGroup.map { .string($0) }) }
        return .object(out)
    }
}
