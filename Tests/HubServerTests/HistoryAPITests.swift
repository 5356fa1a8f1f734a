import Foundation
import Hummingbird
import Testing
import ConnectorMemory
import SyncModel
import HummingbirdTesting
import SyncStore
@testable import HubServer

/// Held deletions, the journal with undo, runs, the schedule.
struct HistoryAPITests {
    /// A hub "h" with two two-way spokes on books a and b, synced once (`n` people from a).
    func synced(_ fx: Fixture, _ c: Client, people n: Int) async throws {
        for i in 0..<n { fx.provider.book("a").userUpsert(SampleContacts.person(i)) }
        try await c.setUp()
        _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
        for book in ["a", "b"] {
            _ = try await c.call(.post, "/api/hubs/h/spokes", json: ["name": book, "kind": "carddav", "form": ["password": "secret"], "folder": book])
        }
        _ = try await c.call(.post, "/api/hubs/h/sync")
        await fx.app.waitForSync("h")
    }

    @Test func aMassDeletionIsHeldThenRejectedOrApproved() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await synced(fx, c, people: 10)
            let a = fx.provider.book("a")
            for id in a.entries.keys.sorted().prefix(6) { a.userDelete(id) }
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            let holds = try #require(try await c.call(.get, "/api/hubs/h").object["holds"] as? [[String: Any]])
            #expect(holds.count == 1 && holds.first?["count"] as? Int == 6 && holds.first?["spokeName"] as? String == "a")
            #expect((holds.first?["sample"] as? [String])?.count == 6)
            #expect(try await c.call(.get, "/api/hubs").array.first?["holds"] as? Int == 1)

            #expect(try await c.call(.post, "/api/hubs/h/holds/a/reject").status == .noContent)
            #expect(try await c.call(.post, "/api/hubs/h/holds/a/reject").status == .notFound)  // nothing held now
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            #expect(a.count == 10 && fx.provider.book("b").count == 10)  // put back in a

            for id in a.entries.keys.sorted().prefix(6) { a.userDelete(id) }
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            #expect(try await c.call(.post, "/api/hubs/h/holds/a/approve").status == .noContent)
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            #expect(fx.provider.book("b").count == 4 && a.count == 4)
        }
    }

    @Test func theJournalPagesAndUndoesOneChangeOrARun() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await synced(fx, c, people: 3)
            let page = try await c.call(.get, "/api/hubs/h/journal?limit=2").object
            let entries = try #require(page["entries"] as? [[String: Any]])
            #expect(entries.count == 2 && page["next"] as? Int == entries[1]["seq"] as? Int)
            #expect(entries[0]["kind"] as? String == "created" && entries[0]["sourceName"] as? String == "a")
            #expect((entries[0]["changes"] as? [[String: Any]])?.contains { $0["field"] as? String == "givenName" } == true)
            let older = try await c.call(.get, "/api/hubs/h/journal?limit=2&before=\(page["next"]!)").object
            #expect((older["entries"] as? [Any])?.count == 1 && !(older["next"] is NSNumber))

            // Undo one creation: asked first (it deletes the person everywhere), then the person
            // leaves the hub, and b at the next sync.
            let seq = try #require(entries[0]["seq"] as? Int)
            let ask = try await c.call(.post, "/api/hubs/h/journal/\(seq)/undo")
            #expect(ask.status == .conflict && ask.object["field"] as? String == "confirm")
            #expect((ask.object["error"] as? String)?.contains("deletes the contact") == true)
            #expect(try await c.call(.get, "/api/hubs/h").object["itemCount"] as? Int == 3)  // nothing undone yet
            #expect(try await c.call(.post, "/api/hubs/h/journal/\(seq)/undo?confirm=deletions").object["restored"] as? Int == 1)
            #expect(try await c.call(.post, "/api/hubs/h/journal/9999/undo").status == .notFound)
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            #expect(fx.provider.book("b").count == 2)

            let runs = try await c.call(.get, "/api/hubs/h/runs").array
            #expect(runs.count == 2 && runs.allSatisfy { $0["status"] as? String == "succeeded" })
            let first = try #require(runs.last?["id"] as? String)
            let asked = try await c.call(.post, "/api/hubs/h/runs/\(first)/undo")
            #expect(asked.status == .conflict && asked.object["field"] as? String == "confirm")
            #expect((asked.object["error"] as? String)?.contains("deletes 2 contacts") == true)
            #expect(try await c.call(.get, "/api/hubs/h").object["itemCount"] as? Int == 2)  // nothing undone yet
            #expect(try await c.call(.post, "/api/hubs/h/runs/\(first)/undo?confirm=deletions").object["restored"] as? Int == 2)
            #expect(try await c.call(.get, "/api/hubs/h").object["itemCount"] as? Int == 0)
        }
    }

    @Test func scheduleIsSetAndTheSchedulerStartsDueHubs() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await synced(fx, c, people: 2)
            #expect(try await c.call(.patch, "/api/hubs/h", json: ["scheduleMinutes": 99_999]).status == .badRequest)
            let set = try await c.call(.patch, "/api/hubs/h", json: ["scheduleMinutes": 15]).object
            #expect(set["scheduleMinutes"] as? Int == 15)

            // The hub's slots start where its last pass did, so the waits read as "15 minutes on".
            let started = try #require(try fx.store.runs(hub: "h", limit: 1).first?.startedAt.timeIntervalSince1970)
            let scheduler = Scheduler(
                runner: fx.app.runner, clock: fx.clock.clock, sleep: { _ in }, logger: .init(label: "t"),
                phase: { _, minutes in started.truncatingRemainder(dividingBy: Double(minutes * 60)) }, poll: 60)
            #expect(try scheduler.tick() == 60)  // synced just now: due in 15 minutes, looked at within one
            #expect(try fx.store.runs(hub: "h", limit: 10).count == 1)
            fx.clock.advance(14 * 60 + 30)
            #expect(try scheduler.tick() == 30)
            fx.clock.advance(30)
            _ = try scheduler.tick()
            await fx.app.waitForSync("h")
            #expect(try fx.store.runs(hub: "h", limit: 10).count == 2)

            let off = try await c.call(.patch, "/api/hubs/h", json: ["scheduleMinutes": 0]).object
            #expect(off["scheduleMinutes"] == nil)
            fx.clock.advance(3600)
            #expect(try scheduler.tick() == 60)
            #expect(try fx.store.runs(hub: "h", limit: 10).count == 2)
        }
    }

    @Test func schedulePure() {
        // Slots starting on the hour's multiples of the interval (phase 0); t0 starts one.
        let t0 = Date(timeIntervalSince1970: Double(1_800_000_000 - 1_800_000_000 % 3600))
        let zero: Schedule.Phase = { _, _ in 0 }
        let hubs = [HubConfig(id: "a", name: "a", scheduleMinutes: 10), HubConfig(id: "b", name: "b"),
                    HubConfig(id: "c", name: "c", scheduleMinutes: 5)]
        let last: (HubID) -> Date? = { $0 == "c" ? nil : t0 }
        #expect(Schedule.due(hubs, lastStarted: last, now: t0.addingTimeInterval(60), phase: zero) == ["c"])
        #expect(Schedule.due(hubs, lastStarted: { _ in t0 }, now: t0.addingTimeInterval(600), phase: zero) == ["a", "c"])
        #expect(Schedule.wait(hubs, lastStarted: { _ in t0 }, now: t0.addingTimeInterval(60), phase: zero) == 240)
        #expect(Schedule.wait([hubs[1]], lastStarted: last, now: t0) == nil)
        // A pass run by hand in the middle of a slot: the next one is at the next slot's start.
        #expect(Schedule.next(hubs[0], lastStarted: t0.addingTimeInterval(300), now: t0.addingTimeInterval(310), phase: zero)
                == t0.addingTimeInterval(600))
    }

    /// A thousand hubs on a one-minute schedule, all synced at the same moment: their next
    /// passes spread over the minute instead of all starting at once.
    @Test func schedulesSpreadOverTheInterval() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let hubs = (0..<1000).map { HubConfig(id: HubID("hub-\($0)"), name: "\($0)", scheduleMinutes: 1) }
        let nexts = hubs.compactMap { Schedule.next($0, lastStarted: t0, now: t0) }
        let seconds = Set(nexts.map { Int($0.timeIntervalSince(t0)) })
        #expect(nexts.allSatisfy { $0 > t0 && $0 <= t0.addingTimeInterval(60) })
        #expect(seconds.count >= 55, "\(seconds.count) distinct seconds")
        // In any second, a few hubs, not all.
        let perSecond = Dictionary(grouping: nexts) { Int($0.timeIntervalSince(t0)) }.values.map(\.count).max() ?? 0
        #expect(perSecond < 40)
        // The phase is the hub's own: the same in every process.
        #expect(Schedule.phase(HubID("hub-1"), 1) == Schedule.phase(HubID("hub-1"), 1))
    }
}

struct BusyHubTests {
    @Test func aHubAnotherProcessIsSyncingIsA423AndTheSchedulerGoesOn() async throws {
        let store = MemoryStore()
        let app = HubApp(
            store: store, provider: TestProvider(), settings: .init(bcryptCost: 4, scheduler: false, setupToken: Fixture.setupCode),
            lock: { hub in hub == "busy" ? nil : NSObject() })
        try store.saveHub(HubConfig(id: "busy", name: "Busy", scheduleMinutes: 5))
        try store.saveHub(HubConfig(id: "free", name: "Free", scheduleMinutes: 5))
        try await Application(router: app.router()).test(.router) { client in
            let c = Client(client)
            try await c.setUp()
            let busy = try await c.call(.post, "/api/hubs/busy/sync")
            #expect(busy.status == .locked && (busy.object["error"] as? String)?.contains("another HubSync process") == true)
            #expect(try await c.call(.get, "/api/hubs/busy/sync").object["running"] as? Bool == false)
        }
        let scheduler = Scheduler(runner: app.runner, clock: { Date() }, sleep: { _ in }, logger: .init(label: "t"))
        _ = try scheduler.tick()
        await app.waitForSync("free")
        #expect(try store.runs(hub: "free", limit: 5).count == 1)
        #expect(try store.runs(hub: "busy", limit: 5).isEmpty)
    }
}
