import Emulators
import Foundation
import HubServer
import SyncModel
import Testing
import TestSupport
@testable import HubCLI

/// `spoke add --kind m365` against the Graph emulator: Sign in with Microsoft (PKCE, a loopback
/// redirect, curl as the browser) for one's own mailbox, and app-only access to another
/// mailbox of the tenant, into a folder HubSync creates; then syncs.
@Suite struct M365CLITests {
    @Test func delegatedAndAppOnlySpokesSync() async throws {
        let graph = GraphEmulator()
        let ann = graph.addUser(displayName: "Ann Lee", mailNickname: "ann")
        let bob = graph.addUser(displayName: "Bob Ray", mailNickname: "bob")
        graph.addApp(clientID: "cli-app", secret: "cli-secret")
        graph.consent = .autoApprove
        _ = try await graph.start()
        defer { Task { await graph.stop() } }
        try graph.createContact(in: ann.upn, fields: ["givenName": "Gus", "surname": "Gray"])
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        let endpoints = ["--authority-url", graph.authorityURL!.absoluteString, "--graph-url", graph.graphURL!.absoluteString]
        var r = await cli.run(["spoke", "add", "team", "--name", "Mine", "--kind", "m365", "--client-id", "cli-app",
                               "--client-secret", "cli-secret", "--tenant", graph.tenantID, "--open-with", "curl -sSL -o /dev/null"]
                              + endpoints)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        #expect(r.output.contains("Microsoft 365 mailbox \(ann.upn)"), "\(r.output)")
        // App-only: a wrong secret is refused at once; the right one reaches Bob's mailbox.
        r = await cli.run(["spoke", "add", "team", "--name", "Bob", "--kind", "m365", "--client-id", "cli-app",
                           "--client-secret", "wrong", "--tenant", graph.tenantID, "--mailbox", bob.upn] + endpoints)
        #expect(r.error != nil)
        r = await cli.run(["spoke", "add", "team", "--name", "Bob", "--kind", "m365", "--client-id", "cli-app",
                           "--client-secret", "cli-secret", "--tenant", graph.tenantID, "--mailbox", bob.upn,
                           "--create-folder", "Company Directory"] + endpoints)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        #expect(r.output.contains("Contacts/Company Directory"), "\(r.output)")

        r = await cli.run("sync team")
        #expect(r.exitCode == 0, "\(r.output)")
        let directory = try #require(try graph.folders(in: bob.upn).first { $0.name == "Company Directory" })
        #expect(try graph.contacts(in: bob.upn, folder: directory.id).compactMap(\.givenName) == ["Gus"])
        // Later runs sign in with the stored (rotated) refresh token and the sealed secret.
        graph.rotateRefreshTokens = true
        #expect(await cli.run("sync team").exitCode == 0)
        r = await cli.run("sync team")
        #expect(r.exitCode == 0, "\(r.output)")
        let db = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        #expect(db.range(of: Data("cli-secret".utf8)) == nil)
    }

    @Test func theWizardOffersMicrosoft365AppOnlyAndChecksIt() async throws {
        let graph = GraphEmulator()
        let bob = graph.addUser(displayName: "Bob Ray", mailNickname: "bob")
        graph.addApp(clientID: "web-app", secret: "web-secret")
        _ = try await graph.start()
        defer { Task { await graph.stop() } }
        let cli = try CLI()
        let provider = try cli.provider(m365Authority: graph.authorityURL, m365Graph: graph.graphURL)
        let info = try #require(provider.kinds.first { $0.kind == .graph })
        #expect(info.available && info.signIn == nil)
        #expect(info.fields.first { $0.name == "clientID" }?.help?.contains("adminconsent?client_id=") == true)
        var form = SpokeForm(email: bob.upn)
        form.tenant = graph.tenantID
        form.clientID = "web-app"
        form.clientSecret = "nope"
        #expect(await blamedField { _ = try await provider.discover(.graph, form) } == "clientSecret")
        form.clientSecret = "web-secret"
        let found = try await provider.discover(.graph, form)
        #expect(found.folders.map(\.name) == ["Contacts", "Company Directory"])
        let settings = try await provider.settings(.graph, form, folder: found.folders[1].id)
        #expect(settings["m365.mailbox"] == bob.upn && settings["m365.folder"] != nil)
        #expect(settings["m365.clientSecret"] != "web-secret")
        #expect(try graph.folders(in: bob.upn).contains { $0.name == "Company Directory" })
    }
}
