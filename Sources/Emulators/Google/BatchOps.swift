import Foundation

/// batchCreateContacts (≤ 200), batchUpdateContacts (≤ 200, per-contact etag check) and
/// batchDeleteContacts (≤ 500).
enum BatchOps {
    static func readMask(_ body: [String: JSONValue], doc: String) throws(GoogleError) -> Set<String>? {
        try PersonFields.mask(body["readMask"]?.string, name: "readMask", doc: doc, valid: PersonFields.readable, required: true)
    }

    static func create(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let body = try req.json()
        let mask = try readMask(body, doc: "people/batchCreateContacts")
        let contacts = body["contacts"]?.array ?? []
        guard !contacts.isEmpty else { throw GoogleError.invalidArgument("contacts must not be empty.") }
        guard contacts.count <= 200 else { throw GoogleError.invalidArgument("Too many contacts in the request. Max: 200.") }
        // All or nothing: validate every contact before creating any.
        var prepared: [([String: JSONValue], [String]?)] = []
        for item in contacts {
            guard let person = item["contactPerson"]?.object else {
                throw GoogleError.invalidArgument("contacts[].contactPerson must be set.")
            }
            prepared.append((PersonFields.storable(person), try ContactOps.groups(person, acct)))
        }
        let created = prepared.map { acct.createPerson($0.0, groups: $0.1, now: env.now) }
        return ["createdPeople": .array(created.map {
            ["httpStatusCode": 200, "person": PersonFields.render($0, mask: mask, baseURL: env.root),
             "requestedResourceName": .string($0.resourceName), "status": ["code": 0]]
        })]
    }

    /// Each contact is checked and written on its own: a stale etag fails that entry only, with
    /// FAILED_PRECONDITION in its PersonResponse.
    static func update(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let body = try req.json()
        let mask = try readMask(body, doc: "people/batchUpdateContacts")
        guard let updateMask = try PersonFields.mask(body["updateMask"]?.string, name: "updateMask",
                                                     doc: "people/batchUpdateContacts", valid: PersonFields.updatable,
                                                     required: true) else { return [:] }
        let contacts = body["contacts"]?.object ?? [:]
        guard !contacts.isEmpty else { throw GoogleError.invalidArgument("contacts must not be empty.") }
        guard contacts.count <= 200 else { throw GoogleError.invalidArgument("Too many contacts in the request. Max: 200.") }
        var results: [String: JSONValue] = [:]
        for (name, value) in contacts.sorted(by: { $0.key < $1.key }) {
            do throws(GoogleError) {
                let id = try ContactOps.existing(name, acct)
                let updated = try ContactOps.apply(value.object ?? [:], to: id, mask: updateMask, &acct, now: env.now)
                results[name] = ["httpStatusCode": 200, "requestedResourceName": .string(name), "status": ["code": 0],
                                 "person": PersonFields.render(updated, mask: mask, baseURL: env.root)]
            } catch {
                results[name] = ["httpStatusCode": .int(error.code), "requestedResourceName": .string(name),
                                 "status": error.rpcStatus]
            }
        }
        return ["updateResult": .object(results)]
    }

    static func delete(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let names = try req.json()["resourceNames"]?.array?.compactMap(\.string) ?? []
        guard !names.isEmpty else { throw GoogleError.invalidArgument("resourceNames must not be empty.") }
        guard names.count <= 500 else { throw GoogleError.invalidArgument("Too many resource names. Max: 500.") }
        // All or nothing: an unknown name deletes none.
        let ids = try names.map { (n: String) throws(GoogleError) -> String in try ContactOps.existing(n, acct) }
        for id in Set(ids) { _ = acct.deletePerson(id, now: env.now) }
        return [:]
    }
}
