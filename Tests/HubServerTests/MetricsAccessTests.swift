import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import SyncModel
import SyncStore
@testable import HubServer

/// Who may read `/metrics`, and the lease lag a scheduled pass records.
struct MetricsAccessTests {
    @Test func metricsAreForThisMachineTrustedProxiesAndAdmins() async throws {
        let fx = Fixture(proxied: true)
        try await fx.run { c in
            c.peer = "203.0.113.9"
            let outside = try await c.call(.get, "/metrics")
            #expect(outside.status == .forbidden)
            #expect(!outside.body.contains("hubsync_passes_total"))
            c.peer = "127.0.0.1"
            let local = try await c.call(.get, "/metrics")
            #expect(local.status == .ok)
            #expect(local.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(local.body.contains(#"hubsync_passes_total{outcome="succeeded"} 0"#))
            // The refusal was counted, by class and group.
            #expect(local.body.contains(#"hubsync_http_responses_total{code="4xx",route="metrics"} 1"#), "\(local.body)")
            c.peer = "203.0.113.9"
            try await c.setUp()
            let status = try await c.call(.get, "/metrics").status
            #expect(status == .ok)
        }
    }

    @Test func metricsOpenServesAnyAddress() async throws {
        var settings = HubApp.Settings(bcryptCost: 4, scheduler: false, trustedProxies: ["unknown"])
        settings.metricsOpen = true
        let app = HubApp(store: MemoryStore(), provider: TestProvider(), settings: settings)
        try await Application(router: app.router()).test(.router) { client in
            let c = Client(client)
            c.peer = "203.0.113.9"
            let status = try await c.call(.get, "/metrics").status
            #expect(status == .ok)
        }
    }

    @Test func aScheduledPassRecordsHowLateItStarted() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            _ = try await c.call(.post, "/api/hubs", json: ["name": "Lag"])
            let r = try await c.call(.post, "/api/hubs/lag/spokes", json: ["name": "A", "kind": "carddav", "form": ["password": "secret"]])
            try #require(r.status == .created, "\(r.body)")
            try fx.app.runner.start(HubID("lag"), due: fx.clock.now.addingTimeInterval(-42))
            await fx.app.waitForSync(HubID("lag"))
            let text = fx.app.metrics.text()
            #expect(text.contains("hubsync_lease_lag_seconds_sum 42.0"), "\(text)")
            #expect(text.contains("hubsync_lease_lag_seconds_count 1"))
            #expect(text.contains(#"hubsync_items_pushed_total"#) == false)
        }
        // A hub due since its slot began: 10:00 for a 5-minute schedule looked at at 10:03.
        let zero: Schedule.Phase = { _, _ in 0 }
        let hub = HubConfig(id: "h", name: "H", scheduleMinutes: 5)
        let slot = Date(timeIntervalSince1970: 1_800_000_000 - 1_800_000_000.truncatingRemainder(dividingBy: 300))
        let now = slot.addingTimeInterval(180)
        #expect(Schedule.dueSince(hub, lastStarted: slot.addingTimeInterval(-300), now: now, phase: zero) == slot)
        #expect(Schedule.dueSince(hub, lastStarted: nil, now: now, phase: zero) == now)
    }
}
