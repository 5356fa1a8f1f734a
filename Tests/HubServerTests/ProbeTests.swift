import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import SyncModel
import SyncStore
@testable import HubServer

/// `/healthz` and `/readyz`: no session, a plain JSON reason, nothing of the configuration.
struct ProbeTests {
    @Test func healthzAnswersAndReadyzChecksTheStore() async throws {
        let fx = Fixture()
        try await fx.run { c in
            let health = try await c.call(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.object["status"] as? String == "ok")
            let ready = try await c.call(.get, "/readyz")
            #expect(ready.status == .ok, "\(ready.body)")
            #expect(ready.object["status"] as? String == "ready")
            fx.app.readiness.stopping()
            let stopping = try await c.call(.get, "/readyz")
            #expect(stopping.status == .serviceUnavailable)
            #expect(stopping.object as NSDictionary == ["status": "unavailable", "reason": "shutting down"] as NSDictionary)
            #expect(try await c.call(.get, "/healthz").status == .ok)
        }
    }

    @Test func readyzWantsARunningSchedulerWhenTheServerHasOne() async throws {
        let clock = TestClock()
        let store = MemoryStore()
        let app = HubApp(store: store, provider: TestProvider(), settings: HubApp.Settings(bcryptCost: 4, scheduler: true), clock: clock.clock)
        try await Application(router: app.router()).test(.router) { client in
            let c = Client(client)
            var r = try await c.call(.get, "/readyz")
            #expect(r.status == .serviceUnavailable)
            #expect(r.object["reason"] as? String == "scheduler not started")
            let scheduler = Scheduler(runner: app.runner, clock: clock.clock, sleep: { _ in }, logger: .init(label: "t"), readiness: app.readiness)
            _ = try scheduler.tick()
            r = try await c.call(.get, "/readyz")
            #expect(r.status == .ok, "\(r.body)")
            clock.advance(Readiness.schedulerLate + 1)
            r = try await c.call(.get, "/readyz")
            #expect(r.object["reason"] as? String == "scheduler stalled")
        }
    }

    @Test func aStoreThatDoesNotAnswerIsNotReady() {
        struct Down: Error {}
        let readiness = Readiness()
        #expect(readiness.problem(storeAnswers: { throw Down() }, scheduler: false, now: Date()) == "store unreachable")
        #expect(readiness.problem(storeAnswers: {}, scheduler: false, now: Date()) == nil)
    }
}
