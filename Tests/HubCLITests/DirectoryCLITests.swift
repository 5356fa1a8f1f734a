import ConnectorGraph
import Emulators
import Foundation
import HubServer
import SyncModel
import SyncStoreSQLite
import Testing
import TestSupport
@testable import HubCLI

/// The company directory in every mailbox, end to end on the Graph emulator: a directory spoke
/// feeding one hub, the mailboxes of a group receiving it, members joining and leaving, a rename,
/// a removal, and a mass removal held by the deletion guard.
@Suite struct DirectoryCLITests {
    struct Tenant {
        let graph: GraphEmulator
        let group: String
        let members: [GraphUserRecord]
        let app: [String]

        static func start() async throws -> Tenant {
            let graph = GraphEmulator()
            let (members, group) = try graph.seedDemoTenant(contactsPerUser: 0)
            try graph.seedDemoDirectory()
            graph.addApp(clientID: "dir-app", secret: "dir-secret")
            _ = try await graph.start()
            let app = ["--tenant", graph.tenantID, "--client-id", "dir-app", "--client-secret", "dir-secret",
                       "--authority-url", graph.authorityURL!.absoluteString, "--graph-url", graph.graphURL!.absoluteString]
            return Tenant(graph: graph, group: group, members: members, app: app)
        }

        /// The given names in a member's Company Directory folder.
        func directory(of upn: String) throws -> [String] {
            guard let f = try graph.folders(in: upn).first(where: { $0.name == GraphFolders.defaultName }) else { return [] }
            return try graph.contacts(in: upn, folder: f.id).compactMap(\.givenName).sorted()
        }
    }

    @Test func theDirectoryReachesEveryMemberAndFollowsTheGroup() async throws {
        let t = try await Tenant.start()
        defer { Task { await t.graph.stop() } }
        let cli = try CLI()
        _ = await cli.run("hub create Company")
        var r = await cli.run(["spoke", "add", "company", "--name", "Directory", "--kind", "m365-directory"] + t.app)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        r = await cli.run(["spoke", "add-group", "company", "--group", "All Company"] + t.app)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        #expect(r.output.contains("3 mailbox spoke(s) added"), "\(r.output)")
        // The directory is one-way whatever is asked.
        let store = try SQLiteStore(path: cli.db)
        let directory = try #require(try store.spokes(hub: HubID("company")).first { $0.kind == .directory })
        #expect(!directory.options.twoWay)

        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        // 3 members + 7 colleagues; the guest, the shared mailbox and the room are left out.
        let everyone = try t.directory(of: t.members[0].upn)
        #expect(everyone.count == 10, "\(everyone)")
        #expect(!everyone.contains("Pat") && !everyone.contains("Reception"))
        for m in t.members { #expect(try t.directory(of: m.upn) == everyone) }
        let adeleFolder = try #require(try t.graph.folders(in: t.members[0].upn).first { $0.name == GraphFolders.defaultName })
        let diego = try #require(try t.graph.contacts(in: t.members[0].upn, folder: adeleFolder.id).first { $0.givenName == "Diego" })
        #expect(diego.fields["jobTitle"]?.string == "HR Manager" && diego.fields["officeLocation"]?.string == "20/1100")
        #expect(diego.photo != nil)

        // A quiet pass: one users delta round, one read of the group's members, one contact delta
        // per mailbox; nothing written, no photo read again.
        t.graph.resetCounters()
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        let counts = t.graph.requestCounts.filter { !$0.key.hasPrefix("oauth") }
        #expect(counts == ["users.delta": 1, "groups.transitiveMembers": 1, "contacts.delta": 3], "\(counts)")

        // Nestor joins the group: a fourth spoke, filled in the same pass.
        let nestor = t.graph.addUser(displayName: "Nestor Wilke", mailNickname: "nestorw", givenName: "Nestor", surname: "Wilke")
        try t.graph.setGroupMembers(t.group, t.members.map(\.upn) + [nestor.upn])
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(r.output.contains("nestorw@\(t.graph.domain) joined"), "\(r.output)")
        #expect(try t.directory(of: nestor.upn).count == 11)
        #expect(try t.directory(of: t.members[0].upn).contains("Nestor"))

        // Alex leaves: his spoke is paused, his folder kept as it was.
        let alex = t.members[1].upn
        try t.graph.setGroupMembers(t.group, [t.members[0].upn, t.members[2].upn, nestor.upn])
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(r.output.contains("paused"), "\(r.output)")
        r = await cli.run("spoke groups company")
        #expect(r.output.contains("paused: left the group All Company"), "\(r.output)")
        let alexBefore = try t.directory(of: alex)

        // A rename in the directory reaches the members (not the paused one).
        try t.graph.updateUser("diegos@\(t.graph.domain)") { $0["givenName"] = "Dieguito"; $0["displayName"] = "Dieguito Siciliani" }
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(try t.directory(of: t.members[0].upn).contains("Dieguito"))
        #expect(try t.directory(of: nestor.upn).contains("Dieguito"))
        #expect(try t.directory(of: alex) == alexBefore)

        // One colleague removed: gone from every member's folder (below the guard).
        try t.graph.removeUser("jonis@\(t.graph.domain)")
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(!(try t.directory(of: t.members[0].upn)).contains("Joni"))
        #expect(try t.directory(of: t.members[0].upn).count == 10)

        // Five of ten at once: held for an admin, nothing deleted in the mailboxes.
        for nick in ["gradya", "henriettam", "isaiahl", "johannal", "leeg"] { try t.graph.removeUser("\(nick)@\(t.graph.domain)") }
        r = await cli.run("sync company")
        #expect(r.output.contains("held"), "\(r.output)")
        #expect(try t.directory(of: t.members[0].upn).count == 10)
        #expect(try t.directory(of: nestor.upn).count == 10)

        // Alex comes back: his spoke resumes from where it stopped.
        try t.graph.setGroupMembers(t.group, [t.members[0].upn, alex, t.members[2].upn, nestor.upn])
        r = await cli.run("sync company")
        #expect(r.output.contains("resumed"), "\(r.output)")
        #expect(try t.directory(of: alex).contains("Dieguito"))
        #expect(try store.spokes(hub: HubID("company")).filter { $0.kind == .graph }.count == 4)
    }

    @Test func receiveOnlyFoldersGiveNothingBackAndTheHubOverwritesAnEdit() async throws {
        let t = try await Tenant.start()
        defer { Task { await t.graph.stop() } }
        let cli = try CLI()
        _ = await cli.run("hub create Company")
        _ = await cli.run(["spoke", "add", "company", "--name", "Directory", "--kind", "m365-directory"] + t.app)
        var r = await cli.run(["spoke", "add-group", "company", "--group", "All Company", "--receive-only"] + t.app)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        #expect(await cli.run("sync company").exitCode == 0)
        #expect(await cli.run("spoke groups company").output.contains("receive-only"))
        let (adele, megan) = (t.members[0].upn, t.members[2].upn)
        let folder = try #require(try t.graph.folders(in: adele).first { $0.name == GraphFolders.defaultName })
        func card(_ upn: String, _ given: String) throws -> GraphContactRecord? {
            let f = try t.graph.folders(in: upn).first { $0.name == GraphFolders.defaultName }!
            return try t.graph.contacts(in: upn, folder: f.id).first { $0.givenName == given }
        }
        // Adele edits a colleague, deletes one and adds her own in the folder: none of it travels.
        _ = try t.graph.updateContact(try #require(try card(adele, "Diego")).id, in: adele) { $0["jobTitle"] = "Boss" }
        try t.graph.deleteContact(try #require(try card(adele, "Grady")).id, in: adele)
        _ = try t.graph.createContact(in: adele, fields: ["givenName": "Zed", "surname": "Mine"], folder: folder.id)
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(try card(megan, "Diego")?.fields["jobTitle"]?.string == "HR Manager")
        #expect(try card(megan, "Grady") != nil && card(megan, "Zed") == nil)
        #expect(try card(adele, "Zed") != nil && card(adele, "Diego")?.fields["jobTitle"]?.string == "Boss")
        // The directory's next change to Diego is written over Adele's edit, with no conflict.
        try t.graph.updateUser("diegos@\(t.graph.domain)") { $0["jobTitle"] = "People Lead" }
        r = await cli.run("sync company")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(try card(adele, "Diego")?.fields["jobTitle"]?.string == "People Lead")
        #expect(try card(megan, "Diego")?.fields["jobTitle"]?.string == "People Lead")
    }

    @Test func anUnknownGroupOrAWrongSecretIsRefusedAtOnce() async throws {
        let t = try await Tenant.start()
        defer { Task { await t.graph.stop() } }
        let cli = try CLI()
        _ = await cli.run("hub create Company")
        var r = await cli.run(["spoke", "add-group", "company", "--group", "Nobody"] + t.app)
        #expect(r.error != nil && "\(r.error!)".contains("no group 'Nobody'"), "\(r.error.map { "\($0)" } ?? "")")
        var wrong = t.app
        wrong[5] = "nope"
        r = await cli.run(["spoke", "add-group", "company", "--group", "All Company"] + wrong)
        #expect(r.error != nil)
        r = await cli.run(["spoke", "add", "company", "--name", "Directory", "--kind", "m365-directory"] + wrong)
        #expect(r.error != nil)
        #expect(try SQLiteStore(path: cli.db).spokes(hub: HubID("company")).isEmpty)
    }

    @Test func theWebAppAddsTheGroupAndTheDirectory() async throws {
        let t = try await Tenant.start()
        defer { Task { await t.graph.stop() } }
        let cli = try CLI()
        _ = await cli.run("hub create Company")
        let provider = try cli.provider(m365Authority: t.graph.authorityURL, m365Graph: t.graph.graphURL)
        let info = try #require(provider.kinds.first { $0.kind == .directory })
        #expect(info.available && info.fields.map(\.name) == ["tenant", "clientID", "clientSecret"])
        var form = SpokeForm()
        form.tenant = t.graph.tenantID
        form.clientID = "dir-app"
        form.clientSecret = "nope"
        #expect(await blamedField { _ = try await provider.discover(.directory, form) } == "clientSecret")
        form.clientSecret = "dir-secret"
        let found = try await provider.discover(.directory, form)
        #expect(found.folders.count == 1)
        let settings = try await provider.settings(.directory, form, folder: nil)
        #expect(settings["m365.clientSecret"] != "dir-secret")

        let added = try await provider.addGroupMailboxes(hub: HubID("company"), GroupMailboxesRequest(
            group: t.group, tenant: t.graph.tenantID, clientID: "dir-app", clientSecret: "dir-secret"))
        #expect(added.name == "All Company" && added.members.count == 3 && added.failed.isEmpty && !added.receiveOnly)
        #expect(Set(added.members.map(\.mailbox)) == Set(t.members.map(\.upn)))
        #expect(try provider.groupMailboxes(hub: HubID("company")).count == 1)
        for m in t.members { #expect(try t.graph.folders(in: m.upn).contains { $0.name == GraphFolders.defaultName }) }
    }
}
