import ArgumentParser
import Foundation
import HubServer
import SyncModel
import SyncStore

/// `hubsync worker`: syncs due hubs with no web app, sharing the hubs with every other worker
/// and server on the same database through leases.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Sync the due hubs, with no web app: run as many workers as you like, on any machines sharing the database.",
        discussion: """
            Each due hub (its schedule, or "Sync now" on a server started with --no-scheduler) is leased by \
            one worker at a time. A worker that dies stops renewing its leases; once they expire (--lease-seconds) \
            another worker takes its hubs, and the interrupted passes are picked up where they stopped. \
            SIGTERM or SIGINT lets the running passes finish, then hands their hubs back.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Sync passes running at once; the worker leases no more hubs than that.") var maxPasses = 8
    @Option(help: "How long a lease lives unless renewed: a dead worker's hubs wait this long.") var leaseSeconds = 60
    @Option(help: "How often to look for hubs asked for or freed by other workers.") var pollSeconds = 5
    @Option(help: "On SIGTERM or Ctrl-C, the seconds running syncs get to finish before they are cancelled (their hubs are handed back).")
    var shutdownGrace = 30
    @Option(help: "This worker's name in leases and logs; unique to it (default: host, pid and a random part).") var id: String?
    @Option(help: "Serve /metrics, /healthz and /readyz on this port (default: none).") var metricsPort: Int?
    @Option(help: "The address the metrics port listens on (whoever reaches it reads the metrics).") var metricsHost = "127.0.0.1"
    @OptionGroup var google: ServeGoogleOptions
    @OptionGroup var m365: ServeM365Options

    func validate() throws {
        if !(1...256).contains(maxPasses) { throw ValidationError("--max-passes must be 1...256") }
        if !(10...3600).contains(leaseSeconds) { throw ValidationError("--lease-seconds must be 10...3600") }
        if !(1...300).contains(pollSeconds) { throw ValidationError("--poll-seconds must be 1...300") }
        if let metricsPort, !(0...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be 0...65535") }
        if let id, id.isEmpty || id.count > 200 { throw ValidationError("--id must be 1 to 200 characters") }
    }

    func run() async throws {
        let opened = try global.openStore()
        guard let store = opened as? any SyncStore & HubLeaseStore else {
            throw CLIError("this database keeps no hub leases: workers need the SQLite or PostgreSQL store")
        }
        var logger = global.logger
        logger.logLevel = global.verbose ? .debug : .notice
        let context = try global.serverContext(store: opened, logger: logger)
        let provider = ConnectorProvider(context: context, google: try google.settings(), m365: m365.client)
        var settings = HubWorker.Settings()
        settings.maxPasses = maxPasses
        settings.keepHistory = global.keepHistory
        settings.leaseLength = TimeInterval(leaseSeconds)
        settings.poll = TimeInterval(pollSeconds)
        settings.shutdownGrace = .seconds(shutdownGrace)
        settings.monitor = metricsPort.map { HubWorker.Monitor(host: metricsHost, port: $0) }
        let database = global.databasePath
        let worker = HubWorker(
            store: store, provider: provider, settings: settings, id: id.map { WorkerID($0) } ?? PassLease.newWorkerID(),
            lock: { hub in try HubLock(database: database, hub: hub.rawValue) }, logger: logger)
        Console.line("HubSync worker \(worker.id) is syncing due hubs (database \(database)); Ctrl-C stops it.")
        try await worker.run()
    }
}
