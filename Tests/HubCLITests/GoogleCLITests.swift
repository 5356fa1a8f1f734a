import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport
@testable import HubCLI

/// `spoke add --kind google`: Sign in with Google (PKCE, a loopback redirect) against the People
/// API emulator, with curl as the browser, then a sync.
@Suite struct GoogleCLITests {
    @Test func signInWithGoogleAndSync() async throws {
        let google = PeopleEmulator()
        google.addAccount(email: "ann@example.com", clientID: "cli-test", clientSecret: "cli-secret")
        let base = try await google.start()
        _ = try google.createContact(in: "ann@example.com", givenName: "Gus", familyName: "Gray", emailAddress: "gus@example.com")
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        let browser = "curl -sSL -o /dev/null"
        var r = await cli.run(["spoke", "add", "team", "--name", "Google", "--kind", "google", "--client-id", "cli-test",
                               "--client-secret", "wrong", "--google-endpoint", base.absoluteString, "--open-with", browser])
        let refused = r.error.map { "\($0)" } ?? ""
        #expect(refused.contains("Google refused the sign-in (invalid_client)"), "\(refused) \(r.output)")
        #expect(refused.contains("the server at \(ServerName.of(base)) (POST "), "\(refused)")
        r = await cli.run(["spoke", "add", "team", "--name", "Google", "--kind", "google", "--client-id", "cli-test",
                           "--client-secret", "cli-secret", "--google-endpoint", base.absoluteString,
                           "--google-account", "ann@example.com", "--open-with", browser])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        #expect(r.output.contains("signed in to Google"))

        let folder = try cli.folder("office")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: folder)
        _ = await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path])
        r = await cli.run("sync team")
        #expect(r.exitCode == 0, "\(r.output)")
        #expect(try google.contacts(in: "ann@example.com").compactMap(\.givenName).sorted() == ["Ada", "Gus"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 2)
        // A later run signs in with the stored refresh token alone.
        #expect(await cli.run("sync team").exitCode == 0)
        #expect(google.requestCount("oauth.token.refresh_token") >= 2)
        // Google rotates refresh tokens (the old one stops working): the newest is kept.
        google.rotateRefreshTokens = true
        #expect(await cli.run("sync team").exitCode == 0)
        #expect(await cli.run("sync team").exitCode == 0)
        r = await cli.run("sync team")
        #expect(r.exitCode == 0, "\(r.output)")
        let db = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        #expect(db.range(of: Data("cli-secret".utf8)) == nil)
        await google.stop()
    }
}
