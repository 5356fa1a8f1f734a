import Foundation
import Synchronization
import Testing
import SyncModel
@testable import HubServer

/// The grace of a shutdown, with the grace's end in the test's hands (no sleeping).
struct GracefulStopTests {
    /// A stand-in for the grace: ends when the test says so (or when cancelled).
    actor Grace {
        private var waiter: CheckedContinuation<Void, Never>?
        private var over = false
        func wait() async {
            if over { return }
            await withCheckedContinuation { waiter = $0 }
        }
        func end() {
            over = true
            waiter?.resume()
            waiter = nil
        }
    }

    @Test func workThatFinishesWithinTheGraceIsNotCancelled() async {
        let grace = Grace()
        let cancelled = Mutex(false)
        let stop = GracefulStop(grace: .seconds(30)) { _ in
            await withTaskCancellationHandler { await grace.wait() } onCancel: { Task { await grace.end() } }
        }
        let outcome = await stop.run(waitAll: {}, cancelAll: { cancelled.withLock { $0 = true } })
        #expect(outcome == .finished)
        #expect(cancelled.withLock { $0 } == false)
    }

    @Test func pastTheGraceTheRestIsCancelledAndWaitedFor() async {
        let grace = Grace()
        let work = Task {
            // A pass that only ends when cancelled.
            while !Task.isCancelled { await Task.yield() }
        }
        let stop = GracefulStop(grace: .seconds(30)) { _ in await grace.wait() }
        let run = Task { await stop.run(waitAll: { await work.value }, cancelAll: { work.cancel() }) }
        for _ in 0..<50 { await Task.yield() }
        #expect(!work.isCancelled, "cancelled before the grace ran out")
        await grace.end()
        #expect(await run.value == .cancelled)
        #expect(work.isCancelled)
    }

    /// On shutdown the runner takes no new pass and drops the queued ones; the running one goes on.
    @Test func aStoppingRunnerFinishesWhatRunsAndStartsNothing() async throws {
        let fx = Fixture(maxPasses: 1)
        let gate = PassGate()
        fx.provider.gate.withLock { $0 = gate }
        let hubs = (0..<3).map { HubID("cal-\($0)") }
        try await fx.run { c in
            try await c.setUp()
            for hub in hubs {
                _ = try await c.call(.post, "/api/hubs", json: ["name": hub.rawValue, "objectKind": "calendar"])
                _ = try await c.call(.post, "/api/hubs/\(hub)/spokes", json: ["name": "C", "kind": "caldav", "form": ["password": "secret"]])
                _ = try await c.call(.post, "/api/hubs/\(hub)/sync")
            }
            while await gate.arrived < 1 { await Task.yield() }
            fx.app.runner.stopTaking()
            let refused = try await c.call(.post, "/api/hubs/cal-0/sync")
            #expect(refused.status == .serviceUnavailable || refused.object["running"] as? Bool == true, "\(refused.body)")
            await gate.openAll()
            await fx.app.runner.waitAll()
            #expect(await gate.arrived == 1, "a queued pass started during the shutdown")
            let ran = try hubs.map { try fx.store.runs(hub: $0, limit: 5).count }
            #expect(ran.reduce(0, +) == 1)
            #expect(ran.allSatisfy { $0 <= 1 })
            let later = try await c.call(.post, "/api/hubs/cal-1/sync")
            #expect(later.status == .serviceUnavailable)
        }
    }
}
