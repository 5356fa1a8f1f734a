import Foundation

/// Single-contact calls: get, batchGet, createContact, updateContact (etag-checked), deleteContact.
enum ContactOps {
    static func readMask(_ req: APIRequest, required: Bool, doc: String) throws(GoogleError) -> Set<String>? {
        try PersonFields.mask(req.param("personFields"), name: "personFields", doc: doc, valid: PersonFields.readable,
                              required: required)
    }

    /// `c123` (or `people/c123`) → the stored id, or NOT_FOUND.
    static func existing(_ raw: String, _ acct: PeopleAccount) throws(GoogleError) -> String {
        let name = raw.hasPrefix("people/") ? raw : "people/\(raw)"
        guard let id = acct.personID(name) else { throw GoogleError.notFound }
        return id
    }

    static func get(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let mask = try readMask(req, required: true, doc: "people/get")
        if req.id == "me" { return profile(acct) }
        return PersonFields.render(acct.persons[try existing(req.id, acct)]!, mask: mask, baseURL: env.root)
    }

    /// `people/me`: the account's own profile (PROFILE source).
    static func profile(_ acct: PeopleAccount) -> JSONValue {
        let source: JSONValue = ["type": "PROFILE", "id": .string(acct.profileID)]
        return ["resourceName": .string("people/\(acct.profileID)"), "etag": "%EgMBAi4aAQI=",
                "names": [["displayName": .string(acct.displayName), "metadata": ["primary": true, "source": source]]],
                "emailAddresses": [["value": .string(acct.email), "metadata": ["primary": true, "source": source]]],
                "metadata": ["sources": [source], "objectType": "PERSON"]]
    }

    static func batchGet(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let mask = try readMask(req, required: true, doc: "people/getBatchGet")
        let names = req.params("resourceNames")
        guard !names.isEmpty else { throw GoogleError.invalidArgument("resourceNames must be set.") }
        guard names.count <= 200 else { throw GoogleError.invalidArgument("Too many resource names. Max: 200.") }
        return ["responses": .array(names.map { name -> JSONValue in
            if name == "people/me" { return ["requestedResourceName": .string(name), "httpStatusCode": 200, "person": profile(acct)] }
            guard let id = acct.personID(name) else {
                return ["requestedResourceName": .string(name), "httpStatusCode": 404, "status": GoogleError.notFound.rpcStatus]
            }
            return ["requestedResourceName": .string(name), "httpStatusCode": 200,
                    "person": PersonFields.render(acct.persons[id]!, mask: mask, baseURL: env.root)]
        })]
    }

    /// Group ids of incoming memberships, each of which must exist.
    static func groups(_ person: [String: JSONValue], _ acct: PeopleAccount) throws(GoogleError) -> [String]? {
        guard let ids = PersonFields.groupIDs(person) else { return nil }
        for id in ids where acct.groups[id] == nil {
            throw GoogleError.invalidArgument("Invalid contact group resource name: contactGroups/\(id)")
        }
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    static func create(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let mask = try readMask(req, required: false, doc: "people/createContact")
        let person = try req.json()
        let created = acct.createPerson(PersonFields.storable(person), groups: try groups(person, acct), now: env.now)
        return PersonFields.render(created, mask: mask, baseURL: env.root)
    }

    /// The etag check of every write: `person.etag` or the CONTACT source's etag must be current.
    static func checkEtag(_ person: [String: JSONValue], _ stored: StoredPerson) throws(GoogleError) {
        let sourceEtag = person["metadata"]?["sources"]?.array?.first { $0["type"]?.string == "CONTACT" }?["etag"]?.string
        guard let sent = person["etag"]?.string ?? sourceEtag else { throw GoogleError.missingEtag }
        guard sent == stored.etag || sent == stored.sourceEtag else { throw GoogleError.staleEtag }
    }

    /// Replaces the masked fields of a contact (absent in `person`: cleared) after the etag check.
    static func apply(_ person: [String: JSONValue], to id: String, mask: Set<String>, _ acct: inout PeopleAccount,
                      now: Date) throws(GoogleError) -> StoredPerson {
        try checkEtag(person, acct.persons[id]!)
        let newGroups = mask.contains("memberships") ? try groups(person, acct) ?? [] : nil
        let values = PersonFields.storable(person, only: mask)
        acct.touch(id, now: now) { p in
            for field in mask where field != "memberships" { p.fields[field] = values[field] }
            if let newGroups { p.groups = newGroups }
        }
        return acct.persons[id]!
    }

    static func update(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let readMask = try readMask(req, required: false, doc: "people/updateContact")
        guard let mask = try PersonFields.mask(req.param("updatePersonFields"), name: "updatePersonFields",
                                               doc: "people/updateContact", valid: PersonFields.updatable, required: true)
        else { throw GoogleError.maskRequired("updatePersonFields", doc: "people/updateContact") }
        let id = try existing(req.id, acct)
        let person = try req.json()
        if let rn = person["resourceName"]?.string, rn != "people/c\(id)" {
            throw GoogleError.invalidArgument("person.resourceName must match the request's resourceName.")
        }
        let updated = try apply(person, to: id, mask: mask, &acct, now: env.now)
        return PersonFields.render(updated, mask: readMask, baseURL: env.root)
    }

    static func delete(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        _ = acct.deletePerson(try existing(req.id, acct), now: env.now)
        return [:]
    }
}
