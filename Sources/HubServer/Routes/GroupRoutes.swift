import Foundation
import Hummingbird
import SyncModel

/// The mailboxes of a Microsoft 365 group, as spokes of a hub (when the provider offers it).
extension HubApp {
    func addGroupRoutes(_ router: Router<WebContext>) {
        router.get("/api/hubs/:hub/groups") { _, context in
            let hub = try self.hub(context)
            return try self.groups().groupMailboxes(hub: hub.id)
        }
        router.post("/api/hubs/:hub/groups") { request, context in
            let hub = try self.hub(context)
            let groups = try self.groups()
            let new = try await request.json(GroupMailboxesRequest.self, context: context)
            guard !new.group.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw APIError(.badRequest, words: APIWords.groupName, field: "group")
            }
            // Under the hub's lock like every admin write: no pass sees half the spokes.
            let added = try await self.runner.exclusive(hub.id) {
                try await Self.setup { try await groups.addGroupMailboxes(hub: hub.id, new) }
            }
            return EditedResponse(status: .created, response: added)
        }
        router.delete("/api/hubs/:hub/groups/:group") { request, context in
            let hub = try self.hub(context)
            let groups = try self.groups()
            let group = try context.pathParameter("group")
            let spokes = request.uri.queryParameters["spokes"].map(String.init) ?? "pause"
            guard spokes == "pause" || spokes == "remove" else {
                throw APIError(.badRequest, "spokes is pause or remove", field: "spokes")
            }
            return try await self.runner.exclusive(hub.id) {
                try Self.setupSync { try groups.removeGroupMailboxes(hub: hub.id, group: group, removeSpokes: spokes == "remove") }
            }
        }
        router.patch("/api/hubs/:hub/groups/:group") { request, context in
            let hub = try self.hub(context)
            let groups = try self.groups()
            let group = try context.pathParameter("group")
            let mode = try await request.json(GroupModeRequest.self, context: context)
            return try await self.runner.exclusive(hub.id) {
                try Self.setupSync { try groups.setGroupMailboxes(hub: hub.id, group: group, receiveOnly: mode.receiveOnly) }
            }
        }
    }

    private func groups() throws -> any GroupMailboxProvider {
        guard let g = provider as? any GroupMailboxProvider else {
            throw APIError(.notFound, words: APIWords.groupsNotOffered)
        }
        return g
    }
}
