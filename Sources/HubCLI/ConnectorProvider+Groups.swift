import ConnectorGraph
import Foundation
import HubServer
import SyncModel

/// The web app's "mailboxes of a group", through the same code as `hubsync spoke add-group`.
extension ConnectorProvider: GroupMailboxProvider {
    public func addGroupMailboxes(hub: HubID, _ request: GroupMailboxesRequest) async throws -> GroupMailboxesDTO {
        guard let config = try context.store.hub(hub) else { throw SetupError("no hub \(hub)") }
        var form = SpokeForm()
        form.tenant = request.tenant
        form.clientID = request.clientID
        form.clientSecret = request.clientSecret
        let outcome = try await explained(.graph) {
            try await GroupMailboxes.add(hub: config, group: request.group, app: appOnlyInput(form),
                                         folder: request.folder ?? GraphFolders.defaultName, receiveOnly: request.receiveOnly ?? false,
                                         ctx: context, retry: Self.checkRetry)
        }
        var dto = try groupMailboxes(hub: hub).first { $0.id == outcome.group.id }
            ?? GroupMailboxesDTO(id: outcome.group.id, name: outcome.group.displayName, folder: request.folder ?? GraphFolders.defaultName, members: [])
        dto.failed = outcome.failed
        return dto
    }

    public func groupMailboxes(hub: HubID) throws -> [GroupMailboxesDTO] {
        var groups: [String: GroupMailboxesDTO] = [:]
        var order: [String] = []
        for s in try context.store.spokes(hub: hub) where s.kind == .graph {
            guard let id = s.settings[GroupMailboxes.groupKey] else { continue }
            if groups[id] == nil {
                order.append(id)
                groups[id] = GroupMailboxesDTO(id: id, name: s.settings[GroupMailboxes.groupNameKey] ?? id,
                                               folder: s.settings[GroupMailboxes.folderKey] ?? GraphFolders.defaultName,
                                               receiveOnly: s.settings[GroupMailboxes.receiveOnlyKey] == "true", members: [])
            }
            groups[id]!.members.append(.init(spoke: s.id.rawValue, mailbox: s.settings["m365.account"] ?? s.settings["m365.mailbox"] ?? "",
                                             paused: s.settings[GroupMailboxes.pausedKey]))
        }
        return order.compactMap { groups[$0] }
    }

    public func removeGroupMailboxes(hub: HubID, group: String, removeSpokes: Bool) throws -> GroupRemovalDTO {
        let (name, ids) = try GroupMailboxes.stopFollowing(hub: hub, group: group, leaving: removeSpokes ? .remove : .pause,
                                                          store: context.store)
        return GroupRemovalDTO(group: name, paused: removeSpokes ? [] : ids.map(\.rawValue), removed: removeSpokes ? ids.map(\.rawValue) : [])
    }

    public func setGroupMailboxes(hub: HubID, group: String, receiveOnly: Bool) throws -> GroupMailboxesDTO {
        let (id, _, _) = try GroupMailboxes.followed(group, in: try context.store.spokes(hub: hub))
        _ = try GroupMailboxes.setMode(hub: hub, group: id, receiveOnly: receiveOnly, store: context.store)
        guard let dto = try groupMailboxes(hub: hub).first(where: { $0.id == id }) else { throw SetupError(field: "group", "no group \(group)") }
        return dto
    }

    public func refreshGroupMailboxes(hub: HubID) async {
        _ = await GroupMailboxes.refresh(hub: hub, ctx: context)
    }
}
