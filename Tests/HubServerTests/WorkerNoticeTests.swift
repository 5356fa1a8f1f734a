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
        try await Self.until("the worker listening", seconds: 90) { waits.load(ordering: .relaxed) >= 2 }
        #expect(try store.runs(hub: hub, limit: 1).isEmpty)

        try store.requestSync(hub: hub, at: Date())
        try await Self.until("the hub synced", seconds: 90) {
            try store.runs(hub: hub, limit: 1).first.map { $0.finishedAt != nil && $0.status == .succeeded } ?? false
        }
        try await Self.until("the lease handed back", seconds: 30) { try store.lease(hub: hub).map { $0.owner == nil && $0.requestedAt == nil } ?? false }
    }

    /// Polls the database: the notice comes from another connection, with no clock to move.
    static func until(_ what: String, seconds: Double, _ done: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try !done() {
            guard Date() < deadline else { throw Failure(what) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let what: String
        init(_ what: String) { self.what = what }
        var description: String { "\(what): not in time" }
    }
}
