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
            var photos: [PhotoWrite] = []
            for (i, c, _) in creates {
                guard let r = made["\(i)"], r.isSuccess, let id = r.body?["id"]?.string else {
                    outcomes[i] = .failed(ItemError(remoteID: nil, message: "Graph refused it: \(made["\(i)"]?.failure?.message ?? "no answer")"))
                    continue
                }
                outcomes[i] = .created(RemoteID(id), r.body?.object.flatMap(Self.version))
                // A photo only when there is one (it is a request of its own: Graph takes none in a create).
                if let photo = c.photo { photos.append(PhotoWrite(index: i, id: id, photo: photo, had: false)) }
            }
            for (i, v) in try await setPhotos(photos) {
                if case .created(let id, let old)? = outcomes[i] { outcomes[i] = .created(id, v ?? old) }
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

    /// Reads the items first (with their extended properties): an etag that moved is a conflict
    /// before anything is sent, and only the fields that change go out (PATCH), with If-Match
    /// all the same. A photo is read only where both sides have one (to compare them).
    private func update(_ updates: [(Int, RemoteID, RemoteVersion?, Contact)], into outcomes: inout [WriteOutcome?]) async throws {
        let now = try await api.batch(updates.map { i, id, _, _ in
            BatchRequest(id: "c\(i)", method: .get, path: item(id.rawValue), query: Self.readQuery)
        }, size: settings.batchSize)
        var photoReads: [BatchRequest] = []
        for (i, id, _, contact) in updates {
            guard contact.photo != nil, let there = now["c\(i)"]?.body?.object, Self.mayHavePhoto(there) else { continue }
            photoReads.append(BatchRequest(id: "p\(i)", method: .get, path: item(id.rawValue) + "/photo/$value"))
        }
        let photosThere = try await api.batch(photoReads, size: settings.batchSize)
        var patches: [BatchRequest] = []
        var photos: [PhotoWrite] = []
        for (i, id, version, contact) in updates {
            guard let r = now["c\(i)"], r.isSuccess, let there = r.body?.object else {
                outcomes[i] = now["c\(i)"]?.status == 404 ? .notFound : Self.outcome(now["c\(i)"]) { _ in .notFound }
                continue
            }
            let current = Self.version(there)
            if let version, current != version { outcomes[i] = .conflict; continue }
            let had: Data? = photosThere["p\(i)"].flatMap { $0.isSuccess ? $0.body?.string.flatMap { Data(base64Encoded: $0) } : nil }
            let hasOne = ExtendedProperties.hasPicture(there) ?? (had != nil)
            if contact.photo == nil ? hasOne : contact.photo?.data != had {
                photos.append(PhotoWrite(index: i, id: id.rawValue, photo: contact.photo, had: hasOne))
            }
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
        let written = try await setPhotos(photos.filter { if case .updated? = outcomes[$0.index] { true } else { false } })
        for (i, v) in written {
            if case .updated(let old)? = outcomes[i] { outcomes[i] = .updated(v ?? old) }
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

    struct PhotoWrite {
        var index: Int
        var id: String
        /// nil: remove the photo there.
        var photo: Photo?
        /// The item has a photo now (a removal of none is no request).
        var had: Bool
    }

    /// Sets or removes photos, in batches: the PUTs (or DELETEs), then the items' new versions
    /// (a photo moves the change key), read in one more batch. The new version per op index,
    /// nil where nothing was written.
    private func setPhotos(_ writes: [PhotoWrite]) async throws -> [Int: RemoteVersion?] {
        let todo = writes.filter { $0.photo != nil || $0.had }
        guard !todo.isEmpty else { return [:] }
        let sent = try await api.batch(todo.map { w in
            if let photo = w.photo {
                return BatchRequest(id: "\(w.index)", method: .put, path: item(w.id) + "/photo/$value",
                                    binary: photo.data, contentType: photo.mediaType)
            }
            return BatchRequest(id: "\(w.index)", method: .delete, path: item(w.id) + "/photo/$value")
        }, size: settings.batchSize)
        var out: [Int: RemoteVersion?] = [:]
        var changed: [PhotoWrite] = []
        for w in todo {
            guard let r = sent["\(w.index)"] else { continue }
            if r.isSuccess { changed.append(w); continue }
            if r.status == 404, w.photo == nil { continue }  // no photo there after all
            throw r.failure ?? GraphAPI.Failure(status: r.status, code: nil, message: "cannot write the photo")
        }
        guard !changed.isEmpty else { return out }
        let versions = try await api.batch(changed.map { w in
            BatchRequest(id: "\(w.index)", method: .get, path: item(w.id), query: [("$select", "id,changeKey")])
        }, size: settings.batchSize)
        for w in changed { out[w.index] = versions["\(w.index)"]?.body?.object.flatMap(Self.version) }
        return out
    }
}
