import ConnectorHTTP
import ConnectorKit
import Foundation
import SyncModel

extension GoogleSpoke {
    struct BatchGet: Decodable {
        struct Response: Decodable { var person: Person?; var requestedResourceName: String? }
        var responses: [Response]?
    }
    struct BatchCreate: Encodable {
        struct Item: Encodable { var contactPerson: Person }
        var contacts: [Item]
        var readMask: String
    }
    struct Created: Decodable {
        struct Item: Decodable { var person: Person?; var httpStatusCode: Int? }
        var createdPeople: [Item]?
    }
    struct BatchUpdate: Encodable {
        var contacts: [String: Person]
        var updateMask: String
        var readMask: String
    }
    struct Updated: Decodable {
        struct Item: Decodable { var person: Person?; var httpStatusCode: Int? }
        var updateResult: [String: Item]?
    }
    struct BatchDelete: Encodable { var resourceNames: [String] }
    struct PhotoBody: Encodable { var photoBytes: String; var personFields: String }
    struct PhotoAnswer: Decodable { var person: Person? }

    /// The persons as Google holds them now (missing ones left out).
    func current(_ ids: [RemoteID]) async throws -> [Person] {
        guard !ids.isEmpty else { return [] }
        let query = ids.map { ("resourceNames", $0.rawValue) } + [("personFields", Person.readFields)]
        do {
            return try decode(BatchGet.self, try await api.get("v1/people:batchGet", query), "people.getBatchGet").responses?.compactMap(\.person) ?? []
        } catch let f as PeopleAPI.Failure where f.status == 404 {
            return []
        }
    }

    public func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        try await ConnectorError.naming(server: server) { try await self.writeHere(ops) }
    }

    private func writeHere(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        do {
            return try await writeAll(ops)
        } catch let f as PeopleAPI.Failure {
            throw f.connectorError
        }
    }

    private func writeAll(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        var outcomes = [WriteOutcome?](repeating: nil, count: ops.count)
        var creates: [(Int, Contact, CreateMarker)] = []
        var changes: [(Int, RemoteID, RemoteVersion?, Contact?)] = []
        for (i, op) in ops.enumerated() {
            switch op {
            case .create(let c, let m): creates.append((i, c, m))
            case .update(let id, let v, let c): changes.append((i, id, v, c))
            case .delete(let id, let v): changes.append((i, id, v, nil))
            }
        }
        let groupIDs = try await groups.ids(for: Array(Set((creates.map(\.1) + changes.compactMap(\.3)).flatMap(\.categories))), api)
        let names = try await groups.names(api)
        let mapping = PersonMapping(groupNames: names)
        if !creates.isEmpty {
            let body = BatchCreate(
                contacts: creates.map { .init(contactPerson: mapping.person($0.1, marker: $0.2.description, groupIDs: groupIDs)) },
                readMask: Person.readFields)
            let made = try await createAll(body)
            for (n, (i, contact, _)) in creates.enumerated() {
                switch made[safe: n] {
                case .failure(let e)?:
                    outcomes[i] = .failed(e)
                case .success(let person)? where person.resourceName != nil:
                    let name = person.resourceName ?? ""
                    let etag = try await setPhoto(contact.photo, had: false, on: name) ?? person.etag
                    outcomes[i] = .created(RemoteID(name), etag.map { RemoteVersion($0) })
                case .success?, nil:
                    outcomes[i] = .failed(ItemError(remoteID: nil, message: "Google did not create it"))
                }
            }
        }
        if !changes.isEmpty {
            // Read first: an etag that moved is a conflict before anything is sent, and what the
            // hub does not map (system groups, other custom fields) is kept from what is there.
            let now = Dictionary(try await current(changes.map(\.1)).compactMap { p in p.resourceName.map { ($0, p) } },
                                 uniquingKeysWith: { a, _ in a })
            // Only the fields that change go out (`updatePersonFields`), one request per mask.
            var updates: [String: [String: Person]] = [:]
            var unchanged: [String: Person] = [:]
            var deletes: [String] = []
            for (i, id, version, contact) in changes {
                guard let there = now[id.rawValue] else { outcomes[i] = .notFound; continue }
                if let version, there.etag != version.rawValue { outcomes[i] = .conflict; continue }
                if let contact {
                    var p = mapping.person(contact, base: there, marker: nil, groupIDs: groupIDs)
                    p.etag = version?.rawValue ?? there.etag
                    let mask = UpdateMask.fields(p, there: there, mapping: mapping, groupIDs: groupIDs)
                    if mask.isEmpty {
                        unchanged[id.rawValue] = there
                    } else {
                        updates[mask.joined(separator: ","), default: [:]][id.rawValue] = p
                    }
                } else {
                    deletes.append(id.rawValue)
                }
            }
            var result: [String: Updated.Item] = unchanged.mapValues { Updated.Item(person: $0, httpStatusCode: 200) }
            for (mask, contacts) in updates.sorted(by: { $0.key < $1.key }) {
                let answer = try decode(Updated.self, try await api.post(
                    "v1/people:batchUpdateContacts",
                    json: BatchUpdate(contacts: contacts, updateMask: mask, readMask: Person.readFields)))
                result.merge(answer.updateResult ?? [:]) { a, _ in a }
            }
            if !updates.isEmpty || !unchanged.isEmpty {
                for (i, id, _, contact) in changes where contact != nil && outcomes[i] == nil {
                    guard let item = result[id.rawValue], let person = item.person else {
                        outcomes[i] = .conflict  // refused: re-pull and merge
                        continue
                    }
                    let hadPhoto = now[id.rawValue]?.photos?.contains { $0.default != true } ?? false
                    let etag = try await setPhoto(contact?.photo, had: hadPhoto, on: id.rawValue,
                                                  unless: try await samePhoto(contact?.photo, now[id.rawValue]))
                    outcomes[i] = .updated((etag ?? person.etag).map { RemoteVersion($0) })
                }
            }
            if !deletes.isEmpty {
                _ = try await api.post("v1/people:batchDeleteContacts", json: BatchDelete(resourceNames: deletes))
                for (i, _, _, contact) in changes where contact == nil && outcomes[i] == nil { outcomes[i] = .deleted }
            }
        }
        return outcomes.map { $0 ?? .failed(ItemError(remoteID: nil, message: "Google gave no answer for this item")) }
    }

    /// One batch; when Google refuses the batch as a whole (one bad contact fails them all), each
    /// contact alone, so the bad one is an item error and the others are created.
    private func createAll(_ body: BatchCreate) async throws -> [Result<Person, ItemError>] {
        do {
            let created = try decode(Created.self, try await api.post("v1/people:batchCreateContacts", json: body, replayable: false), "people.batchCreateContacts")
            return body.contacts.indices.map { n in
                created.createdPeople?[safe: n]?.person.map { .success($0) }
                    ?? .failure(ItemError(remoteID: nil, message: "Google did not create it"))
            }
        } catch let f as PeopleAPI.Failure where f.status == 400 {
            var out: [Result<Person, ItemError>] = []
            for item in body.contacts {
                do {
                    let data = try await api.post("v1/people:createContact", [("personFields", Person.readFields)],
                                                  json: item.contactPerson, replayable: false)
                    out.append(.success(try decode(Person.self, data)))
                } catch let f as PeopleAPI.Failure {
                    out.append(.failure(ItemError(remoteID: nil, message: "Google refused it: \(f.message)")))
                }
            }
            return out
        }
    }

    /// Whether the person already shows this photo (fetching it is cheaper than re-uploading).
    private func samePhoto(_ photo: Photo?, _ person: Person?) async throws -> Bool {
        let url = person?.photos?.first { $0.default != true }?.url.flatMap(URL.init(string:))
        guard let photo, let url else { return photo == nil && url == nil }
        let response = try await photos.send(.init(.get, url))
        return response.isSuccess && response.body == photo.data
    }

    /// Sets or removes the contact photo; returns the new etag when it changed anything.
    private func setPhoto(_ photo: Photo?, had: Bool, on name: String, unless same: Bool = false) async throws -> String? {
        if same { return nil }
        if let photo {
            let data = try await api.patch("v1/\(name):updateContactPhoto",
                                           json: PhotoBody(photoBytes: photo.data.base64EncodedString(), personFields: "metadata"))
            return try decode(PhotoAnswer.self, data).person?.etag
        }
        guard had else { return nil }
        let data = try await api.delete("v1/\(name):deleteContactPhoto")
        return (try? BoundedJSON.decode(PhotoAnswer.self, from: data))?.person?.etag
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
