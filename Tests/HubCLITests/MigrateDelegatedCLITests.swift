import Emulators
import Foundation
import SyncModel
import SyncStore
import SyncStoreSQLite
import Testing
import TestSupport
@testable import HubCLI

/// `spoke migrate HUB SPOKE --to m365` signed in as the mailbox's user (authorization code with
/// PKCE, the loopback redirect, curl as the browser): no app secret for the tenant, no mailbox
/// named; the links are kept and the next sync writes nothing.
@Suite struct MigrateDelegatedCLITests {
    @Test func anExchangeSpokeMovesSignedInAsItsUser() async throws {
        try await MigrateCLITests().mailbox { m in
            m.graph.consent = .autoApprove
            _ = try m.ews.createContact(Emulators.EWSContact(givenName: "Cy", surname: "Ng", email: "cy@example.com"), in: m.upn)
            let cli = try CLI()
            _ = await cli.run("hub create Team")
            var r = await cli.run(["spoke", "add", "team", "--name", "Mail", "--kind", "ews", "--url", "http://127.0.0.1:\(m.ewsPort)",
                                   "--user", m.upn, "--password", "Ex-pw 3"])
            #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
            let folder = try cli.folder("office")
            try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: folder)
            #expect(await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path]).error == nil)
            #expect(await cli.run("sync team").exitCode == 0)
            let store = try SQLiteStore(path: cli.db)
            let hub = HubID("team")
            let items = try store.liveItems(hub: hub)

            // No tenant: delegated, whoever signs in (the emulator signs in the mailbox's user).
            r = await cli.run(["spoke", "migrate", "team", "mail", "--to", "m365", "--client-id", "cli-app", "--client-secret", "cli-secret",
                               "--open-with", "curl -sSL -o /dev/null"] + m.endpoints)
            #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
            #expect(r.output.contains("moved spoke mail (Mail) to Microsoft 365, mailbox \(m.upn)"), "\(r.output)")
            #expect(r.output.contains("2 link(s) kept"), "\(r.output)")
            #expect(m.graph.requestCount("oauth.token.authorization_code") == 1)
            let spoke = try #require(try store.spokes(hub: hub).first { $0.id == SpokeID("mail") })
            #expect(spoke.kind == .graph && spoke.settings["m365.mailbox"] == nil && spoke.settings["m365.refreshToken"] != nil)
            #expect(spoke.settings["m365.tenant"] == "organizations")

            m.graph.resetCounters()
            m.ews.resetCounters()
            r = await cli.run("sync team")
            #expect(r.exitCode == 0, "\(r.output)")
            for op in ["contacts.create", "contacts.update", "contacts.delete", "batch"] {
                #expect(m.graph.requestCount(op) == 0, "\(op): \(m.graph.requestCounts)")
            }
            #expect(m.graph.requestCount("contacts.delta") >= 1 && m.graph.requestCount("oauth.token.refresh_token") == 1)
            #expect(m.ews.requestCounts.isEmpty)
            #expect(try store.liveItems(hub: hub) == items)
        }
    }
}
