import Foundation
import HubServer
import Logging
import Synchronization
import SyncStoreSQLite
import Testing
import TestSupport
@testable import HubCLI

/// `hubsync token`: made on the command line, used by a script against `serve`'s JSON API (a
/// real server, over loopback, with curl): read only GETs, admin changes; revoked is 401. The
/// secret is printed once and is in no log line nor the database file.
@Suite(.serialized) struct TokenCLITests {
    final class Lines: @unchecked Sendable {
        let all = Mutex<[String]>([])
        struct Handler: LogHandler {
            let lines: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                lines.all.withLock { $0.append("\(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })") }
            }
        }
        var logger: Logger { Logger(label: "test") { _ in Handler(lines: self) } }
        var text: String { all.withLock { $0.joined(separator: "\n") } }
    }

    static func secret(in output: String) -> String? {
        output.split(separator: "\n").last { $0.hasPrefix(APITokenService.prefix) }.map(String.init)
    }

    @Test func createdOnTheCommandLineUsedByAScriptRevoked() async throws {
        let cli = try CLI()
        let made = await cli.run(["token", "create", "monitoring", "--scope", "read"])
        #expect(made.error == nil, "\(String(describing: made.error))")
        let reader = try #require(Self.secret(in: made.output), "\(made.output)")
        let admin = try #require(Self.secret(in: await cli.run(["token", "create", "deploy", "--scope", "admin"]).output))
        #expect(await cli.run(["token", "create", "x", "--scope", "root"]).error != nil)

        let log = Lines()
        let app = HubApp(
            store: try SQLiteStore(path: cli.db), provider: try cli.provider(), settings: .init(port: 0, bcryptCost: 4, scheduler: false),
            logger: log.logger)
        let port = try await app.start()
        let url = "http://127.0.0.1:\(port)/api/hubs"
        func status(_ token: String, _ extra: [String] = []) async throws -> String {
            try await curlOffPool(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)"] + extra + [url])
        }
        let create = ["-H", "Content-Type: application/json", "--data", #"{"name":"Team"}"#]
        #expect(try await status(reader) == "200")
        #expect(try await status(reader, create) == "403")
        #expect(try await status(admin, create) == "201")
        #expect(try await curlOffPool(["-H", "Authorization: Bearer \(reader)", url]).contains("\"team\""))

        let listed = await cli.run(["token", "list"])
        #expect(listed.output.contains("monitoring") && listed.output.contains("deploy") && listed.output.contains("read"))
        #expect(!listed.output.contains(reader) && !listed.output.contains(admin))
        let id = try #require(listed.output.split(separator: "\n").first { $0.contains("monitoring") }?.split(separator: " ").first)
        #expect(await cli.run(["token", "revoke", String(id)]).error == nil)
        #expect(await cli.run(["token", "revoke", String(id)]).error != nil)
        #expect(try await status(reader) == "401")
        #expect(try await status(admin) == "200")
        await app.stop()

        for secret in [reader, admin] {
            #expect(!log.text.contains(secret) && !made.log.contains(secret) && !listed.log.contains(secret))
            #expect(!FleetFiles.bytes(cli.db).contains(Data(secret.utf8)))
        }
    }
}

enum FleetFiles {
    /// The database file and its write-ahead log.
    static func bytes(_ path: String) -> Data {
        [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
    }
}

/// curl on a thread of its own. The server it calls answers on the cooperative pool, which a
/// test blocked in `waitUntilExit` must not hold: two such tests at once on two cores starve it
/// and both wait forever.
func curlOffPool(_ args: [String]) async throws -> String {
    try await withCheckedThrowingContinuation { (cont: CheckedContinuation<String, any Error>) in
        Thread.detachNewThread { cont.resume(with: Result { try curl(["--max-time", "60"] + args) }) }
    }
}
