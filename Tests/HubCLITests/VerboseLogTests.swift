import ConnectorKit
import Emulators
import Foundation
import Testing
import TestSupport
@testable import HubCLI

/// `hubsync sync -v` against the People API emulator and a folder: each HTTP request (method,
/// URL without its query, status, time), the engine's decisions, the hub and the spoke on every
/// line, one outcome line; no secret; and without `-v` none of it.
@Suite struct VerboseLogTests {
    @Test func syncDashVShowsEachRequestAndDecisionButNoSecret() async throws {
        let google = PeopleEmulator()
        google.addAccount(email: "ann@example.com", clientID: "cli-test", clientSecret: "cli-secret")
        let base = try await google.start()
        defer { Task { await google.stop() } }
        _ = try google.createContact(in: "ann@example.com", givenName: "Gus", familyName: "Gray", emailAddress: "gus@example.com")
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        var r = await cli.run(["spoke", "add", "team", "--name", "Google", "--kind", "google", "--client-id", "cli-test",
                               "--client-secret", "cli-secret", "--google-endpoint", base.absoluteString,
                               "--google-account", "ann@example.com", "--open-with", "curl -sSL -o /dev/null", "-v"])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        // Setting a spoke up shows its requests too (the sign-in's code for tokens), and no secret.
        #expect(r.log.contains("POST \(ServerName.of(base))/"), "\(r.log)")
        for secret in ["cli-secret", "Bearer", "refresh_token", "access_token", "code_verifier"] {
            #expect(!r.log.contains(secret), "\(secret) in the setup log")
        }
        let folder = try cli.folder("office")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: folder)
        _ = await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path])

        r = await cli.run("sync team")
        #expect(r.exitCode == 0, "\(r.output)")
        for debugOnly in [" debug ", " info ", "→", "pull plan", "sync finished"] {
            #expect(!r.log.contains(debugOnly), "without -v: \(r.log)")
        }

        // A change on each side; the listing now carries its sync token in the query.
        _ = try google.createContact(in: "ann@example.com", givenName: "Hal", familyName: "Hill", emailAddress: "hal@example.com")
        try writeCard(person("Bea", "Bell", "bea@example.com"), "bea", in: folder)
        r = await cli.run("sync team -v")
        #expect(r.exitCode == 0, "\(r.output)")
        let lines = r.log.split(separator: "\n").map(String.init)
        let origin = ServerName.of(base)
        let requests = lines.filter { $0.contains(" → ") }
        #expect(requests.contains { $0.contains("GET \(origin)/v1/people/me/connections → 200 in ") && $0.hasSuffix(" ms") },
                "\(r.log)")
        #expect(requests.contains { $0.contains("POST \(origin)/") }, "the token refresh and the writes: \(r.log)")
        for line in requests {
            #expect(line.contains("hub=team") && line.contains("spoke="), "\(line)")
            #expect(!line.contains("?"), "a query may carry a token: \(line)")
        }
        #expect(lines.contains { $0.contains("pull plan") && $0.contains("hub=team") && $0.contains("spoke=") }, "\(r.log)")
        #expect(lines.contains { $0.contains("push") && $0.contains("op=create") && $0.contains("hub=team") }, "\(r.log)")
        #expect(lines.filter { $0.contains("sync finished") }.count == 1, "\(r.log)")
        for secret in ["cli-secret", "syncToken", "pageToken", "Bearer", "refresh_token", "access_token"] {
            #expect(!r.log.contains(secret), "\(secret) in the log")
        }
    }
}
