import ConnectorGraph
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// The default folder's id, members of nested groups, and the first sync's listing in batches.
@Suite struct FoldersGroupsListingTests {
    func http(_ g: Graph) -> HTTPClient {
        let s = g.settings()
        let source = GraphTokenSource(refreshToken: nil, settings: s, http: HTTPClient(transport: AHCTransport.shared()))
        return HTTPClient(transport: AHCTransport.shared(), auth: source.auth)
    }

    @Test func theDefaultFolderHasItsIDSoItCanBePickedByIt() async throws {
        try await Graph.with { g in
            let defaultID = try g.emulator.defaultFolderID(of: g.upn)
            // An empty mailbox: nothing names the default folder.
            var folders = try await GraphFolders.list(g.settings(), http: http(g))
            #expect(folders.count == 1 && folders[0].isDefault && folders[0].id == nil)
            // A contact in it names it.
            try g.add("Ann")
            folders = try await GraphFolders.list(g.settings(), http: http(g))
            #expect(folders[0].isDefault && folders[0].id == defaultID)
            // A folder below it names it too, with no contact read.
            let clients = try g.emulator.createFolder(named: "Clients", in: g.upn)
            g.emulator.resetCounters()
            folders = try await GraphFolders.list(g.settings(), http: http(g))
            #expect(folders.map(\.path) == ["Contacts", "Contacts/Clients"])
            #expect(folders[0].id == defaultID && folders[1].id == clients && !folders[1].isDefault)
            #expect(g.emulator.requestCount("contacts.list") == 0, "\(g.emulator.requestCounts)")
            let picked = try #require(GraphFolders.pick(defaultID, in: folders))
            #expect(picked.isDefault)
            #expect(GraphFolders.pick(clients, in: folders)?.path == "Contacts/Clients")
            // Synced by that id, the default folder holds what `/contacts` holds.
            let spoke = GraphSpoke(settings: g.settings(folder: defaultID), http: http(g))
            let page = try await spoke.pull(since: nil, page: nil)
            #expect(page.changes.count == 1 && page.cursor != nil)
        }
    }

    @Test func membersOfNestedGroupsAreReadOnceEach() async throws {
        try await Graph.with { g in
            let bob = g.emulator.addUser(displayName: "Bob Ray", mailNickname: "bob")
            let cy = g.emulator.addUser(displayName: "Cy Ng", mailNickname: "cy")
            let dee = g.emulator.addUser(displayName: "Dee Fox", mailNickname: "dee")
            let inner = try g.emulator.addGroup(displayName: "Field team", members: [cy.upn, bob.upn])
            let innermost = try g.emulator.addGroup(displayName: "Night shift", members: [dee.upn])
            try g.emulator.setGroupMembers(inner, [cy.upn, bob.upn, innermost])
            let outer = try g.emulator.addGroup(displayName: "Everyone", members: [g.upn, inner, bob.upn])
            let members = try await GraphGroups.members(of: outer, g.settings(), http: http(g))
            #expect(members.map(\.mail).sorted() == [g.upn, bob.upn, cy.upn, dee.upn].sorted(), "\(members)")
            #expect(g.emulator.requestCount("groups.transitiveMembers") == 1)
        }
    }

    @Test func aFirstSyncListsTheFolderInBatches() async throws {
        try await Graph.with { g in
            _ = try g.emulator.seedContacts(25, in: g.upn)
            // 3 a page, 4 pages a batch: 9 delta pages, then 9 listing pages in 3 batches.
            let spoke = g.spoke(pageSize: 3, batch: 4)
            g.emulator.resetCounters()
            var page = try await spoke.pull(since: nil, page: nil)
            var ids = page.changes.compactMap { if case .upsert(let r) = $0 { r.id } else { nil } }
            while let next = page.next {
                page = try await spoke.pull(since: nil, page: next)
                ids += page.changes.compactMap { if case .upsert(let r) = $0 { r.id } else { nil } }
            }
            #expect(ids.count == 25 && Set(ids).count == 25)
            #expect(page.cursor != nil)
            #expect(g.emulator.requestCount("contacts.delta") == 9)
            #expect(g.emulator.requestCount("batch") == 3, "\(g.emulator.requestCounts)")
            #expect(g.emulator.requestCount("contacts.list") == 9)

            // A folder that grew between the round and the listing: the last page's link goes on.
            let grown = g.spoke(pageSize: 3, batch: 4)
            page = try await grown.pull(since: nil, page: nil)
            for i in 0..<4 { try g.add("Late\(i)") }
            var all = page.changes.count
            while let next = page.next {
                page = try await grown.pull(since: nil, page: next)
                all += page.changes.count
            }
            #expect(all == 29 && page.cursor != nil)
        }
    }
}
