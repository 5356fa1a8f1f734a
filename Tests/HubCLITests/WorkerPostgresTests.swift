import Foundation
import Testing
import SyncModel
import SyncStore
import SyncStorePostgres
import TestSupport

/// `hubsync worker --db postgres://…`: the worker leases hubs in PostgreSQL (`HubLeaseStore`),
/// syncs a due hub and hands it back when stopped.
@Suite struct WorkerPostgresTests {
    @Test func aWorkerSyncsAScheduledHubAndStopsOnSIGTERM() async throws {
        try OutsideTools.require(.postgresql)
        let program = try BuiltProgram.path("hubsync")
        let url = try PostgresCluster.running().newDatabase()
        let cli = try CLI(database: url)
        defer { try? FileManager.default.removeItem(at: cli.dir) }
        let store = try PostgresStore(PostgresURL(url))
        let a = try cli.folder("a"), b = try cli.folder("b")
        for n in 0..<3 {
            try WorkerFleetTests.card(0, n).write(to: a.appendingPathComponent("p\(n).vcf"), atomically: true, encoding: .utf8)
        }
        let hub: HubID = "team"
        try store.saveHub(HubConfig(id: hub, name: "Team", scheduleMinutes: 1))
        try store.saveSpoke(SpokeConfig(id: "a", hub: hub, name: "a", kind: .folder, position: 0, settings: ["path": a.path]))
        try store.saveSpoke(SpokeConfig(id: "b", hub: hub, name: "b", kind: .folder, position: 1, settings: ["path": b.path]))

        let log = cli.dir.appendingPathComponent("w1.log")
        let worker = try WorkerFleetTests.Worker(
            "w1", program: program, db: url, log: log, extra: ["--key-file", cli.dir.appendingPathComponent("hubsync.key").path])
        let output = { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        try await pollUntil("the hub synced", seconds: 60) {
            try store.runs(hub: hub, limit: 10).contains { $0.finishedAt != nil && $0.status == .succeeded }
        }
        // The pass holds the lease only while it runs: handed back once it is done.
        try await pollUntil("the lease handed back", seconds: 30) { try store.lease(hub: hub)?.owner == nil }
        let files = try FileManager.default.contentsOfDirectory(atPath: b.path).filter { $0.hasSuffix(".vcf") }
        #expect(files.count == 3, "\(files)")
        #expect(try store.liveItemCount(hub: hub) == 3)

        kill(worker.process.processIdentifier, SIGTERM)
        try await WorkerFleetTests.exited(worker.process)
        #expect(worker.process.terminationReason == .exit && worker.process.terminationStatus == 0, "\(output())")
        #expect(try store.leases().allSatisfy { $0.owner == nil })
    }
}
