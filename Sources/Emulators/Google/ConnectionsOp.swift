import Foundation

/// `people.connections.list`: paging over a frozen snapshot, sync tokens, deleted people in syncs.
enum ConnectionsOp {
    static func list(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let mask = try PersonFields.mask(req.param("personFields"), name: "personFields", doc: "people.connections/list",
                                         valid: PersonFields.readable, required: true)
        let pageSize = try req.int("pageSize") ?? 100
        guard (0...1000).contains(pageSize) else {
            throw GoogleError.invalidArgument("Invalid pageSize. pageSize must be between 0 and 1000.")
        }
        let sortOrder = req.param("sortOrder") ?? "LAST_MODIFIED_ASCENDING"
        guard ["LAST_MODIFIED_ASCENDING", "LAST_MODIFIED_DESCENDING", "FIRST_NAME_ASCENDING", "LAST_NAME_ASCENDING"].contains(sortOrder) else {
            throw GoogleError.invalidArgument("Invalid value at 'sort_order' (type.googleapis.com/google.people.v1.ListConnectionsRequest.SortOrder), \"\(sortOrder)\"")
        }
        let syncToken = req.param("syncToken").flatMap { $0.isEmpty ? nil : $0 }
        // A page token continues its listing only with the same sync token and order, as on Google.
        let fingerprint = "\(syncToken ?? "")|\(sortOrder)"
        var snapshot: PageSnapshot
        if let pageToken = req.param("pageToken"), !pageToken.isEmpty {
            guard let s = acct.pages[pageToken] else {
                throw GoogleError.invalidArgument("Page token is not valid.")
            }
            guard s.fingerprint == fingerprint else {
                throw GoogleError.invalidArgument("Parameters provided with a page token don't match the request that returned the page token.")
            }
            snapshot = s
        } else {
            snapshot = try start(acct: &acct, syncToken: syncToken, sortOrder: sortOrder,
                                 requestSyncToken: req.flag("requestSyncToken"), env: env)
            snapshot.fingerprint = fingerprint
        }
        let size = pageSize == 0 ? 100 : pageSize
        let page = snapshot.names.dropFirst(snapshot.offset).prefix(size)
        var people: [JSONValue] = []
        for id in page {
            if let p = acct.persons[id] {
                people.append(PersonFields.render(p, mask: mask, baseURL: env.root))
            } else if snapshot.syncMode, let t = acct.tombstones.last(where: { $0.id == id }) {
                people.append(PersonFields.render(t))
            }
        }
        var out: [String: JSONValue] = [:]
        if !people.isEmpty { out["connections"] = .array(people) }
        if !snapshot.syncMode {
            out["totalPeople"] = .int(snapshot.names.count)
            out["totalItems"] = .int(snapshot.names.count)
        }
        let nextOffset = snapshot.offset + page.count
        if nextOffset < snapshot.names.count {
            let token = "EmuPage" + Data((0..<18).map { _ in UInt8.random(in: 0...255) }).base64URL
            var next = snapshot
            next.offset = nextOffset
            acct.pages[token] = next
            out["nextPageToken"] = .string(token)
        } else if let sync = snapshot.nextSyncToken {
            out["nextSyncToken"] = .string(sync)
        }
        return .object(out)
    }

    /// The first page: everyone (full listing) or what changed since the sync token.
    static func start(acct: inout PeopleAccount, syncToken: String?, sortOrder: String, requestSyncToken: Bool,
                      env: APIEnvironment) throws(GoogleError) -> PageSnapshot {
        var names: [String]
        if let syncToken {
            guard let info = acct.syncTokens[syncToken], info.epoch == acct.syncEpoch,
                  env.now.timeIntervalSince(info.issued) < env.syncTokenMaxAge else {
                throw GoogleError.expiredSyncToken
            }
            let changed = acct.persons.values.filter { $0.changeSeq > info.seq }.map { ($0.changeSeq, $0.id) }
            let deleted = acct.tombstones.filter { $0.deleteSeq > info.seq }.map { ($0.deleteSeq, $0.id) }
            var seen = Set<String>()
            names = (changed + deleted).sorted { $0.0 < $1.0 }.map(\.1).filter { seen.insert($0).inserted }
        } else {
            names = sorted(Array(acct.persons.values), by: sortOrder).map(\.id)
        }
        if syncToken != nil, sortOrder == "LAST_MODIFIED_DESCENDING" { names.reverse() }
        let next = (requestSyncToken || syncToken != nil) ? acct.mintSyncToken(now: env.now) : nil
        return PageSnapshot(names: names, offset: 0, syncMode: syncToken != nil, nextSyncToken: next, fingerprint: "")
    }

    static func sorted(_ people: [StoredPerson], by order: String) -> [StoredPerson] {
        func name(_ p: StoredPerson, _ key: String) -> String {
            (p.fields["names"]?.array?.first?[key]?.string ?? "").lowercased()
        }
        switch order {
        case "LAST_MODIFIED_DESCENDING": return people.sorted { $0.changeSeq > $1.changeSeq }
        case "FIRST_NAME_ASCENDING":
            return people.sorted { (name($0, "givenName"), $0.changeSeq) < (name($1, "givenName"), $1.changeSeq) }
        case "LAST_NAME_ASCENDING":
            return people.sorted { (name($0, "familyName"), $0.changeSeq) < (name($1, "familyName"), $1.changeSeq) }
        default: return people.sorted { $0.changeSeq < $1.changeSeq }
        }
    }
}
