import ConnectorKit
import Emulators
import Foundation
import Logging
import Synchronization
import Testing
import TestSupport
@testable import HubCLI

/// `--log-format json`: one JSON object a line, each with time, level, label, message (and the
/// hub and spoke in its metadata), still neutralised and still without a secret.
@Suite struct JSONLogTests {
    @Test func syncLogsOneJSONObjectALineAndNoSecret() async throws {
        let google = PeopleEmulator()
        google.addAccount(email: "ann@example.com", clientID: "cli-test", clientSecret: "cli-secret")
        let base = try await google.start()
        _ = try google.createContact(in: "ann@example.com", givenName: "Gus", familyName: "Gray", emailAddress: "gus@example.com")
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        var r = await cli.run(["spoke", "add", "team", "--name", "Google", "--kind", "google", "--client-id", "cli-test",
                               "--client-secret", "cli-secret", "--google-endpoint", base.absoluteString,
                               "--google-account", "ann@example.com", "--open-with", "curl -sSL -o /dev/null"])
        try #require(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        let folder = try cli.folder("office")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: folder)
        _ = await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path])

        r = await cli.run("sync team -v --log-format json")
        #expect(r.exitCode == 0, "\(r.output)")
        let lines = r.log.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count > 5, "\(r.log)")
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["time"] is String && object["level"] is String && object["message"] is String, "\(line)")
            #expect(object["label"] as? String == "hubsync")
            #expect(!line.contains("cli-secret") && !line.contains("Bearer") && !line.contains("refresh_token") && !line.contains("access_token"))
        }
        let request = try #require(lines.first { $0.contains(" → ") }, "\(r.log)")
        let metadata = (try JSONSerialization.jsonObject(with: Data(request.utf8)) as? [String: Any])?["metadata"] as? [String: Any]
        #expect(metadata?["hub"] as? String == "team" && metadata?["spoke"] != nil, "\(request)")
        await google.stop()
    }

    @Test func aForgedLineStaysOneNeutralisedEvent() throws {
        let out = Mutex("")
        let logger = Logger(label: "hubsync") { label in
            SafeLogHandler(inner: JSONLogHandler(label: label, write: { s in out.withLock { $0 += s } }))
        }
        logger.error("folder \"x\"\n{\"level\":\"info\"}\u{1B}[31m", metadata: ["name": "a\nb", "list": ["c\u{202E}d"]])
        let text = out.withLock { $0 }
        #expect(text.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let message = try #require(object["message"] as? String)
        #expect(!message.contains("\n") && !message.contains("\u{1B}"), "\(message)")
        #expect(object["level"] as? String == "error")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect((metadata["name"] as? String)?.contains("\n") == false)
        #expect((metadata["list"] as? [String])?.first?.contains("\u{202E}") == false)
    }

    @Test func everyCommandTakesTheOption() throws {
        for args in [["serve", "--log-format", "json"], ["worker", "--log-format", "json"], ["sync", "--all", "--log-format", "json"], ["hub", "list", "--log-format", "text"]] {
            #expect(throws: Never.self) { _ = try HubSyncCommand.parseAsRoot(args) }
        }
        #expect(throws: (any Error).self) { _ = try HubSyncCommand.parseAsRoot(["hub", "list", "--log-format", "xml"]) }
    }
}
