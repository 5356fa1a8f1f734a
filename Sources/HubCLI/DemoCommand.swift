import ArgumentParser
import Foundation
import HubServer
import SyncStorePostgres

/// `hubsync demo`: the web app with local stand-ins for an Exchange mailbox, a Google account,
/// a Microsoft 365 tenant (its company-directory hub made and synced), a CardDAV server and a
/// folder, and a login printed to use it. Runs until Ctrl-C.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Try HubSync in a browser: the web app, with local stand-ins for Exchange, Google, Microsoft 365 and CardDAV.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Where to put the demo (default: a new temporary directory).") var dir: String?
    @Option(help: "The port of the web app (0: any free one).") var port = 8080
    @Option(help: "How many sample contacts the Exchange mailbox starts with (Google gets three quarters as many).")
    var contacts = 40

    func validate() throws {
        if !(4...5000).contains(contacts) { throw ValidationError("--contacts must be 4...5000") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0...65535") }
        if let db = global.db, PostgresURL.isPostgres(db) { throw ValidationError("the demo keeps its hubs in a SQLite file: --db is a path here") }
    }

    func run() async throws {
        var options = WebDemo.Options(
            directory: dir.map { URL(fileURLWithPath: $0) }, database: global.db, port: port, contacts: contacts)
        options.progress = { Console.line("… \($0)") }
        let demo = try await WebDemo.prepare(options)
        do {
            try await runUntilStopped(demo.app) { port in Console.line(demo.banner(port: port)) }
        } catch {
            await demo.shutdown()
            throw error
        }
        await demo.shutdown()
    }
}

/// Serves until SIGINT or SIGTERM. The stop a signal asks for is the normal end, whichever
/// service ends with a CancellationError on the way out.
func runUntilStopped(_ app: HubApp, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
    do {
        try await app.run(onRunning: onRunning)
    } catch is CancellationError {
        return
    } catch where "\(error)".contains("Address already in use") {
        throw CLIError("the port is taken: pick another with --port (0: any free one)")
    }
}
