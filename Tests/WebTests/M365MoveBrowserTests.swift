import Emulators
import Foundation
import HubCLI
import HubServer
import Secrets
import SyncModel
import SyncStoreSQLite
import Testing
import TestSupport

/// "Move to Microsoft 365" on an Exchange source's page, with "Sign in with Microsoft" (the
/// Graph emulator's consent page) instead of an app's secret, in headless Chromium
/// (python/web_m365.py migrate): the source moves with its links, and its next sync goes
/// through Graph, writing nothing. The EWS and Graph emulators serve one mailbox. Skipped
/// without chromium, chromedriver and selenium, unless CI is set.
@Suite(.serialized) struct M365MoveBrowserTests {
    static let shots = "m365-move"
    static let clientID = "hubsync-m365-move-test", clientSecret = "m365-move-secret"
    static let admin = WebFixture.admin, adminPassword = WebFixture.adminPassword

    @Test(.timeLimit(.minutes(10)))
    func anExchangeSourceMovesWithSignInWithMicrosoft() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let graph = GraphEmulator()
        let ann = graph.addUser(displayName: "Ann Lee", mailNickname: "ann")
        graph.addApp(clientID: Self.clientID, secret: Self.clientSecret)
        graph.consent = .consentPage
        let ews = EWSEmulator(version: .exchange2016, auth: .all)
        ews.addMailbox(email: ann.upn, user: ann.upn, password: "Ex-pw 3", domain: "CONTOSO")
        try graph.shareMailbox(ann.upn, with: ews, email: ann.upn)
        for (given, family) in [("Cy", "Ng"), ("Dee", "Fox")] {
            _ = try ews.createContact(Emulators.EWSContact(givenName: given, surname: family, email: "\(given.lowercased())@example.com"), in: ann.upn)
        }
        let ewsURL = try await ews.start()
        _ = try await graph.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-m365-move-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path)
        let secrets = try SecretBox.load(keyFile: directory.appendingPathComponent("hubsync.key"), environment: [:])
        let provider = try ConnectorProvider(
            store: store, secrets: secrets, m365ClientID: Self.clientID, m365ClientSecret: Self.clientSecret,
            m365Authority: graph.authorityURL, m365Graph: graph.graphURL)
        let app = HubApp(store: store, provider: provider,
                         settings: HubApp.Settings(host: "127.0.0.1", port: 0, bcryptCost: 4, scheduler: false))
        let port = try await app.start()
        let url = URL(string: "http://127.0.0.1:\(port)")!
        defer {
            Task {
                await app.stop()
                await graph.stop()
                await ews.stop()
                try? FileManager.default.removeItem(at: directory)
            }
        }
        try clearScreenshots(of: Self.shots)

        // A hub with the Exchange source, synced once through EWS.
        try app.createAdmin(user: Self.admin, password: Self.adminPassword)
        let api = try await APISession(url, user: Self.admin, password: Self.adminPassword)
        let hubID = try #require(try await api.send("POST", "api/hubs", ["name": "Mail"]).0["id"] as? String)
        let hub = HubID(hubID)
        try await api.send("POST", "api/hubs/\(hubID)/spokes", ["name": "Exchange", "kind": "ews", "form": [
            "url": ewsURL.absoluteString, "user": ann.upn, "password": "Ex-pw 3", "version": "2016",
        ]])
        try await api.send("POST", "api/hubs/\(hubID)/sync")
        await app.waitForSync(hub)
        let spoke = try #require(try store.spokes(hub: hub).first)
        #expect(try spoke.kind == .ews && store.liveItems(hub: hub).count == 2)

        // The source's page: Sign in with Microsoft, the consent page, back, moved.
        let out = try await PythonScript.run(
            "web_m365.py", in: BrowserTools.scripts,
            ["migrate", "--url", url.absoluteString, "--shots", BrowserTools.screenshots.appendingPathComponent(Self.shots).path,
             "--admin-user", Self.admin, "--admin-password", Self.adminPassword, "--hub", hubID, "--spoke", spoke.id.rawValue,
             "--expect-kept", "2"],
            needs: BrowserTools.needed)
        print(out)
        #expect(out.contains("SUMMARY: migrate all checks passed"))
        let moved = try #require(try store.spokes(hub: hub).first)
        #expect(moved.id == spoke.id && moved.kind == .graph && moved.name == "Exchange")
        #expect(moved.settings["m365.refreshToken"] != nil && moved.settings["m365.mailbox"] == nil, "delegated")
        #expect(moved.settings["m365.account"]?.lowercased() == ann.upn.lowercased())

        // The next sync goes through Graph and writes nothing; EWS is not asked.
        graph.resetCounters()
        ews.resetCounters()
        try await api.send("POST", "api/hubs/\(hubID)/sync")
        await app.waitForSync(hub)
        for op in ["contacts.create", "contacts.update", "contacts.delete", "batch"] {
            #expect(graph.requestCount(op) == 0, "\(op): \(graph.requestCounts)")
        }
        #expect(graph.requestCount("contacts.delta") >= 1)
        #expect(ews.requestCounts.isEmpty)
        #expect(try store.liveItems(hub: hub).count == 2)

        let shots = screenshots(of: Self.shots)
        for name in ["move-section", "move-consent", "move-done"] {
            #expect(shots[name]?.isPNG == true, "no screenshot \(name) in \(BrowserTools.screenshots.path)/\(Self.shots)")
        }
    }
}
