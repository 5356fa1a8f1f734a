import ArgumentParser
import Foundation
import Logging
import Synchronization
import ConnectorKit
import ConnectorMemory
import HubServer
import SyncEngine
import SyncModel
import SyncStore
import SyncStorePostgres
import SyncStoreSQLite

/// Issue 19's fleet benchmark: H hubs of C contacts (two memory spokes each, answering after
/// `latency`), scheduled every minute, synced by 1, 2 and 4 workers sharing the hubs through
/// leases in the store. Each scheduled round has one edit per hub; then a quiet round. The
/// workers run in this process (each its own runner, lease and pass cap, as `hubsync worker`
/// has), so they share its cores, as workers on one machine would.
struct FleetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Workers sharing hubs: one scheduled round with 1, 2 and 4 workers, a quiet round, SQLite against PostgreSQL.")

    @Option(help: "Hubs.") var hubs = 1_000
    @Option(help: "Contacts in each hub.") var contacts = 1_000
    @Option(help: "Each spoke call's latency, in milliseconds.") var latencyMs = 50
    @Option(help: "The worker counts to time a round with, comma-separated.") var workers = "1,2,4"
    @Option(help: "Passes each worker runs at once.") var maxPasses = 8
    @Option(help: "An empty PostgreSQL database (postgres://…?host=/socket/dir); without it, SQLite only.") var postgres: String?

    static let goalSpeedup = 3.0

    /// The store as one that keeps hub leases (every store the workers can use does).
    static func leases(_ store: any SyncStore) throws -> any SyncStore & HubLeaseStore {
        guard let s = store as? any SyncStore & HubLeaseStore else { throw BenchFailure("this store keeps no hub leases") }
        return s
    }

    func run() async throws {
        let counts = workers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard counts.first == 1 else { throw ValidationError("--workers starts with 1: the others are compared with it") }
        print("hubsync-bench fleet: \(hubs) hubs × \(contacts) contacts, spokes answer after \(latencyMs) ms, \(maxPasses) passes a worker")
        var single: [String: Double] = [:]
        var stores: [(name: String, open: @Sendable () throws -> any SyncStore & HubLeaseStore)] = []
        if let postgres {
            let url = try PostgresURL(postgres)
            stores.append(("PostgreSQL", { try Self.leases(PostgresStore(url, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })) }))
        }
        let path = NSTemporaryDirectory() + "hubsync-fleet-\(UUID().uuidString).sqlite"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        stores.append(("SQLite", { try SQLiteStore(path: path) }))
        for (name, open) in stores {
            let fleet = try await FleetSetup.load(open: open, hubs: hubs, contacts: contacts, maxPasses: maxPasses)
            let loaded = Memory.currentMB
            print("\n\(name): loaded in \(String(format: "%.1f", fleet.loadSeconds)) s (no latency), rss \(loaded) MB")
            var times: [Int: Double] = [:]
            for count in counts {
                fleet.editOnePerHub()
                let cpu = MachineCPU.now()
                let t = try await fleet.round(workers: count, latency: .milliseconds(latencyMs), maxPasses: maxPasses, expectEdit: true)
                let busy = MachineCPU.now().busyShare(since: cpu)
                times[count] = t
                let ratio = times[1].map { $0 / t } ?? 1
                let goal = count == 4 ? String(format: "   (goal ≥ %.0f×: %@)", Self.goalSpeedup, ratio >= Self.goalSpeedup ? "met" : "not met") : ""
                print(String(format: "  round, 1 edit a hub, %d worker%@ %8.2f s   %.2f× one worker   cores busy %3.0f%%", count, count == 1 ? ": " : "s:", t, ratio, busy * 100) + goal)
            }
            let most = counts.max() ?? 1
            let cpu = MachineCPU.now()
            let quiet = try await fleet.round(workers: most, latency: .milliseconds(latencyMs), maxPasses: maxPasses, expectEdit: false)
            let busy = MachineCPU.now().busyShare(since: cpu)
            print(String(format: "  quiet round, %d workers:      %8.2f s   %.1f ms a hub   cores busy %3.0f%% of %d", most, quiet, quiet * 1000 / Double(hubs), busy * 100, MachineCPU.cores))
            single[name] = times[1]
            print(String(format: "  peak rss of the process %.0f MB (its workers and the %d spokes' contacts, in memory; %d MB once loaded)", Memory.peakMB, hubs * 2, loaded))
        }
        if let pg = single["PostgreSQL"], let lite = single["SQLite"] {
            print(String(format: "\none worker, the same round: SQLite %.2f s, PostgreSQL %.2f s: PostgreSQL takes %.2f× SQLite's time", lite, pg, pg / lite))
        }
    }
}
