import ConnectorKit
import ConnectorXML
import SyncModel

/// One SyncFolderItems answer: ids only; bodies are read after, and only where they moved.
struct SyncListing: Sendable {
    var upserts: [(id: String, changeKey: String)] = []
    var deletes: [String] = []
    var state: String
    var last: Bool
}

enum SyncStateError: Error { case invalid }

extension EWSSpoke {
    /// One page of changes since `state` (nil: everything in the folder, as creates).
    func sync(_ state: String?) async throws -> SyncListing {
        let messages = try await session.call(Op.syncFolderItems(folder: folder, state: state, max: settings.pageSize))
        guard let m = messages.first else { throw ConnectorError(.protocolViolation, "SyncFolderItems gave no answer") }
        guard m.success else {
            switch m.code {
            case "ErrorInvalidSyncStateData", "ErrorInvalidSyncStateDataFormat": throw SyncStateError.invalid
            case "ErrorFolderNotFound", "ErrorInvalidIdMalformed", "ErrorInvalidId":
                throw ConnectorError(.misconfigured, "the contacts folder is not in the mailbox any more (\(m.code)); choose it again")
            case "ErrorAccessDenied", "ErrorNonExistentMailbox", "ErrorImpersonateUserDenied":
                throw AccessWords.refusal(m.code, m.text, source: settings.source)!
            default:
                throw ConnectorError(.protocolViolation, "SyncFolderItems failed: \(m.errorText)")
            }
        }
        guard let newState = m.node.value(.m("SyncState")) else {
            throw ConnectorError(.protocolViolation, "SyncFolderItems gave no SyncState")
        }
        var listing = SyncListing(state: newState, last: m.node.value(.m("IncludesLastItemInRange")) != "false")
        for change in m.node.child(.m("Changes"))?.children ?? [] {
            switch change.name.name {
            case "Create", "Update":
                // Distribution lists and other item kinds share the folder; only contacts sync.
                guard let item = change.child(.t("Contact")), let ref = item.child(.t("ItemId")),
                    let id = ref.attributes["Id"]
                else { continue }
                listing.upserts.append((id, ref.attributes["ChangeKey"] ?? ""))
            case "Delete":
                if let id = change.child(.t("ItemId"))?.attributes["Id"] { listing.deletes.append(id) }
            default:
                continue  // ReadFlagChange: nothing a contact has
            }
        }
        return listing
    }
}

extension EWSSpoke {
    /// Moves the SyncState past the pass's own writes. Besides sparing the next pull their echo,
    /// this is what lets a contact the hub just created, and someone deletes before the next pull,
    /// be seen as deleted: Exchange reports nothing about an item created and deleted after the
    /// state a client holds. Only when everything since the state is ours (each item at the
    /// ChangeKey we wrote, each deletion ours); otherwise nil, and the next pull lists it all.
    public func cursor(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        try await ConnectorError.naming(server: server) { try await self.cursorHere(after: cursor, writes: writes) }
    }

    private func cursorHere(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        guard var state = cursor?.rawValue, !writes.isEmpty else { return nil }
        while true {
            let listing: SyncListing
            do { listing = try await sync(state) } catch SyncStateError.invalid { return nil }
            for u in listing.upserts {
                guard case .some(.some(let written)) = writes[RemoteID(u.id)], EWSVersion(written).changeKey == u.changeKey
                else { return nil }
            }
            guard listing.deletes.allSatisfy({ writes[RemoteID($0)] == .some(nil) }) else { return nil }
            state = listing.state
            if listing.last { return SpokeCursor(state) }
        }
    }
}
