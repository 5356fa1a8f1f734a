import Foundation
import Logging
import Testing
import SyncModel
import SyncStore
@testable import HubServer

/// `hubsync worker`s share the due hubs through leases: each hub is synced by one of them at a
/// time, each takes only what it has room for, a web-only server hands "Sync now" to them, and
/// a dead worker's hubs are taken over once its leases expire.
struct WorkerTests {
    let store = MemoryStore()
    let provider = TestProvider()
    let clock = TestClock()

    /// Calendar hubs with one memory calendar each, due every minute.
    func makeHubs(_ n: Int, every minutes: Int? = 1) throws -> [HubID] {
        try (0..<n).map { i in
            let hub = HubID("hub-\(i)")
            try store.saveHub(HubConfig(id: hub, name: hub.rawValue, scheduleMinutes: minutes, objectKind: .calendar))
            try store.saveSpoke(SpokeConfig(id: "cal", hub: hub, name: "Cal", kind: .caldav, position: 0, settings: ["book": "c\(i)"]))
            return hub
        }
    }

    func worker(_ id: WorkerID, maxPasses: Int = 2) -> HubWorker {
        var settings = HubWorker.Settings()
        settings.maxPasses = maxPasses
        return HubWorker(store: store, provider: provider, settings: settings, id: id, clock: clock.clock, sleep: { _ in })
    }

    func runCount(_ hub: HubID) throws -> Int { try store.runs(hub: hub, limit: 10).count }

    @Test func workersShareTheDueHubsAndNeverSyncOneTwice() async throws {
        let hubs = try makeHubs(6)
        let gate = PassGate()
        provider.gate.withLock { $0 = gate }
        let (w1, w2) = (worker("w1"), worker("w2"))
        try w1.tick()
        try w2.tick()
        while await gate.arrived < 4 { await Task.yield() }
        // Each took what it has room for (two passes), and no hub twice.
        let held = try store.leases().filter { $0.owner != nil }
        #expect(held.count == 4)
        #expect(Set(held.map(\.hub)).count == 4)
        #expect(Dictionary(grouping: held, by: \.owner).mapValues(\.count) == ["w1": 2, "w2": 2])
        try w1.tick()
        try w2.tick()
        for _ in 0..<100 { await Task.yield() }
        #expect(await gate.arrived == 4, "no room: nothing more taken")
        await gate.openAll()
        await w1.waitAll()
        await w2.waitAll()
        try w2.tick()
        try w1.tick()
        await w1.waitAll()
        await w2.waitAll()
        for hub in hubs { #expect(try runCount(hub) == 1, "hub \(hub)") }
        #expect(try store.leases().allSatisfy { $0.owner == nil })
        // Nothing is due again within the slot.
        try w1.tick()
        try w2.tick()
        await w1.waitAll()
        await w2.waitAll()
        for hub in hubs { #expect(try runCount(hub) == 1) }
        #expect(await gate.most <= 4)
    }

    @Test func aWebOnlyServerHandsSyncNowToTheWorkers() async throws {
        var settings = HubApp.Settings(bcryptCost: 4, scheduler: false, setupToken: Fixture.setupCode)
        settings.runsPasses = false
        let app = HubApp(store: store, provider: provider, settings: settings, clock: clock.clock, sleep: { _ in })
        let hub = try #require(try makeHubs(1, every: nil).first)
        let w = worker("w1")
        try await Fixture.run(app) { c in
            try await c.setUp()
            let asked = try await c.call(.post, "/api/hubs/\(hub)/sync")
            #expect(asked.object["running"] as? Bool == true, "\(asked.body)")
            #expect(try store.lease(hub: hub)?.requestedAt == clock.now)
            #expect(try runCount(hub) == 0, "the web server runs no pass itself")
            clock.advance(1)
            try w.tick()
            await w.waitAll()
            #expect(try runCount(hub) == 1)
            #expect(try store.lease(hub: hub) == HubLease(hub: hub), "answered and released")
            let after = try await c.call(.get, "/api/hubs/\(hub)/sync")
            #expect(after.object["running"] as? Bool == false, "\(after.body)")
            // Not asked again: a manual hub stays put.
            try w.tick()
            await w.waitAll()
            #expect(try runCount(hub) == 1)
        }
    }

    /// What a look read may be stale by the time the hub is leased: another worker synced it
    /// in between. Asked again once the hub is held here, the reason no longer holds, and no
    /// second pass runs in the slot (a fleet benchmark saw one).
    @Test func aHubSyncedElsewhereSinceTheLookIsNotRunAgain() async throws {
        let hub = try #require(try makeHubs(1).first)
        let config = try #require(try store.hub(hub))
        let (w1, w2) = (worker("w1"), worker("w2"))
        try store.requestSync(hub: hub, at: clock.now)
        for why: Scheduler.Why in [.scheduled(config), .asked] {
            #expect(try w2.scheduler.stillWanted(hub, why, now: clock.now), "\(why.name)")
        }
        clock.advance(1)
        try w1.tick()
        await w1.waitAll()
        #expect(try runCount(hub) == 1)
        // w2 looked before w1's pass: it would start the hub for any of these reasons.
        for why: Scheduler.Why in [.scheduled(config), .asked, .cutOff] {
            #expect(try !w2.scheduler.stillWanted(hub, why, now: clock.now), "\(why.name)")
        }
        let now = clock.now
        try w2.runner.start(hub, stillWanted: { try w2.scheduler.stillWanted(hub, .scheduled(config), now: now) })
        await w2.waitAll()
        #expect(try runCount(hub) == 1, "leased, found synced, handed back")
        #expect(try store.lease(hub: hub) == HubLease(hub: hub))
    }

    @Test func aDeadWorkersHubIsTakenOverOnceItsLeaseExpires() async throws {
        let hub = try #require(try makeHubs(1, every: 60).first)
        // The dead worker leased the hub and began a pass it never finished.
        #expect(try store.acquireLease(hub: hub, worker: "dead", now: clock.now, until: clock.now.addingTimeInterval(60)))
        var batch = ItemWriteBatch<Event>()
        batch.runs = [RunRecord(id: "cut", hub: hub, startedAt: clock.now)]
        try store.commit(hub: hub, batch: batch)
        let w = worker("w1")
        clock.advance(30)
        try w.tick()
        await w.waitAll()
        #expect(try runCount(hub) == 1, "its lease is live: left alone")
        clock.advance(31)
        try w.tick()
        await w.waitAll()
        let runs = try store.runs(hub: hub, limit: 10)
        #expect(runs.count == 2)
        #expect(runs.first?.finishedAt != nil, "the new pass finished")
        #expect(try store.lease(hub: hub) == HubLease(hub: hub))
    }

    @Test func aLostLeaseStopsThePass() async throws {
        let hub = try #require(try makeHubs(1).first)
        let lease = PassLease(store: store, worker: "slow", length: 60, sleep: { _ in await Task.yield() })
        #expect(try lease.acquire(hub, now: clock.now))
        // The slow worker stalled past its lease; another took the hub.
        #expect(try store.acquireLease(hub: hub, worker: "other", now: clock.now.addingTimeInterval(61), until: clock.now.addingTimeInterval(121)))
        // The pass would run for an hour: only the lost lease's cancellation ends it.
        await lease.holding(hub, began: clock.now, clock: clock.clock, logger: Logger(label: "t")) {
            try? await Task.sleep(for: .seconds(3_600))
        }
        #expect(try store.lease(hub: hub)?.owner == "other", "the other worker's lease is untouched")
    }

    @Test func aHeldLeaseIsRenewedAndReleased() async throws {
        let hub = try #require(try makeHubs(1).first)
        let renewals = RenewCount()
        // Each "sleep" lets the other tasks run (Task.yield): a heartbeat that never gives up its
        // thread would starve the pass it guards on a two-core machine.
        let lease = PassLease(store: store, worker: "w", length: 60, sleep: { _ in
            await renewals.tick()
            await Task.yield()
        })
        #expect(try lease.acquire(hub, now: clock.now))
        try store.requestSync(hub: hub, at: clock.now)
        await lease.holding(hub, began: clock.now, clock: clock.clock, logger: Logger(label: "t")) {
            while await renewals.count < 3 { await Task.yield() }
            #expect((try? store.lease(hub: hub))??.owner == "w", "still held after renewals")
        }
        #expect(try store.lease(hub: hub) == HubLease(hub: hub), "released, the request answered")
    }
}

actor RenewCount {
    var count = 0
    func tick() { count += 1 }
}
