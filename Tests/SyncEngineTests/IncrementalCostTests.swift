import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// What a pass costs once the hub is in sync: nothing when nothing changed, and one write per
/// change per other spoke.
@Suite struct IncrementalCostTests {
    static let size = 1_000

    @Test(arguments: StoreKind.allCases)
    func noOpAndSmallEditsCostLittle(_ store: StoreKind) async throws {
        let h = try Harness(
            store: try store.make(), spokeOptions: [.init(), .init(), .init()],
            makeSpoke: { i, clock in MemorySpoke(name: "s\(i)", pageSize: 100, maxBatch: 50, clock: clock.closure) })
        let writes = h.spokes.map { $0.recordWrites() }
        for n in 0..<Self.size {
            h.spokes[0].userUpsert(person("P\(n)", email: "p\(n)@example.com", phone: "+1 555 \(1_000_000 + n)"))
        }
        let initial = try await h.sync()
        #expect(initial.status == .succeeded)
        #expect(try h.store.liveItemCount(hub: h.hub) == Self.size)
        #expect(writes.map(\.creates) == [0, Self.size, Self.size])
        #expect(h.spokes.map(\.count) == [Self.size, Self.size, Self.size])

        // The pass after: the spokes report the hub's own creates back; none is a change.
        for w in writes { w.reset() }
        let version = try h.store.maxVersion(hub: h.hub)
        let journal = try h.journal().count
        let echo = try await h.sync()
        #expect(echo.status == .succeeded)
        #expect(writes.allSatisfy { $0.all.isEmpty })
        #expect(try h.store.maxVersion(hub: h.hub) == version)
        #expect(try h.journal().count == journal)

        // Nothing changed: one pull request per spoke, no write, no hub change.
        let before = h.spokes.map(\.requests)
        let noOp = try await h.sync()
        #expect(noOp.status == .succeeded)
        #expect(zip(h.spokes.map(\.requests), before).map { $0 - $1 } == [1, 1, 1])
        #expect(writes.allSatisfy { $0.all.isEmpty })
        #expect(try h.store.maxVersion(hub: h.hub) == version)
        #expect(try h.journal().count == journal)
        #expect(noOp.stats.values.allSatisfy { $0.pulled == 0 })

        // Ten edits in spoke 0: exactly ten updates to each other spoke, none back to spoke 0.
        for n in stride(from: 0, to: Self.size, by: Self.size / 10) {
            h.spokes[0].edit("P\(n)") { $0.title = "edited" }
        }
        let before2 = h.spokes.map(\.requests)
        let edits = try await h.sync()
        #expect(edits.status == .succeeded)
        #expect(writes[0].all.isEmpty)
        for i in [1, 2] {
            #expect(writes[i].updates == 10, "spoke \(i)")
            #expect(writes[i].all.count == 10, "spoke \(i)")
            #expect(h.stats(edits, i).pushedUpdates == 10)
        }
        #expect(h.stats(edits, 0).pulled == 10 && h.stats(edits, 0).hubUpdated == 10)
        #expect(try h.journal().count == journal + 10)
        #expect(try h.store.maxVersion(hub: h.hub) == version + 10)
        // One pull page each; one write batch for each spoke that got updates.
        #expect(zip(h.spokes.map(\.requests), before2).map { $0 - $1 } == [1, 2, 2])
        #expect(h.spokes[1].contacts.count { $0.title == "edited" } == 10)

        // Their echoes cost no write either.
        for w in writes { w.reset() }
        let settle = try await h.sync()
        #expect(writes.allSatisfy { $0.all.isEmpty })
        #expect(settle.stats.values.allSatisfy { $0.hubUpdated == 0 })
        #expect(try h.store.maxVersion(hub: h.hub) == version + 10)
    }
}
