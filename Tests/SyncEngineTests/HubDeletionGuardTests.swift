import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// The guard also covers what the hub itself would delete in a spoke: an undo, a restore or a
/// filter change taking away more than the guard's share is held like a mass deletion pulled.
@Suite struct HubDeletionGuardTests {
    /// Ten people, then five more in a run of their own, all synced to both spokes.
    func seeded(_ store: StoreKind) async throws -> (Harness, RunRecord) {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init()])
        for i in 0..<10 { h.spokes[0].userUpsert(person("A\(i)", email: i < 2 ? "a\(i)@example.com" : nil)) }
        try await h.sync()
        for i in 0..<5 { h.spokes[0].userUpsert(person("B\(i)")) }
        let added = try await h.sync()
        try await h.sync()
        #expect(h.spokes.map(\.count) == [15, 15])
        return (h, added)
    }

    @Test(arguments: StoreKind.allCases)
    func undoDeletingManyIsHeldThenApproved(_ store: StoreKind) async throws {
        let (h, added) = try await seeded(store)
        try h.engine.restore(hub: h.hub, run: added.id)
        let run = try await h.sync()
        #expect(run.status == .partial)
        // Five of fifteen (33%) in each spoke: held, nothing deleted there.
        let holds = try h.store.pendingHolds(hub: h.hub)
        #expect(holds.count == 2 && holds.allSatisfy { $0.outgoing && $0.items.count == 5 })
        #expect(h.spokes.map(\.count) == [15, 15])
        try await h.sync()
        #expect(h.spokes.map(\.count) == [15, 15])
        for c in h.configs { try h.engine.approveHold(hub: h.hub, spoke: c.id) }
        let approved = try await h.sync()
        #expect(approved.status == .succeeded, "\(approved.errors)")
        #expect(h.spokes.map(\.count) == [10, 10])
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        try await h.sync()
        try h.expectConverged(spokes: [0, 1])
    }

    @Test(arguments: StoreKind.allCases)
    func undoDeletingManyRejectedKeepsThem(_ store: StoreKind) async throws {
        let (h, added) = try await seeded(store)
        try h.engine.restore(hub: h.hub, run: added.id)
        try await h.sync()
        for c in h.configs { try h.engine.rejectHold(hub: h.hub, spoke: c.id) }
        let run = try await h.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        try await h.sync()
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        #expect(try h.store.liveItemCount(hub: h.hub) == 15)
        #expect(h.spokes.map(\.count) == [15, 15])
        try h.expectConverged(spokes: [0, 1])
    }

    /// A filter that takes 13 of 15 out of a spoke the hub filled: held; approved, they go.
    @Test(arguments: StoreKind.allCases)
    func filterChangeRemovingManyIsHeld(_ store: StoreKind) async throws {
        let (h, _) = try await seeded(store)
        var spoke = h.configs[1]
        spoke.options.filter = SpokeFilter(requireEmail: true)
        try h.engine.saveSpoke(spoke)
        let run = try await h.sync()
        #expect(run.status == .partial)
        let hold = try #require(try h.store.pendingHolds(hub: h.hub).first)
        #expect(hold.outgoing && hold.items.count == 13 && hold.spoke == spoke.id)
        #expect(h.spokes[1].count == 15)
        try h.engine.approveHold(hub: h.hub, spoke: spoke.id)
        try await h.sync()
        #expect(h.spokes[1].count == 2)
        #expect(h.spokes[0].count == 15)
        #expect(try h.store.liveItemCount(hub: h.hub) == 15)
        #expect(try h.store.holds(hub: h.hub).isEmpty)
    }

    /// One hold per spoke: a source's own mass deletion behind the hub's held deletions there
    /// is neither applied nor lost; it is held once the admin has decided the first.
    @Test(arguments: StoreKind.allCases)
    func aSourcesMassDeletionWaitsBehindTheHubsHold(_ store: StoreKind) async throws {
        let (h, added) = try await seeded(store)
        try h.engine.restore(hub: h.hub, run: added.id)
        for i in 2..<10 { h.spokes[1].delete("A\(i)") }
        let run = try await h.sync()
        #expect(run.errors.contains { $0.contains("approve or reject those first") })
        #expect(try h.store.liveItemCount(hub: h.hub) == 10)
        #expect(h.spokes[0].count == 15)
        try h.engine.approveHold(hub: h.hub, spoke: h.configs[1].id)
        try await h.sync()
        let held = try #require(try h.store.pendingHolds(hub: h.hub).first { $0.spoke == h.configs[1].id })
        #expect(!held.outgoing && held.items.count == 8)
        #expect(h.spokes[1].count == 2)
        #expect(try h.store.liveItemCount(hub: h.hub) == 10)
    }

    /// A few deletions the hub makes (under the share) go out without asking.
    @Test(arguments: StoreKind.allCases)
    func fewHubDeletionsGoThrough(_ store: StoreKind) async throws {
        let (h, _) = try await seeded(store)
        h.spokes[0].delete("B0")
        try await h.sync()
        let deletion = try #require(try h.journal().first { $0.kind == .deleted })
        try h.engine.restore(hub: h.hub, entry: deletion.seq)
        try await h.sync()
        let redo = try #require(try h.journal().first { $0.kind == .restored })
        try h.engine.restore(hub: h.hub, entry: redo.seq)
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.spokes.map(\.count) == [14, 14])
    }
}
