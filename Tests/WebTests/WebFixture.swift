import Emulators
import Foundation
import HubCLI
import HubServer
import Secrets
import SyncStoreSQLite
import TestSupport

/// What the browser tests need: without it they are skipped, except in CI (`CI` set), where
/// they fail (see `OutsideTools`).
enum BrowserTools {
    static let needed: [OutsideTool] = [.chromium, .chromedriver, .selenium]

    /// The selenium scripts of these tests.
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python")

    /// `$HUBSYNC_SCREENSHOTS`, else `.build/web-screenshots` under the package root.
    static let screenshots: URL = {
        if let dir = ProcessInfo.processInfo.environment["HUBSYNC_SCREENSHOTS"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/web-screenshots")
    }()
}

/// The web app as `hubsync serve` builds it (SQLite store, sealed secrets, HubCLI's
/// ConnectorProvider), with no admin yet, in front of an Exchange mailbox (EWS emulator) and a
/// Google account (People API emulator, asking for consent on a page like Google does).
struct WebFixture {
    static let mailbox = "ann@example.com", exchangeUser = "ann", exchangePassword = "Exchange-pass-1"
    static let googleAccount = "ann.example@gmail.example"
    static let clientID = "hubsync-web-test.apps.googleusercontent.com", clientSecret = "web-test-secret"
    static let admin = "admin", adminPassword = "correct horse battery staple"

    /// In Exchange only, in both (matched by email), in Google only.
    static let exchangeOnly = ["Ada Lovelace", "Grace Hopper"], shared = ["Alan Turing"]
    static let googleOnly = ["Katherine Johnson", "Edsger Dijkstra"]
    static var everyone: [String] { (exchangeOnly + shared + googleOnly).sorted() }

    let exchange: EWSEmulator
    let exchangeURL: URL
    let google: PeopleEmulator
    let store: SQLiteStore
    let app: HubApp
    let url: URL
    let directory: URL

    static func start() async throws -> WebFixture {
        let exchange = EWSEmulator(version: .exchange2016, auth: [.ntlm, .basic])
        exchange.addMailbox(email: mailbox, user: exchangeUser, password: exchangePassword, domain: "EXAMPLE")
        for (given, family, email, company) in [
            ("Ada", "Lovelace", "ada@example.com", "Analytical Engines"), ("Grace", "Hopper", "grace@example.com", "US Navy"),
            ("Alan", "Turing", "alan@example.com", "NPL"),
        ] {
            try exchange.createContact(EWSContact(givenName: given, surname: family, email: email, companyName: company), in: mailbox)
        }
        let exchangeURL = try await exchange.start()

        let google = PeopleEmulator()
        google.addAccount(email: googleAccount, clientID: clientID, clientSecret: clientSecret, displayName: "Ann Example")
        google.consent = .consentPage
        try google.createContact(in: googleAccount, givenName: "Alan", familyName: "Turing", emailAddress: "alan@example.com",
                                 phone: "+44 20 7946 0001")
        try google.createContact(in: googleAccount, givenName: "Katherine", familyName: "Johnson",
                                 emailAddress: "katherine@example.org", phone: "+1 757 555 0100")
        try google.createContact(in: googleAccount, givenName: "Edsger", familyName: "Dijkstra", emailAddress: "edsger@example.org")
        let googleBase = try await google.start()

        // Each request takes a little while, so a sync lasts long enough for the page to show its
        // progress between two polls (500 ms apart). A first sync makes some 6 to 8 requests one
        // after the other: at 80 ms each that was about one poll, too close under load.
        exchange.faults.latency = .milliseconds(200)
        google.faults.latency = .milliseconds(200)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-web-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path)
        let secrets = try SecretBox.load(keyFile: directory.appendingPathComponent("hubsync.key"), environment: [:])
        let provider = try ConnectorProvider(
            store: store, secrets: secrets, googleClientID: clientID, googleClientSecret: clientSecret, googleEndpoint: googleBase)
        let app = HubApp(
            store: store, provider: provider,
            // The scheduler runs, as in `hubsync serve`: the pages show its next sync. A hub has
            // a schedule only once the wizard's last step or the settings tab gives it one.
            settings: HubApp.Settings(host: "127.0.0.1", port: 0, bcryptCost: 4, scheduler: true))
        let port = try await app.start()
        return WebFixture(
            exchange: exchange, exchangeURL: exchangeURL, google: google, store: store, app: app,
            url: URL(string: "http://127.0.0.1:\(port)")!, directory: directory)
    }

    func stop() async {
        await app.stop()
        await exchange.stop()
        await google.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `python/SCRIPT MODE …` against this app, its screenshots in `shots` (default: MODE)
    /// under the screenshots root; its output.
    func browser(_ mode: String, _ args: [String], script: String = "web_wizard.py", shots: String? = nil) async throws -> String {
        let out = try await PythonScript.run(
            script, in: BrowserTools.scripts,
            [mode, "--url", url.absoluteString, "--shots", BrowserTools.screenshots.appendingPathComponent(shots ?? mode).path,
             "--admin-user", Self.admin, "--admin-password", Self.adminPassword] + args,
            needs: BrowserTools.needed)
        print(out)
        return out
    }

    // What the sources hold, as "Given Family" names.

    func exchangeNames() throws -> [String] {
        try exchange.contacts(in: Self.mailbox).map { "\($0.contact.givenName ?? "") \($0.contact.surname ?? "")" }.sorted()
    }

    func googleNames() throws -> [String] {
        try google.contacts(in: Self.googleAccount).map { "\($0.givenName ?? "") \($0.familyName ?? "")" }.sorted()
    }

    func exchangeContact(_ name: String) throws -> EWSContact? {
        try exchange.contacts(in: Self.mailbox).first { "\($0.contact.givenName ?? "") \($0.contact.surname ?? "")" == name }?.contact
    }

    func googleContact(_ name: String) throws -> PeopleContactRecord? {
        try google.contacts(in: Self.googleAccount).first { "\($0.givenName ?? "") \($0.familyName ?? "")" == name }
    }
}

/// The PNG screenshots a script run saved (names without the number prefix).
func screenshots(of mode: String) -> [String: Data] {
    let dir = BrowserTools.screenshots.appendingPathComponent(mode)
    let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    var shots: [String: Data] = [:]
    for file in files where file.hasSuffix(".png") {
        let base = file.dropLast(4)
        let name = base.first?.isNumber == true ? String(base.drop { $0.isNumber }.dropFirst()) : String(base)
        shots[name] = FileManager.default.contents(atPath: dir.appendingPathComponent(file).path)
    }
    return shots
}

/// Empties a screenshot directory of its PNGs (only those: it may be a directory of the user's).
func clearScreenshots(of mode: String) throws {
    let dir = BrowserTools.screenshots.appendingPathComponent(mode)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".png") {
        try FileManager.default.removeItem(at: dir.appendingPathComponent(file))
    }
}

extension Data {
    var isPNG: Bool { starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && count > 1000 }
}
