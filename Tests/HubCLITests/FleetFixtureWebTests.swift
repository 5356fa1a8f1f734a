import Foundation
import HubServer
import SyncModel
import SyncStore
import SyncStoreSQLite
import Testing
@testable import HubCLI

/// The database main wrote before the fleet (`hub-before-fleet`, see `UpgradeFixtureTests`,
/// which also syncs it and finds nothing sent) gains the web state's tables; its admin account
/// is untouched and is what the web app signs in against; a token made on it reads its hubs.
@Suite struct FleetFixtureWebTests {
    /// The admin's bcrypt hash as the fixture holds it.
    static let adminHash = "$2b$12$QGwwlNE6yYENUDfgCRcmCOxfJ4S16fkzYDDs.VzyKMTDm8AUv3SI2"

    @Test func gainsTheWebStateAndKeepsItsAdmin() async throws {
        let cli = try CLI()
        try FileManager.default.copyItem(
            at: UpgradeFixtureTests.Fixture.beforeFleet.url.appendingPathComponent("hub.sqlite"), to: URL(fileURLWithPath: cli.db))
        let store = try SQLiteStore(path: cli.db)
        // The new tables are there, empty, and work.
        #expect(try store.apiTokens().isEmpty)
        #expect(try store.session(idHash: "x") == nil)
        #expect(try store.signInFailures(user: "admin", peer: "p", since: Date(timeIntervalSince1970: 0)) == SignInFailures())
        #expect(try store.account(named: "admin")?.passwordHash == Self.adminHash)

        let app = HubApp(store: store, provider: try cli.provider(), settings: .init(port: 0, bcryptCost: 4, scheduler: false))
        // An admin exists: no setup code, on this server or any other.
        #expect(app.setupCode == nil)
        let port = try await app.start()
        let base = "http://127.0.0.1:\(port)"
        #expect(try await curlOffPool([base + "/api/setup"]).contains(#""needed":false"#))
        // The account is the one signed in against (a wrong password is refused as such).
        let wrong = try await curlOffPool(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                              "--data", #"{"user":"admin","password":"not the password"}"#, base + "/api/session"])
        #expect(wrong == "401")

        let made = await cli.run(["token", "create", "monitoring"])
        let secret = try #require(made.output.split(separator: "\n").last.map(String.init))
        let hubs = try await curlOffPool(["-H", "Authorization: Bearer \(secret)", base + "/api/hubs"])
        #expect(hubs.contains(#""id":"team""#) && hubs.contains(#""id":"cal""#), "\(hubs)")
        let invitations = try await curlOffPool(["-H", "Authorization: Bearer \(secret)", base + "/api/invitations"])
        #expect(invitations.contains("ann@example.com"))
        await app.stop()
        #expect(try store.account(named: "admin")?.passwordHash == Self.adminHash)
    }
}
