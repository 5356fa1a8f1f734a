import Foundation
import Hummingbird
import Synchronization
import SyncModel
import Testing
@testable import HubServer

/// The test provider offers the mailboxes of a group: "Sales" has two members; any other group
/// is refused the way the real provider refuses an unknown one. Refreshes are counted.
extension TestProvider: GroupMailboxProvider {
    static let groups = Mutex<[HubID: [GroupMailboxesDTO]]>([:])
    static let refreshes = Mutex<[HubID: Int]>([:])

    func addGroupMailboxes(hub: HubID, _ request: GroupMailboxesRequest) async throws -> GroupMailboxesDTO {
        guard request.group == "Sales" else { throw SetupError(field: "group", "no group '\(request.group)' in the tenant") }
        guard request.clientSecret == "secret" else { throw SetupError(field: "clientSecret", "Microsoft refused access") }
        let dto = GroupMailboxesDTO(id: "g-sales", name: "Sales", folder: request.folder ?? "Company Directory", members: [
            .init(spoke: "ann", mailbox: "ann@contoso.example", paused: nil),
            .init(spoke: "bob", mailbox: "bob@contoso.example", paused: "left the group Sales"),
        ])
        Self.groups.withLock { $0[hub, default: []].append(dto) }
        return dto
    }

    func groupMailboxes(hub: HubID) throws -> [GroupMailboxesDTO] { Self.groups.withLock { $0[hub] ?? [] } }

    func refreshGroupMailboxes(hub: HubID) async { Self.refreshes.withLock { $0[hub, default: 0] += 1 } }

    func removeGroupMailboxes(hub: HubID, group: String, removeSpokes: Bool) throws -> GroupRemovalDTO {
        try Self.groups.withLock { all in
            guard let i = all[hub]?.firstIndex(where: { $0.id == group || $0.name == group }) else {
                throw SetupError(field: "group", "the hub follows no group '\(group)'")
            }
            let g = all[hub]!.remove(at: i)
            let spokes = g.members.map(\.spoke)
            return GroupRemovalDTO(group: g.name, paused: removeSpokes ? [] : spokes, removed: removeSpokes ? spokes : [])
        }
    }

    func setGroupMailboxes(hub: HubID, group: String, receiveOnly: Bool) throws -> GroupMailboxesDTO {
        try Self.groups.withLock { all in
            guard let i = all[hub]?.firstIndex(where: { $0.id == group || $0.name == group }) else {
                throw SetupError(field: "group", "the hub follows no group '\(group)'")
            }
            all[hub]![i].receiveOnly = receiveOnly
            return all[hub]![i]
        }
    }
}

struct GroupRoutesTests {
    @Test func addListAndRefreshBeforeEverySync() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            let hubName = "Groups \(UUID().uuidString.prefix(8))"
            let hub = try await c.call(.post, "/api/hubs", json: ["name": hubName]).object["id"] as! String
            #expect(try await c.call(.get, "/api/hubs/\(hub)/groups").array.isEmpty)
            let empty = try await c.call(.post, "/api/hubs/\(hub)/groups", json: ["group": " "])
            #expect(empty.status == .badRequest && empty.object["field"] as? String == "group")
            let unknown = try await c.call(.post, "/api/hubs/\(hub)/groups", json: [
                "group": "Nobody", "tenant": "t", "clientID": "c", "clientSecret": "secret"])
            #expect(unknown.status == .unprocessableContent && unknown.object["field"] as? String == "group")
            let added = try await c.call(.post, "/api/hubs/\(hub)/groups", json: [
                "group": "Sales", "tenant": "t", "clientID": "c", "clientSecret": "secret"])
            #expect(added.status == .created)
            #expect(added.object["name"] as? String == "Sales" && (added.object["members"] as? [[String: Any]])?.count == 2)
            let listed = try await c.call(.get, "/api/hubs/\(hub)/groups").array
            #expect(listed.count == 1)
            let paused = (listed.first?["members"] as? [[String: Any]])?.compactMap { $0["paused"] as? String }
            #expect(paused == ["left the group Sales"])
            #expect(try await c.call(.get, "/api/hubs/nope/groups").status == .notFound)

            // Each pass reads the groups' members first.
            #expect(try await c.call(.post, "/api/hubs/\(hub)/sync").status == .accepted)
            await fx.app.waitForSync(HubID(hub))
            #expect(TestProvider.refreshes.withLock { $0[HubID(hub)] } == 1)
        }
    }

    @Test func switchTheModeThenStopFollowing() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            let hub = try await c.call(.post, "/api/hubs", json: ["name": "Groups \(UUID().uuidString.prefix(8))"]).object["id"] as! String
            _ = try await c.call(.post, "/api/hubs/\(hub)/groups", json: [
                "group": "Sales", "tenant": "t", "clientID": "c", "clientSecret": "secret"])
            let mode = try await c.call(.patch, "/api/hubs/\(hub)/groups/g-sales", json: ["receiveOnly": true])
            #expect(mode.status == .ok && mode.object["receiveOnly"] as? Bool == true)
            #expect(try await c.call(.get, "/api/hubs/\(hub)/groups").array.first?["receiveOnly"] as? Bool == true)
            let unknown = try await c.call(.patch, "/api/hubs/\(hub)/groups/nobody", json: ["receiveOnly": false])
            #expect(unknown.status == .unprocessableContent && unknown.object["field"] as? String == "group")
            #expect(try await c.call(.delete, "/api/hubs/\(hub)/groups/g-sales?spokes=sometimes").status == .badRequest)
            let removed = try await c.call(.delete, "/api/hubs/\(hub)/groups/Sales?spokes=remove")
            #expect(removed.status == .ok && removed.object["removed"] as? [String] == ["ann", "bob"], "\(removed.body)")
            #expect(try await c.call(.get, "/api/hubs/\(hub)/groups").array.isEmpty)
            #expect(try await c.call(.delete, "/api/hubs/\(hub)/groups/g-sales").status == .unprocessableContent)
        }
    }
}
