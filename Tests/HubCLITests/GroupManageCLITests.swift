import ConnectorGraph
import Emulators
import Foundation
import HubServer
import SyncModel
import SyncStoreSQLite
import Testing
import TestSupport
@testable import HubCLI

/// A followed group switched between two-way and receive-only and no longer followed; the
/// app-only token kept between runs; Microsoft 365's default folder picked by its id.
@Suite struct GroupManageCLITests {
    typealias Tenant = DirectoryCLITests.Tenant

    func setUp(_ t: Tenant) async throws -> CLI {
        let cli = try CLI()
        _ = await cli.run("hub create Company")
        var r = await cli.run(["spoke", "add", "company", "--name", "Directory", "--kind", "m365-directory"] + t.app)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        r = await cli.run(["spoke", "add-group", "company", "--group", "All Company"] + t.app)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        return cli
    }

    @Test func theAppTokenIsKeptBetweenRuns() async throws {
        let t = try await Tenant.start()
        defer { Task { await t.graph.stop() } }
        let cli = try await setUp(t)
        // Setting up asked for tokens; the syncs that follow (each its own run, as separate
        // processes would be) use the ones kept, sealed, in the spokes' settings.
        t.graph.resetCounters()
        for _ in 0..<2 {
            let r = await cli.run("sync company")
            #expect(r.exitCode == 0, "\(r.output)")
        }
        #expect(t.graph.requestCount("oauth.token.client_credentials") == 0, "\(t.graph.requestCounts)")
        #expect(t.graph.requestCount("contacts.delta") >= 3)
        let store = try SQLiteStore(path: cli.db)
        for s in try store.spokes(hub: HubID("company")) {
            let sealed = try #require(s.settings[AppTokenCache.key], "\(s.id)")
            #expect(!sealed.contains("token") && !sealed.contains("expires"), "sealed, not plain")
        }
        // Refused tokens (revoked, or expired early): new ones, kept again.
        t.graph.expireAccessTokens()
        var r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        let asked = t.graph.requestCount("oauth.token.client_credentials")
        #expect(asked >= 4 && asked <= 5, "one a spoke, and one for the group's members at most: \(asked)")
        t.graph.resetCounters()
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(t.graph.requestCount("oauth.token.client_credentials") == 0)
    }

    @Test func aGroupSwitchesModeAndIsNoLongerFollowed() async throws {
        let t = try await Tenant.start()
        defer { Task { await t.graph.stop() } }
        let cli = try await setUp(t)
        #expect(await cli.run("sync company").exitCode == 0)
        let store = try SQLiteStore(path: cli.db)
        let hub = HubID("company")
        let (adele, megan) = (t.members[0].upn, t.members[2].upn)
        func card(_ upn: String, _ given: String) throws -> GraphContactRecord? {
            let f = try #require(try t.graph.folders(in: upn).first { $0.name == GraphFolders.defaultName })
            return try t.graph.contacts(in: upn, folder: f.id).first { $0.givenName == given }
        }

        // Receive-only: Adele's edit stays hers.
        var r = await cli.run(["spoke", "group-mode", "company", "--group", "All Company", "receive-only"])
        #expect(r.output.contains("3 mailbox spoke(s) now receive-only"), "\(r.output) \(r.error.map { "\($0)" } ?? "")")
        #expect(await cli.run("spoke groups company").output.contains("receive-only"))
        _ = try t.graph.updateContact(try #require(try card(adele, "Diego")).id, in: adele) { $0["jobTitle"] = "Boss" }
        #expect(await cli.run("sync company").exitCode == 0)
        #expect(try card(megan, "Diego")?.fields["jobTitle"]?.string == "HR Manager")
        // Two-way again (by the group's id): her next edit travels.
        r = await cli.run(["spoke", "group-mode", "company", "--group", t.group, "two-way"])
        #expect(r.output.contains("3 mailbox spoke(s) now two-way"), "\(r.output)")
        _ = try t.graph.updateContact(try #require(try card(adele, "Megan")).id, in: adele) { $0["jobTitle"] = "Captain" }
        #expect(await cli.run("sync company").exitCode == 0)
        #expect(try card(megan, "Megan")?.fields["jobTitle"]?.string == "Captain")
        #expect(await cli.run(["spoke", "group-mode", "company", "--group", "Nobody", "two-way"]).error != nil)

        // No longer followed: the spokes paused, the hub's contacts kept, joiners not added.
        let items = try store.liveItems(hub: hub).count
        r = await cli.run(["spoke", "remove-group", "company", "--group", "All Company"])
        #expect(r.output.contains("no longer follows group All Company: 3 spoke(s) paused"), "\(r.output)")
        #expect(await cli.run("spoke groups company").output.contains("follows no group"))
        let nestor = t.graph.addUser(displayName: "Nestor Wilke", mailNickname: "nestorw", givenName: "Nestor", surname: "Wilke")
        try t.graph.setGroupMembers(t.group, t.members.map(\.upn) + [nestor.upn])
        t.graph.resetCounters()
        r = await cli.run("sync company")
        #expect(r.exitCode == 0 && !r.output.contains("joined"), "\(r.output)")
        #expect(t.graph.requestCount("groups.transitiveMembers") == 0 && t.graph.requestCount("contacts.delta") == 0)
        // Nothing left the hub; Nestor came in through the directory.
        #expect(try store.liveItems(hub: hub).count == items + 1)
        #expect(try store.spokes(hub: hub).filter { $0.settings[GroupMailboxes.pausedKey] != nil }.count == 3)

        // Followed again: the three paused spokes are taken back, and Nestor gets his.
        r = await cli.run(["spoke", "add-group", "company", "--group", "All Company"] + t.app)
        #expect(r.output.contains("1 mailbox spoke(s) added"), "\(r.output)")
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(try t.directory(of: nestor.upn).count == 11)
        #expect(try store.spokes(hub: hub).filter { $0.settings[GroupMailboxes.groupKey] == t.group }.count == 4)
        #expect(try store.spokes(hub: hub).allSatisfy { $0.settings[GroupMailboxes.pausedKey] == nil })

        // Removed: the spokes go, the hub keeps every contact, the mailboxes are left as they are.
        let kept = try store.liveItems(hub: hub).count
        let folder = try t.graph.contacts(in: megan, folder: try #require(try t.graph.folders(in: megan).first { $0.name == GraphFolders.defaultName }).id).count
        r = await cli.run(["spoke", "remove-group", "company", "--group", "All Company", "--spokes", "remove"])
        #expect(r.output.contains("4 spoke(s) removed"), "\(r.output)")
        #expect(try store.spokes(hub: hub).map(\.kind) == [.directory])
        #expect(try store.liveItems(hub: hub).count == kept)
        #expect(await cli.run("sync company").exitCode == 0)
        #expect(try t.graph.contacts(in: megan, folder: try #require(try t.graph.folders(in: megan).first { $0.name == GraphFolders.defaultName }).id).count == folder)
    }

    @Test func theDefaultFolderIsPickedByItsID() async throws {
        let graph = GraphEmulator()
        let bob = graph.addUser(displayName: "Bob Ray", mailNickname: "bob")
        graph.addApp(clientID: "cli-app", secret: "cli-secret")
        _ = try await graph.start()
        defer { Task { await graph.stop() } }
        try graph.createContact(in: bob.upn, fields: ["givenName": "Gus", "surname": "Gray"])
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        let r = await cli.run(["spoke", "add", "team", "--name", "Bob", "--kind", "m365", "--client-id", "cli-app",
                               "--client-secret", "cli-secret", "--tenant", graph.tenantID, "--mailbox", bob.upn,
                               "--folder", try graph.defaultFolderID(of: bob.upn),
                               "--authority-url", graph.authorityURL!.absoluteString, "--graph-url", graph.graphURL!.absoluteString])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        let spoke = try #require(try SQLiteStore(path: cli.db).spokes(hub: HubID("team")).first)
        // Stored as the default folder (`/contacts`), as when no folder is named.
        #expect(spoke.settings["m365.folderName"] == "Contacts" && spoke.settings["m365.folder"] == nil)
        #expect(await cli.run("sync team").exitCode == 0)
        #expect(try SQLiteStore(path: cli.db).liveItems(hub: HubID("team")).count == 1)
    }
}
