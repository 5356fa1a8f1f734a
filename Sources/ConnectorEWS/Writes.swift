import ConnectorKit
import ConnectorXML
import Foundation
import SyncModel

extension EWSSpoke {
    /// Creates, updates and deletes each go in one request per kind; outcomes come back in the
    /// order of `ops`.
    public func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        try await ConnectorError.naming(server: server) { try await self.writeHere(ops) }
    }

    private func writeHere(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        var outcomes = [WriteOutcome?](repeating: nil, count: ops.count)
        var creates: [(Int, Contact, CreateMarker)] = []
        var updates: [(Int, RemoteID, EWSVersion?, Contact)] = []
        var deletes: [(Int, RemoteID, EWSVersion?)] = []
        for (i, op) in ops.enumerated() {
            switch op {
            case .create(let c, let m): creates.append((i, c, m))
            case .update(let id, let v, let c): updates.append((i, id, v.map(EWSVersion.init), c))
            case .delete(let id, let v): deletes.append((i, id, v.map(EWSVersion.init)))
            }
        }
        if !creates.isEmpty {
            for (i, outcome) in zip(creates.map(\.0), try await create(creates.map { ($0.1, $0.2) })) { outcomes[i] = outcome }
        }
        if !updates.isEmpty {
            for (i, outcome) in zip(updates.map(\.0), try await update(updates.map { ($0.1, $0.2, $0.3) })) { outcomes[i] = outcome }
        }
        if !deletes.isEmpty {
            for (i, outcome) in zip(deletes.map(\.0), try await delete(deletes.map { ($0.1, $0.2) })) { outcomes[i] = outcome }
        }
        return outcomes.map { $0 ?? .failed(ItemError(remoteID: nil, message: "Exchange gave no answer for this item")) }
    }

    private func create(_ items: [(Contact, CreateMarker)]) async throws -> [WriteOutcome] {
        let slots = items.map { EWSContact($0.0) }
        let bodies = zip(slots, items).map { ContactWriter.create($0, marker: $1.1.description) }
        // Not re-sent after a lost answer: Exchange would make a second contact. The engine finds
        // what landed by its marker on the next pass.
        let messages = try await session.call(Op.createItems(folder: folder, bodies), replayable: false)
        var out: [WriteOutcome] = []
        for (i, s) in slots.enumerated() {
            guard i < messages.count, messages[i].success,
                let ref = messages[i].items.first?.child(.t("ItemId")), let id = ref.attributes["Id"]
            else {
                let why = i < messages.count ? AccessWords.writeRefused(messages[i]) ?? messages[i].errorText : "no answer"
                out.append(.failed(ItemError(remoteID: nil, message: why)))
                continue
            }
            var version = EWSVersion(changeKey: ref.attributes["ChangeKey"] ?? "")
            if let photo = s.photo { version = try await setPhoto(photo, item: id, version) }
            out.append(.created(RemoteID(id), version.remote))
        }
        return out
    }

    /// Reads first: only the properties (and indexed slots) that differ from what the item holds
    /// are sent, so whatever nobody changed stays byte-identical in Outlook; a ChangeKey that
    /// moved is a conflict before anything is sent.
    private func update(_ items: [(RemoteID, EWSVersion?, Contact)]) async throws -> [WriteOutcome] {
        var out = [WriteOutcome?](repeating: nil, count: items.count)
        var versions = [EWSVersion?](repeating: nil, count: items.count)
        var slots = items.map { EWSContact($0.2) }
        let current = try await session.call(Op.getItem(items.map(\.0.rawValue)))
        var changes: [(i: Int, id: String, changeKey: String?, updates: String)] = []
        for (i, (id, known, _)) in items.enumerated() {
            guard i < current.count else { continue }
            let m = current[i]
            guard m.success else {
                out[i] = Self.outcome(m, id)
                continue
            }
            guard let there = m.items.compactMap(ContactReader.item).first else {
                out[i] = .notFound
                continue
            }
            if let known, there.changeKey != known.changeKey {
                out[i] = .conflict
                continue
            }
            slots[i] = EWSContact(items[i].2, keeping: there.slots)
            let updates = ContactWriter.changes(slots[i], from: there.slots)
            if updates.isEmpty {
                versions[i] = EWSVersion(changeKey: there.changeKey, photo: known?.photo)
            } else {
                changes.append((i, id.rawValue, known?.changeKey, updates))
            }
        }
        if !changes.isEmpty {
            let messages = try await session.call(Op.updateItems(changes.map { ($0.id, $0.changeKey, $0.updates) }))
            for (n, change) in changes.enumerated() {
                guard n < messages.count else { continue }
                let m = messages[n]
                guard m.success else {
                    out[change.i] = Self.outcome(m, items[change.i].0)
                    continue
                }
                let ref = m.items.first?.child(.t("ItemId"))
                versions[change.i] = EWSVersion(changeKey: ref?.attributes["ChangeKey"] ?? "", photo: items[change.i].1?.photo)
            }
        }
        for (i, (id, known, _)) in items.enumerated() {
            guard out[i] == nil, var version = versions[i] else { continue }
            let wanted = slots[i].photo
            if wanted.map(EWSVersion.hash) != known?.photo?.hash {
                if let old = known?.photo { version = try await removePhoto(old.attachment, version) }
                if let wanted { version = try await setPhoto(wanted, item: id.rawValue, version) }
            }
            out[i] = .updated(version.remote)
        }
        return out.enumerated().map { i, o in o ?? .failed(ItemError(remoteID: items[i].0, message: "no answer")) }
    }

    /// EWS deletes without a ChangeKey check, so the check comes first: an item edited since the
    /// hub saw it is a conflict, and its edit is merged rather than lost.
    private func delete(_ items: [(RemoteID, EWSVersion?)]) async throws -> [WriteOutcome] {
        var out = [WriteOutcome?](repeating: nil, count: items.count)
        let current = try await session.call(Op.getChangeKeys(items.map(\.0.rawValue)))
        var go: [Int] = []
        for (i, (id, known)) in items.enumerated() {
            guard i < current.count else { continue }
            let m = current[i]
            if !m.success {
                out[i] = Self.outcome(m, id)
            } else if let known, m.items.first?.child(.t("ItemId"))?.attributes["ChangeKey"] != known.changeKey {
                out[i] = .conflict
            } else {
                go.append(i)
            }
        }
        if !go.isEmpty {
            let messages = try await session.call(Op.deleteItems(go.map { items[$0].0.rawValue }))
            for (n, i) in go.enumerated() {
                out[i] = n < messages.count ? (messages[n].success ? .deleted : Self.outcome(messages[n], items[i].0)) : nil
            }
        }
        return out.enumerated().map { i, o in o ?? .failed(ItemError(remoteID: items[i].0, message: "no answer")) }
    }

    static func outcome(_ m: ResponseMessage, _ id: RemoteID) -> WriteOutcome {
        switch m.code {
        case "ErrorItemNotFound": .notFound
        case "ErrorIrresolvableConflict", "ErrorChangeKeyRequiredForWriteOperations", "ErrorStaleObject": .conflict
        default: .failed(ItemError(remoteID: id, message: AccessWords.writeRefused(m) ?? m.errorText))
        }
    }

    /// Attaches the contact photo; the item's ChangeKey moves with it.
    private func setPhoto(_ photo: Photo, item: String, _ version: EWSVersion) async throws -> EWSVersion {
        let messages = try await session.call(
            Op.createPhoto(item: item, changeKey: version.changeKey, data: photo.data, mediaType: photo.mediaType),
            replayable: false)
        guard let m = messages.first, m.success,
            let ref = m.node.child(.m("Attachments"))?.children.first?.child(.t("AttachmentId")), let att = ref.attributes["Id"]
        else {
            logger.warning("Exchange refused a contact photo: \(messages.first?.errorText ?? "no answer")")
            return version
        }
        return EWSVersion(changeKey: ref.attributes["RootItemChangeKey"] ?? version.changeKey,
                          photo: .init(hash: EWSVersion.hash(photo), attachment: att))
    }

    private func removePhoto(_ attachment: String, _ version: EWSVersion) async throws -> EWSVersion {
        let messages = try await session.call(Op.deleteAttachment(attachment))
        let ref = messages.first?.node.child(.m("RootItemId"))
        return EWSVersion(changeKey: ref?.attributes["RootItemChangeKey"] ?? version.changeKey, photo: nil)
    }
}
