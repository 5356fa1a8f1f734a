import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import ConnectorMemory
import SyncModel
import SyncStore
@testable import HubServer

/// Undo, approve and reject write to the hub: never beside a running pass. In this process they
/// queue behind it; a hub another process is syncing answers 423 (Locked).
struct AdminLockTests {
    @Test func adminChangesQueueBehindTheRunningSync() async throws {
        let fx = Fixture()
        try await fx.run { c in
            for i in 0..<40 { fx.provider.book("a").userUpsert(SampleContacts.person(i)) }
            try await c.setUp()
            _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
            for book in ["a", "b"] {
                _ = try await c.call(.post, "/api/hubs/h/spokes", json: ["name": book, "kind": "carddav", "form": ["password": "secret"], "folder": book])
            }
            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            let seq = try #require(try fx.store.journal(hub: "h", JournalQuery(limit: 1)).first?.seq)

            fx.provider.book("a").userUpsert(SampleContacts.person(99))
            #expect(try await c.call(.post, "/api/hubs/h/sync").status == .accepted)
            let undo = try await c.call(.post, "/api/hubs/h/journal/\(seq)/undo?confirm=deletions")
            #expect(undo.object["restored"] as? Int == 1)
            // The undo waited for the pass: it had finished when the undo was written.
            #expect(!fx.app.runner.isRunning("h"))
            let runs = try fx.store.runs(hub: "h", limit: 5)
            #expect(runs.count == 2 && runs.allSatisfy { $0.finishedAt != nil })
            let restored = try #require(try fx.store.journal(hub: "h", JournalQuery(limit: 1)).first)
            #expect(restored.kind == .restored && restored.at >= runs[0].finishedAt!)

            _ = try await c.call(.post, "/api/hubs/h/sync")
            await fx.app.waitForSync("h")
            #expect(fx.provider.book("b").count == 40)
        }
    }

    @Test func adminChangesOnAHubAnotherProcessIsSyncingAre423() async throws {
        let store = MemoryStore()
        let app = HubApp(
            store: store, provider: TestProvider(), settings: .init(bcryptCost: 4, scheduler: false, setupToken: Fixture.setupCode),
            lock: { hub in hub == "busy" ? nil : NSObject() })
        try store.saveHub(HubConfig(id: "busy", name: "Busy"))
        try store.saveSpoke(SpokeConfig(id: "a", hub: "busy", name: "a", kind: .carddav, position: 0))
        try await Application(router: app.router()).test(.router) { client in
            let c = Client(client)
            try await c.setUp()
            for path in ["/api/hubs/busy/journal/1/undo", "/api/hubs/busy/holds/a/approve", "/api/hubs/busy/holds/a/reject"] {
                let r = try await c.call(.post, path)
                #expect(r.status.code == 423, "\(path)")
                #expect((r.object["error"] as? String)?.contains("another HubSync process") == true, "\(path)")
            }
            #expect(try await c.call(.get, "/api/hubs/busy/sync").object["running"] as? Bool == false)
        }
    }
}
