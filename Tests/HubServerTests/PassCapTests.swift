import Foundation
import Testing
import SyncModel
import SyncStore
@testable import HubServer

/// Many hubs due at once run a few passes at a time (`maxPasses`); the others wait their turn,
/// and every one of them runs.
struct PassCapTests {
    @Test func dueHubsRunAFewPassesAtATime() async throws {
        let fx = Fixture(maxPasses: 2)
        let gate = PassGate()
        fx.provider.gate.withLock { $0 = gate }
        let hubs = (0..<5).map { HubID("cal-\($0)") }
        try await fx.run { c in
            try await c.setUp()
            for (i, hub) in hubs.enumerated() {
                _ = try await c.call(.post, "/api/hubs", json: ["name": hub.rawValue, "objectKind": "calendar"])
                let r = try await c.call(.post, "/api/hubs/\(hub)/spokes", json: [
                    "name": "C", "kind": "caldav", "form": ["password": "secret"], "folder": i % 2 == 0 ? "c" : "d"])
                try #require(r.status == .created, "\(r.body)")
            }
            for hub in hubs {
                let started = try await c.call(.post, "/api/hubs/\(hub)/sync")
                #expect(started.object["running"] as? Bool == true, "\(started.body)")
            }
            // Two passes reach their sources; the other three wait their turn.
            while await gate.arrived < 2 { await Task.yield() }
            for _ in 0..<100 { await Task.yield() }
            #expect(await gate.arrived == 2)
            await gate.openAll()
            for hub in hubs { await fx.app.waitForSync(hub) }
            #expect(await gate.most <= 2)
            #expect(await gate.arrived == 5)
            for hub in hubs { #expect(try fx.store.runs(hub: hub, limit: 5).count == 1) }
        }
    }
}
