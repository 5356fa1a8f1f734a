import Foundation
import Synchronization
import Testing
import SyncModel
import SyncStore
import SyncStorePostgres
import TestSupport
@testable import HubServer

/// On PostgreSQL, "Sync now" on a web-only server wakes the workers at once (LISTEN/NOTIFY),
/// not at their next poll.
@Suite struct WorkerNoticeTests {
    @Test func aSyncAskedForWakesASleepingWorker() async throws {
        try OutsideTools.require(.postgresql)
        let store = try PostgresStore(PostgresURL(try PostgresCluster.running().newDatabase()))
        let hub: HubID = "team"
        // Not scheduled: only a request gets it synced.
        try store.saveHub(HubConfig(id: hub, name: "Team", objectKind: .calendar))
        try store.saveSpoke(SpokeConfig(id: "cal", hub: hub, name: "Cal", kind: .caldav, position: 0, settings: ["book": "c0"]))
        var settings = HubWorker.Settings()
        settings.poll = 3600
        // Its waits end only when something wakes it: a pass ending here, or a notice.
        let waits = Atomic(0)
        let worker = HubWorker(store: store, provider: TestProvider(), settings: settings, sleep: { _ in
            waits.add(1, ordering: .relaxed)
            try await Task.sleep(for: .seconds(3600))
        })
        let working = Task { try await worker.work() }
        defer { working.cancel() }
        // The first look, then the one its listener's start woke (it is listening now).
        try await pollUntil("the worker listening", seconds: 90, every: .milliseconds(50)) { waits.load(ordering: .relaxed) >= 2 }
        #expect(try store.runs(hub: hub, limit: 1).isEmpty)

        try store.requestSync(hub: hub, at: Date())
        try await pollUntil("the hub synced", seconds: 90, every: .milliseconds(50)) {
            try store.runs(hub: hub, limit: 1).first.map { $0.finishedAt != nil && $0.status == .succeeded } ?? false
        }
        try await pollUntil("the lease handed back", seconds: 30, every: .milliseconds(50)) { try store.lease(hub: hub).map { $0.owner == nil && $0.requestedAt == nil } ?? false }
    }
}
