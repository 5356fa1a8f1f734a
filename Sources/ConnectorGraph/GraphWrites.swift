import ConnectorHTTP
import ConnectorKit
import Foundation
import SyncModel

extension GraphSpoke {
    public func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        try await ConnectorError.naming(server: server) { try await self.writeHere(ops) }
    }

    private func writeHere(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        do {
            return try await writeAll(ops)
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    private func writeAll(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        var outcomes = [WriteOutcome?](repeating: nil, count: ops.count)
        var creates: [(Int, Contact, CreateMarker)] = []
        var updates: [(Int, RemoteID, RemoteVersion?, Contact)] = []
        var deletes: [(Int, RemoteID, RemoteVersion?)] = []
        for (i, op) in ops.enumerated() {
            switch op {
            case .create(let c, let m): creates.append((i, c, m))
            case .update(let id, let v, let c): updates.append((i, id, v, c))
            case .delete(let id, let v): deletes.append((i, id, v))
            }
        }
        if !creates.isEmpty {
            // Not replayable: a batch whose answer was lost may have landed; the marker finds it.
            let made = try await api.batch(creates.map { i, c, m in
                BatchRequest(id: "\(i)", method: .post, path: settings.contactsPath,
                             body: .object(ContactMapping.create(c.normalized(), marker: m.description)))
            }, size: settings.batchSize, replayable: false)
            for (i, c, _) in creates {
                guard let r = made["\(i)"], r.isSuccess, let id = r.body?["id"]?.string else {
                    outcomes[i] = .failed(ItemError(remoteID: nil, message: "Graph refused it: \(made["\(i)"]?.failure?.message ?? "no answer")"))
                    continue
                }
                let version = try await setPhoto(c.photo, had: nil, on: id) ?? r.body?.object.flatMap(Self.version)
                outcomes[i] = .created(RemoteID(id), version)
            }
        }
        if !updates.isEmpty {
            try await update(updates, into: &outcomes)
        }
        if !deletes.isEmpty {
            let answers = try await api.batch(deletes.map { i, id, v in
                BatchRequest(id: "\(i)", method: .delete, path: item(id.rawValue),
                             headers: v.map { ["If-Match": $0.rawValue] } ?? [:])
            }, size: settings.batchSize)
            for (i, _, _) in deletes {
                outcomes[i] = Self.outcome(answers["\(i)"]) { _ in .deleted }
            }
        }
        return outcomes.map { $0 ?? .failed(ItemError(remoteID: nil, message: "Graph gave no answer for this item")) }
    }

    /// Reads the items first: an etag that moved is a conflict before anything is sent, and
    /// only the fields that change go out (PATCH), with If-Match all the same.
    private func update(_ updates: [(Int, RemoteID, RemoteVersion?, Contact)], into outcomes: inout [WriteOutcome?]) async throws {
        var reads: [BatchRequest] = []
        for (i, id, _, _) in updates {
            reads.append(BatchRequest(id: "c\(i)", method: .get, path: item(id.rawValue),
                                      query: [("$select", ContactMapping.selected.joined(separator: ","))]))
            reads.append(BatchRequest(id: "p\(i)", method: .get, path: item(id.rawValue) + "/photo/$value"))
        }
        let now = try await api.batch(reads, size: settings.batchSize)
        var patches: [BatchRequest] = []
        var photos: [Int: (String, Photo?, Data?)] = [:]
        for (i, id, version, contact) in updates {
            guard let r = now["c\(i)"], r.isSuccess, let there = r.body?.object else {
                outcomes[i] = now["c\(i)"]?.status == 404 ? .notFound : Self.outcome(now["c\(i)"]) { _ in .notFound }
                continue
            }
            let current = Self.version(there)
            if let version, current != version { outcomes[i] = .conflict; continue }
            let had = now["p\(i)"].flatMap { $0.isSuccess ? $0.body?.string.flatMap { Data(base64Encoded: $0) } : nil }
            if contact.photo?.data != had { photos[i] = (id.rawValue, contact.photo, had) }
            let body = ContactMapping.patch(contact.normalized(), there: there)
            if body.isEmpty {
                outcomes[i] = .updated(current)
            } else {
                patches.append(BatchRequest(id: "\(i)", method: HTTPMethod(rawValue: "PATCH"), path: item(id.rawValue),
                                            headers: ["If-Match": (version ?? current)?.rawValue ?? "*"], body: .object(body)))
            }
        }
        let answers = try await api.batch(patches, size: settings.batchSize)
        for p in patches {
            guard let i = Int(p.id) else { continue }
            outcomes[i] = Self.outcome(answers[p.id]) { r in .updated(r.body?.object.flatMap(Self.version)) }
        }
        for (i, (id, photo, had)) in photos.sorted(by: { $0.key < $1.key }) {
            guard case .updated(let v)? = outcomes[i] else { continue }
            outcomes[i] = .updated(try await setPhoto(photo, had: had != nil, on: id) ?? v)
        }
    }

    /// A batch member's answer as an outcome: 412/409 a conflict (re-pull and merge), 404 gone.
    static func outcome(_ r: BatchResponse?, success: (BatchResponse) -> WriteOutcome) -> WriteOutcome {
        guard let r else { return .failed(ItemError(remoteID: nil, message: "Graph gave no answer for this item")) }
        if r.isSuccess { return success(r) }
        switch r.status {
        case 409, 412: return .conflict
        case 404: return .notFound
        default:
            let f = r.failure
            return .failed(ItemError(remoteID: nil, message: "Graph answered \(r.status)\(f?.code.map { " \($0)" } ?? ""): \(f?.message ?? "")"))
        }
    }

    /// Sets or removes the contact's photo (`had` nil: unknown, a new item); the item's new
    /// version when it wrote anything (a photo moves the etag).
    private func setPhoto(_ photo: Photo?, had: Bool?, on id: String) async throws -> RemoteVersion? {
        let url = api.url(item(id) + "/photo/$value")
        if let photo {
            _ = try await api.send(.put, url, body: photo.data, contentType: photo.mediaType)
        } else if had == true {
            do {
                _ = try await api.send(.delete, url, body: nil)
            } catch let f as GraphAPI.Failure where f.status == 404 {
                return nil
            }
        } else {
            return nil
        }
        let o = try GraphAPI.decode(JSONObject.self, try await api.get(api.url(item(id), [("$select", "id,changeKey")])), "contact")
        return Self.version(o)
    }
}
