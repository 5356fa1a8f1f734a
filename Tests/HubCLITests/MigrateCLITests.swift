import Emulators
import Foundation
import HubServer
import SyncModel
import SyncStore
import SyncStoreSQLite
import Testing
import TestSupport
@testable import HubCLI

/// `spoke migrate HUB SPOKE --to m365` through the real composition root: an Exchange Online
/// mailbox served by both emulators, an EWS spoke and a folder spoke, then the move to Graph.
@Suite struct MigrateCLITests {
    struct Mailbox {
        let ews: EWSEmulator
        let graph: GraphEmulator
        let upn: String
        let ewsPort: Int
        var endpoints: [String] { ["--authority-url", graph.authorityURL!.absoluteString, "--graph-url", graph.graphURL!.absoluteString] }
        var appOnly: [String] { ["--tenant", graph.tenantID, "--client-id", "cli-app", "--client-secret", "cli-secret"] + endpoints }
    }

    func mailbox(_ body: (Mailbox) async throws -> Void) async throws {
        let graph = GraphEmulator()
        let ann = graph.addUser(displayName: "Ann Lee", mailNickname: "ann")
        graph.addApp(clientID: "cli-app", secret: "cli-secret")
        let ews = EWSEmulator(version: .exchange2016, auth: .all)
        ews.addMailbox(email: ann.upn, user: ann.upn, password: "Ex-pw 3", domain: "CONTOSO")
        try graph.shareMailbox(ann.upn, with: ews, email: ann.upn)
        try await withResource({ () async throws -> Mailbox in
            let url = try await ews.start()
            _ = try await graph.start()
            return Mailbox(ews: ews, graph: graph, upn: ann.upn, ewsPort: url.port!)
        }, close: { m in
            await m.ews.stop()
            await m.graph.stop()
        }, body)
    }

    /// Names of the .vcf files and their bytes: what a sync wrote there, if anything.
    func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            out[f] = try Data(contentsOf: dir.appendingPathComponent(f))
        }
        return out
    }

    @Test func anExchangeSpokeMovesToMicrosoft365AndTheNextSyncWritesNothing() async throws {
        try await mailbox { m in
            _ = try m.ews.createContact(Emulators.EWSContact(givenName: "Cy", surname: "Ng", email: "cy@example.com"), in: m.upn)
            let cli = try CLI()
            _ = await cli.run("hub create Team")
            var r = await cli.run(["spoke", "add", "team", "--name", "Mail", "--kind", "ews", "--url", "http://127.0.0.1:\(m.ewsPort)",
                                   "--user", m.upn, "--password", "Ex-pw 3", "--categorize", "Team"])
            #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
            let folder = try cli.folder("office")
            try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: folder)
            #expect(await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path]).error == nil)
            r = await cli.run("sync team")
            #expect(r.exitCode == 0, "\(r.output)")
            #expect(try m.graph.contacts(in: m.upn).compactMap(\.givenName).sorted() == ["Ada", "Cy"])

            let store = try SQLiteStore(path: cli.db)
            let hub = HubID("team")
            let items = try store.liveItems(hub: hub)
            let journal = try store.journal(hub: hub, JournalQuery(limit: 1000)).count
            // App-only, the mailbox being the Exchange user's address.
            r = await cli.run(["spoke", "migrate", "team", "mail", "--to", "m365"] + m.appOnly)
            #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
            #expect(r.output.contains("moved spoke mail (Mail) to Microsoft 365, mailbox \(m.upn)"), "\(r.output)")
            #expect(r.output.contains("2 link(s) kept"), "\(r.output)")
            let spoke = try #require(try store.spokes(hub: hub).first { $0.id == SpokeID("mail") })
            #expect(spoke.kind == .graph && spoke.name == "Mail" && spoke.options.categorizeAs == "Team")
            #expect(spoke.settings["m365.mailbox"] == m.upn && spoke.settings["ews.folder"] == nil)
            #expect(spoke.settings["m365.clientSecret"] != "cli-secret")
            // `spoke list` says so.
            #expect(await cli.run("spoke list team").output.contains("graph"))

            m.graph.resetCounters()
            m.ews.resetCounters()
            let files = try snapshot(folder)
            r = await cli.run("sync team")
            #expect(r.exitCode == 0, "\(r.output)")
            for op in ["contacts.create", "contacts.update", "contacts.delete", "batch"] {
                #expect(m.graph.requestCount(op) == 0, "\(op): \(m.graph.requestCounts)")
            }
            #expect(m.graph.requestCount("contacts.delta") >= 1)
            #expect(m.ews.requestCounts.isEmpty)
            #expect(try snapshot(folder) == files)
            #expect(try store.liveItems(hub: hub) == items)
            #expect(try store.journal(hub: hub, JournalQuery(limit: 1000)).count == journal)

            // And on: an edit made in Outlook on the web reaches the folder.
            let cy = try #require(try m.graph.contacts(in: m.upn).first { $0.givenName == "Cy" })
            _ = try m.graph.updateContact(cy.id, in: m.upn) { $0["jobTitle"] = "Pilot" }
            #expect(await cli.run("sync team").exitCode == 0)
            let cards = try snapshot(folder).values.map { String(decoding: $0, as: UTF8.self) }
            #expect(cards.contains { $0.contains("TITLE:Pilot") })
        }
    }

    @Test func aMigrationThatFailsLeavesTheExchangeSpokeWorking() async throws {
        try await mailbox { m in
            _ = try m.ews.createContact(Emulators.EWSContact(givenName: "Cy", surname: "Ng", email: "cy@example.com"), in: m.upn)
            let cli = try CLI()
            _ = await cli.run("hub create Team")
            _ = await cli.run(["spoke", "add", "team", "--name", "Mail", "--kind", "ews", "--url", "http://127.0.0.1:\(m.ewsPort)",
                               "--user", m.upn, "--password", "Ex-pw 3"])
            #expect(await cli.run("sync team").exitCode == 0)
            // Graph refuses the translation (no admin consent yet): nothing is switched.
            m.graph.faults.inject(.httpStatus(403), count: 1, operation: "translateExchangeIds")
            var r = await cli.run(["spoke", "migrate", "team", "mail", "--to", "m365"] + m.appOnly)
            #expect(r.error != nil)
            m.graph.faults.clear()
            // A wrong mailbox is refused: its folders are not the spoke's.
            let bob = m.graph.addUser(displayName: "Bob", mailNickname: "bob")
            r = await cli.run(["spoke", "migrate", "team", "mail", "--to", "m365", "--mailbox", bob.upn] + m.appOnly)
            #expect(r.error.map { "\($0)" }?.contains("same mailbox") == true, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
            let store = try SQLiteStore(path: cli.db)
            #expect(try store.spokes(hub: HubID("team")).first?.kind == .ews)
            m.ews.resetCounters()
            r = await cli.run("sync team")
            #expect(r.exitCode == 0, "\(r.output)")
            #expect(m.ews.requestCount("SyncFolderItems") >= 1 && m.ews.requestCount("CreateItem") == 0)
            // Only Exchange spokes move.
            #expect(await cli.run(["spoke", "migrate", "team", "mail", "--to", "google"] + m.appOnly).error != nil)
        }
    }

    @Test func theWebAppMovesASpokeThroughTheProvider() async throws {
        try await mailbox { m in
            _ = try m.ews.createContact(Emulators.EWSContact(givenName: "Cy", surname: "Ng", email: "cy@example.com"), in: m.upn)
            let cli = try CLI()
            _ = await cli.run("hub create Team")
            _ = await cli.run(["spoke", "add", "team", "--name", "Mail", "--kind", "ews", "--url", "http://127.0.0.1:\(m.ewsPort)",
                               "--user", m.upn, "--password", "Ex-pw 3"])
            #expect(await cli.run("sync team").exitCode == 0)
            let provider = try cli.provider(m365Authority: m.graph.authorityURL, m365Graph: m.graph.graphURL)
            let store = try SQLiteStore(path: cli.db)
            let spoke = try #require(try store.spokes(hub: HubID("team")).first)
            var form = SpokeForm()
            form.tenant = m.graph.tenantID
            form.clientID = "cli-app"
            form.clientSecret = "cli-secret"
            let change = try await provider.migration(spoke, to: .graph, form)
            #expect(change.spoke.kind == .graph && change.spoke.settings["m365.mailbox"] == m.upn)
            #expect(change.translated.count == 1 && change.asked.count == 1)
            _ = try provider.connector(for: change.spoke)
        }
    }
}
