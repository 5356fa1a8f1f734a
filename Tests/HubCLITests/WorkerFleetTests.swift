import Foundation
import Testing
import SyncModel
import SyncStore
import SyncStorePostgres
import SyncStoreSQLite
import TestSupport

/// Three `hubsync worker` processes share 200 scheduled hubs; one is killed with SIGKILL in the
/// middle of its passes and another started. Every hub converges with nothing duplicated, no
/// hub is synced by two workers at once (its runs never overlap), and the dead worker's hubs
/// are taken over once its leases expire. On a SQLite file and on PostgreSQL.
@Suite(.serialized) struct WorkerFleetTests {
    enum Database: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }

        /// A fresh database: the CLI harness on it, the store the test reads, and what a worker
        /// process needs besides `--db` (PostgreSQL's key is not next to a file).
        func open() throws -> (cli: CLI, store: any SyncStore & HubLeaseStore, extra: [String]) {
            switch self {
            case .sqlite:
                let cli = try CLI()
                return (cli, try SQLiteStore(path: cli.db), [])
            case .postgres:
                try OutsideTools.require(.postgresql)
                let url = try PostgresCluster.running().newDatabase()
                let cli = try CLI(database: url)
                return (cli, try PostgresStore(PostgresURL(url)), ["--key-file", cli.dir.appendingPathComponent("hubsync.key").path])
            }
        }
    }

    static let hubCount = 200
    static let peoplePerHub = 3

    /// One vCard per person; hub `i`'s people are its own.
    static func card(_ hub: Int, _ n: Int) -> String {
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h\(hub)-p\(n)@fleet.test\r\nFN:Person \(n) of hub \(hub)\r\nN:Hub \(hub);Person \(n);;;\r\n"
            + "EMAIL:p\(n).h\(hub)@fleet.test\r\nEND:VCARD\r\n"
    }

    final class Worker {
        let name: String
        let process = Process()
        /// `extra`: more options (a PostgreSQL database's `--key-file`).
        init(_ name: String, program: URL, db: String, log: URL, extra: [String] = []) throws {
            self.name = name
            // At low priority (nice execs the worker: the pid is the worker's): three busy workers
            // must not starve the tests running beside this one of the machine's two cores.
            let nice = URL(fileURLWithPath: "/usr/bin/nice")
            let worker = ["worker", "--db", db, "--id", name, "--poll-seconds", "1", "--lease-seconds", "10", "--max-passes", "4"] + extra
            if FileManager.default.isExecutableFile(atPath: nice.path) {
                process.executableURL = nice
                process.arguments = ["-n", "15", program.path] + worker
            } else {
                process.executableURL = program
                process.arguments = worker
            }
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let out = try FileHandle(forWritingTo: log)
            process.standardOutput = out
            process.standardError = out
            try process.run()
        }
        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    static func exited(_ process: Process) async throws {
        try await pollUntil("the worker's exit", seconds: 60) { !process.isRunning }
    }

    @Test(arguments: Database.allCases)
    func aKilledWorkersHubsAreTakenOverAndEveryHubConverges(database: Database) async throws {
        let program = try BuiltProgram.path("hubsync")
        let (cli, store, extra) = try database.open()
        defer { try? FileManager.default.removeItem(at: cli.dir) }
        var hubs: [HubID] = []
        for i in 0..<Self.hubCount {
            let hub = HubID("h\(i)")
            let a = try cli.folder("h\(i)/a"), b = try cli.folder("h\(i)/b")
            for n in 0..<Self.peoplePerHub {
                try Self.card(i, n).write(to: a.appendingPathComponent("p\(n).vcf"), atomically: true, encoding: .utf8)
            }
            try store.saveHub(HubConfig(id: hub, name: "Hub \(i)", scheduleMinutes: 60))  // due once in the test: the fleet idles after converging
            try store.saveSpoke(SpokeConfig(id: "a", hub: hub, name: "a", kind: .folder, position: 0, settings: ["path": a.path]))
            try store.saveSpoke(SpokeConfig(id: "b", hub: hub, name: "b", kind: .folder, position: 1, settings: ["path": b.path]))
            hubs.append(hub)
        }
        func finished() throws -> [HubID: [RunRecord]] {
            Dictionary(uniqueKeysWithValues: try hubs.map { ($0, try store.runs(hub: $0, limit: 100)) })
        }
        let log = { (name: String) in cli.dir.appendingPathComponent("\(name).log") }
        var workers = try ["w1", "w2", "w3"].map { try Worker($0, program: program, db: cli.db, log: log($0), extra: extra) }

        // Kill w2 as soon as it holds hubs (the first it takes: each hub is due once, so later the
        // fleet may have nothing left for it).
        try await pollUntil("w2 holding a hub", seconds: 240) { try store.leases().contains { $0.owner == "w2" } }
        kill(workers[1].process.processIdentifier, SIGKILL)
        try await Self.exited(workers[1].process)
        let killedAt = Date()
        let orphaned = try store.leases().filter { $0.owner == "w2" }.map(\.hub)
        #expect(!orphaned.isEmpty, "w2 died holding hubs")
        workers.append(try Worker("w4", program: program, db: cli.db, log: log("w4"), extra: extra))

        // Every hub converges: its people in both folders, once each; the orphans synced again by another.
        try await pollUntil("every hub synced, w2's hubs taken over", seconds: 300) {
            let runs = try finished()
            let allSynced = hubs.allSatisfy { hub in runs[hub]!.contains { $0.finishedAt != nil } }
            let takenOver = orphaned.allSatisfy { hub in runs[hub]!.contains { $0.finishedAt != nil && $0.startedAt > killedAt } }
            let released = try !store.leases().contains { $0.owner == "w2" }
            return allSynced && takenOver && released
        }
        for w in workers where w.process.isRunning { kill(w.process.processIdentifier, SIGTERM) }
        for w in workers {
            try await Self.exited(w.process)
            if w.name != "w2" {
                #expect(w.process.terminationStatus == 0, "\(w.name): \((try? String(contentsOf: log(w.name), encoding: .utf8)) ?? "")")
            }
        }

        for (i, hub) in hubs.enumerated() {
            for side in ["a", "b"] {
                let files = try FileManager.default.contentsOfDirectory(atPath: cli.dir.appendingPathComponent("h\(i)/\(side)").path)
                #expect(files.filter { $0.hasSuffix(".vcf") }.count == Self.peoplePerHub, "hub \(hub) folder \(side): \(files)")
            }
            #expect(try store.liveItemCount(hub: hub) == Self.peoplePerHub, "hub \(hub)")
            // One pass at a time: each finished run ended before the next began.
            let runs = try store.runs(hub: hub, limit: 100).sorted { $0.startedAt < $1.startedAt }
            for (run, next) in zip(runs, runs.dropFirst()) {
                if let end = run.finishedAt { #expect(end <= next.startedAt, "hub \(hub): runs \(run.id) and \(next.id) overlap") }
            }
        }
        #expect(try store.leases().allSatisfy { $0.owner == nil })
    }
}
