import Emulators
import Foundation
import HubCLI
import HubServer
import Secrets
import SyncModel
import SyncStoreSQLite
import Testing
import TestSupport

/// Microsoft 365 in headless Chromium (python/web_m365.py): the wizard's "Sign in with
/// Microsoft" through the Graph emulator's consent page, then the hub page's "Mailboxes of a
/// group" form; the mailboxes are checked through the emulator. Skipped without chromium,
/// chromedriver and selenium, unless CI is set.
@Suite(.serialized) struct M365BrowserTests {
    static let shots = "m365"
    static let clientID = "hubsync-m365-web-test", clientSecret = "m365-web-secret"
    static let admin = WebFixture.admin, adminPassword = WebFixture.adminPassword

    /// The web app as `hubsync serve --m365-client-id … --m365-authority-url …` builds it, in
    /// front of the emulator's tenant (three mailboxes with three contacts each, the group
    /// All Company of them), asking for consent on a page as Microsoft does.
    struct Fixture {
        let graph: GraphEmulator
        let members: [GraphUserRecord]
        let store: SQLiteStore
        let app: HubApp
        let url: URL
        let directory: URL

        static func start() async throws -> Fixture {
            let graph = GraphEmulator()
            graph.addApp(clientID: clientID, secret: clientSecret)
            graph.consent = .consentPage
            let (members, _) = try graph.seedDemoTenant(contactsPerUser: 3)
            _ = try await graph.start()
            // A first sync of nine contacts is over in milliseconds: slowed down so the page sees
            // it running, as the other browser tests do with their emulators.
            graph.faults.latency = .milliseconds(200)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-m365-web-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path)
            let secrets = try SecretBox.load(keyFile: directory.appendingPathComponent("hubsync.key"), environment: [:])
            let provider = try ConnectorProvider(
                store: store, secrets: secrets, m365ClientID: clientID, m365ClientSecret: clientSecret,
                m365Authority: graph.authorityURL, m365Graph: graph.graphURL)
            let app = HubApp(store: store, provider: provider,
                             settings: HubApp.Settings(host: "127.0.0.1", port: 0, bcryptCost: 4, scheduler: false))
            let port = try await app.start()
            try app.createAdmin(user: admin, password: adminPassword)
            return Fixture(graph: graph, members: members, store: store, app: app,
                           url: URL(string: "http://127.0.0.1:\(port)")!, directory: directory)
        }

        func stop() async {
            await app.stop()
            await graph.stop()
            try? FileManager.default.removeItem(at: directory)
        }

        func browser(_ mode: String, _ args: [String]) async throws -> String {
            let out = try await PythonScript.run(
                "web_m365.py", in: BrowserTools.scripts,
                [mode, "--url", url.absoluteString, "--shots", BrowserTools.screenshots.appendingPathComponent(shots).path,
                 "--admin-user", admin, "--admin-password", adminPassword] + args,
                needs: BrowserTools.needed)
            print(out)
            return out
        }

        /// The given names in a member's "Company Directory" folder.
        func companyDirectory(of upn: String) throws -> [String] {
            guard let f = try graph.folders(in: upn).first(where: { $0.name == "Company Directory" }) else { return [] }
            return try graph.contacts(in: upn, folder: f.id).compactMap(\.givenName).sorted()
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func signInWithMicrosoftThenTheMailboxesOfAGroup() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let fx = try await Fixture.start()
        defer { Task { await fx.stop() } }
        try clearScreenshots(of: Self.shots)
        let signedIn = fx.members[0].upn
        let own = try fx.graph.contacts(in: signedIn).compactMap(\.givenName).sorted()
        #expect(own.count == 3)

        // 1. The wizard: Sign in with Microsoft (the emulator signs in its first mailbox user),
        //    the default folder, a new hub, the first sync.
        var out = try await fx.browser("signin", ["--hub-name", "Microsoft 365", "--expect-contacts", String(own.count)])
        #expect(out.contains("SUMMARY: signin all checks passed"))
        let hub = HubID(slugOf: "Microsoft 365")
        await fx.app.waitForSync(hub)
        let spokes = try fx.store.spokes(hub: hub)
        #expect(spokes.count == 1 && spokes.first?.kind == .graph)
        #expect(spokes.first?.settings["m365.account"]?.lowercased() == signedIn.lowercased(), "\(spokes.first?.settings ?? [:])")
        #expect(spokes.first?.settings["m365.refreshToken"] != nil && spokes.first?.settings["m365.mailbox"] == nil,
                "delegated: a sealed refresh token, no app-only mailbox")

        // 2. The hub page: the mailboxes of All Company. The signed-in mailbox is synced
        //    already, so the other two members get a spoke each, and Sync now fills their
        //    Company Directory folders with the hub's contacts.
        out = try await fx.browser("group", [
            "--hub", hub.rawValue, "--group", "All Company", "--tenant", fx.graph.tenantID,
            "--client-id", Self.clientID, "--client-secret", Self.clientSecret, "--expect-members", "2",
        ])
        #expect(out.contains("SUMMARY: group all checks passed"))
        await fx.app.waitForSync(hub)
        let members = try fx.store.spokes(hub: hub).filter { $0.settings["m365.group"] != nil }
        #expect(Set(members.compactMap { $0.settings["m365.account"]?.lowercased() })
                == Set(fx.members.dropFirst().map { $0.upn.lowercased() }))
        for m in fx.members.dropFirst() {
            #expect(try fx.companyDirectory(of: m.upn) == own, "\(m.upn)")
        }

        // 3. The group made receive-only, then no longer followed: its spokes paused, kept.
        out = try await fx.browser("groupmanage", ["--hub", hub.rawValue, "--group", "All Company", "--expect-members", "2"])
        #expect(out.contains("SUMMARY: groupmanage all checks passed"))
        let after = try fx.store.spokes(hub: hub).filter { $0.settings["m365.formerGroup"] != nil }
        #expect(after.count == 2 && after.allSatisfy { $0.settings["m365.paused"] != nil && $0.settings["m365.receiveOnly"] == "true" })

        let shots = screenshots(of: Self.shots)
        for name in ["m365-sign-in", "m365-consent", "m365-signed-in", "m365-hub", "group-form", "group-added", "group-synced",
                     "group-receive-only", "group-stopped"] {
            #expect(shots[name]?.isPNG == true, "no screenshot \(name) in \(BrowserTools.screenshots.path)/\(Self.shots)")
        }
    }
}
