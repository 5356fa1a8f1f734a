import Emulators
import Foundation
import HubCLI
import HubServer
import Secrets
import SyncModel
import SyncStoreSQLite
import Testing
import TestSupport

/// The kinds of Exchange source: in headless Chromium the wizard adds a shared mailbox (after
/// impersonation without the role is refused in plain words) and a public folder picked from the
/// tree (python/web_exchange_kinds.py), then syncs; the JSON API takes the same form fields.
/// Skipped without chromium, chromedriver and selenium, unless CI is set.
@Suite(.serialized) struct ExchangeKindsBrowserTests {
    static let shots = "exchange-kinds"
    static let admin = WebFixture.admin, adminPassword = WebFixture.adminPassword
    static let ada = "ada@example.com", sales = "sales@example.com", carl = "carl@example.com"

    @Test(.timeLimit(.minutes(10)))
    func theWizardAddsASharedMailboxAndAPublicFolder() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let ews = EWSEmulator(version: .exchange2016, auth: [.ntlm, .basic])
        ews.addMailbox(email: Self.ada, user: "ada", password: "Ex-pw 4", domain: "EXAMPLE")
        ews.addMailbox(email: Self.sales, user: "sales", password: "p-\(UUID())", domain: "EXAMPLE")
        ews.addMailbox(email: Self.carl, user: "carl", password: "p-\(UUID())", domain: "EXAMPLE")
        try ews.grantFullAccess(to: Self.ada, on: Self.sales)
        for given in ["Sam", "Sue"] { try ews.createContact(EWSContact(givenName: given, surname: "Sales"), in: Self.sales) }
        let company = try ews.addPublicFolder(named: "Company", contacts: false, everyone: .reviewer)
        let partners = try ews.addPublicFolder(named: "Partners", parent: company.id)
        let locked = try ews.addPublicFolder(named: "Locked", everyone: .reviewer)
        try ews.createContact(EWSContact(givenName: "Pat", surname: "Partner"), in: EWSEmulator.publicFolders, folder: partners.id)
        try ews.createContact(EWSContact(givenName: "Lou", surname: "Locked"), in: EWSEmulator.publicFolders, folder: locked.id)
        let ewsURL = try await ews.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-ews-kinds-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path)
        let secrets = try SecretBox.load(keyFile: directory.appendingPathComponent("hubsync.key"), environment: [:])
        let provider = try ConnectorProvider(store: store, secrets: secrets)
        let app = HubApp(store: store, provider: provider,
                         settings: HubApp.Settings(host: "127.0.0.1", port: 0, bcryptCost: 4, scheduler: false))
        let port = try await app.start()
        let url = URL(string: "http://127.0.0.1:\(port)")!
        defer {
            Task {
                await app.stop()
                await ews.stop()
                try? FileManager.default.removeItem(at: directory)
            }
        }
        try clearScreenshots(of: Self.shots)
        try app.createAdmin(user: Self.admin, password: Self.adminPassword)

        let out = try await PythonScript.run(
            "web_exchange_kinds.py", in: BrowserTools.scripts,
            ["kinds", "--url", url.absoluteString, "--shots", BrowserTools.screenshots.appendingPathComponent(Self.shots).path,
             "--admin-user", Self.admin, "--admin-password", Self.adminPassword, "--ews-url", ewsURL.absoluteString,
             "--ews-user", "ada", "--ews-password", "Ex-pw 4", "--shared", Self.sales, "--impersonated", Self.carl,
             "--hub-name", "Sales contacts", "--expect-contacts", "3"],
            needs: BrowserTools.needed)
        print(out)
        #expect(out.contains("SUMMARY: kinds all checks passed"))
        let hub = HubID(slugOf: "Sales contacts")
        let spokes = try store.spokes(hub: hub)
        #expect(spokes.map { $0.settings["ews.source"] } == ["other", "public"])
        #expect(spokes.first?.settings["ews.mailbox"] == Self.sales && spokes.last?.settings["ews.folder"] == partners.id)
        #expect(try ews.contacts(in: Self.ada).isEmpty, "Ada's own mailbox is not touched")
        for name in ["exchange-impersonation-refused", "exchange-shared-connected", "exchange-public-folder", "exchange-kinds-hub"] {
            #expect(screenshots(of: Self.shots)[name]?.isPNG == true, "no screenshot \(name)")
        }

        // The JSON API takes the same fields; a refusal names the field.
        let api = try await APISession(url, user: Self.admin, password: Self.adminPassword)
        let form: [String: Any] = ["url": ewsURL.absoluteString, "user": "ada", "password": "Ex-pw 4", "version": "2016",
                                   "mailboxKind": "other", "mailbox": Self.carl, "access": "impersonation"]
        do {
            try await api.send("POST", "api/hubs/\(hub.rawValue)/spokes", ["name": "Carl", "kind": "ews", "form": form])
            Issue.record("impersonation without the role was accepted")
        } catch {
            #expect("\(error)".contains("422") && "\(error)".contains(#""field":"access""#), "\(error)")
        }
        try ews.grantImpersonation(to: Self.ada)
        try await api.send("POST", "api/hubs/\(hub.rawValue)/spokes", ["name": "Carl", "kind": "ews", "form": form])
        let carl = try #require(try store.spokes(hub: hub).first { $0.name == "Carl" })
        #expect(carl.settings["ews.source"] == "other" && carl.settings["ews.access"] == "impersonation")
    }
}
