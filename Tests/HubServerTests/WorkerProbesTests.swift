import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import SyncModel
import SyncStore
@testable import HubServer

/// A worker's own monitoring port: its passes and their lease lag in `/metrics` (web servers in
/// front of workers run none), `/readyz` once it has looked for due hubs, and no other Host.
struct WorkerProbesTests {
    @Test func aWorkersPassesShowInItsOwnMetrics() async throws {
        let store = MemoryStore(), provider = TestProvider(), clock = TestClock()
        try store.saveHub(HubConfig(id: "h", name: "H", scheduleMinutes: 1, objectKind: .calendar))
        try store.saveSpoke(SpokeConfig(id: "cal", hub: "h", name: "Cal", kind: .caldav, position: 0, settings: ["book": "c"]))
        let worker = HubWorker(store: store, provider: provider, id: "w1", clock: clock.clock, sleep: { _ in })
        try await Application(router: worker.probesRouter(listen: "127.0.0.1")).test(.router) { client in
            let c = Client(client)
            #expect(try await c.call(.get, "/healthz").status == .ok)
            let before = try await c.call(.get, "/readyz")
            #expect(before.status == .serviceUnavailable)
            #expect(before.object["reason"] as? String == "scheduler not started")

            try worker.tick()
            await worker.waitAll()
            #expect(try await c.call(.get, "/readyz").status == .ok)
            let metrics = try await c.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.body.contains(#"hubsync_passes_total{outcome="succeeded"} 1"#), "\(metrics.body)")
            #expect(metrics.body.contains("hubsync_lease_lag_seconds_count 1"), "\(metrics.body)")

            let rebound = try await c.call(.get, "/metrics", headers: [.init("Host")!: "attacker.example"])
            #expect(rebound.status == .misdirectedRequest)
        }
    }
}
