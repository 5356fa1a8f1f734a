import ArgumentParser
import Foundation
import Synchronization
@testable import HubCLI

/// Runs `hubsync` commands in-process against a database in a fresh temporary directory,
/// capturing what they print.
struct CLI {
    let dir: URL
    /// A postgres:// URL instead of the SQLite file in `dir`.
    var database: String?
    var db: String { database ?? dir.appendingPathComponent("hub.sqlite").path }

    init(database: String? = nil) throws {
        self.database = database
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func folder(_ name: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Result {
        var output: String
        /// What was logged (standard error in a real run).
        var log: String = ""
        /// nil: success.
        var error: Error?
        var exitCode: Int32 {
            guard let error else { return 0 }
            return HubSyncCommand.exitCode(for: error).rawValue
        }
    }

    /// `args` as typed after `hubsync`; `--db` is added after the subcommand path.
    @discardableResult
    func run(_ args: [String], terminal: Bool = false) async -> Result {
        let buffer = Mutex("")
        let log = Mutex("")
        let console = Console(isTerminal: terminal, log: { s in log.withLock { $0 += s } }) { s in buffer.withLock { $0 += s } }
        do {
            // A server database keeps the key in the user's data directory: the test's instead.
            let key = database == nil ? [] : ["--key-file", dir.appendingPathComponent("hubsync.key").path]
            var command = try HubSyncCommand.parseAsRoot(args + ["--db", db] + key)
            try await Console.$current.withValue(console) {
                if var async = command as? AsyncParsableCommand {
                    try await async.run()
                } else {
                    try command.run()
                }
            }
            return Result(output: buffer.withLock { $0 }, log: log.withLock { $0 }, error: nil)
        } catch {
            return Result(output: buffer.withLock { $0 }, log: log.withLock { $0 }, error: error)
        }
    }

    func run(_ line: String, terminal: Bool = false) async -> Result {
        await run(line.split(separator: " ").map(String.init), terminal: terminal)
    }
}
