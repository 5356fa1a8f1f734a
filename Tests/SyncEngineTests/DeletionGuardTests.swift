import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// The mass-deletion guard (default: more than 20% and at least 5 of a spoke's linked items).
@Suite struct DeletionGuardTests {
    static let names = (0..<10).map { "P\($0)" }

    /// Ten people entered in spoke 0, synced to spokes 1 and 2 and settled.
    func seeded(_ store: StoreKind, _ guardConfig: DeletionGuard = .init()) async throws -> Harness {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()], deletionGuard: guardConfig)
        for n in Self.names { h.spokes[0].userUpsert(person(n, email: "\(n.lowercased())@example.com")) }
        try await h.sync()
        try await h.sync()
        #expect(h.spokes.map(\.count) == [10, 10, 10])
        return h
    }

    /// Spoke 0 deletes eight of its ten: held.
    func massDelete(_ h: Harness) async throws -> (run: RunRecord, held: Set<ItemID>) {
        let victims = Array(Self.names.prefix(8))
        let ids = Set(try victims.map { try #require(try h.liveItem($0)).id })
        for n in victims { h.spokes[0].delete(n) }
        let run = try await h.sync()
        return (run, ids)
    }

    @Test(arguments: StoreKind.allCases)
    func massDeletionIsHeld(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        let (run, held) = try await massDelete(h)
        #expect(run.status == .partial)
        #expect(h.stats(run, 0).heldDeletions == 8)
        #expect(h.stats(run, 0).hubDeleted == 0)
        let holds = try h.store.holds(hub: h.hub)
        #expect(holds.count == 1)
        let hold = try #require(holds.first)
        #expect(hold.spoke == h.configs[0].id)
        #expect(Set(hold.items) == held)
        #expect(hold.reason.contains("8 of 10"))
        // Nothing deleted in the hub or the other spokes, and nothing journaled.
        #expect(try h.store.liveItemCount(hub: h.hub) == 10)
        #expect(h.spokes[1].count == 10 && h.spokes[2].count == 10)
        #expect(try h.journal().allSatisfy { $0.kind != .deleted })
        #expect(h.spokes[0].count == 2)

        // While held, later passes neither apply nor undo it.
        let later = try await h.sync()
        #expect(later.stats.values.allSatisfy { $0.pushedCreates + $0.pushedDeletes + $0.hubDeleted == 0 })
        #expect(try h.store.holds(hub: h.hub).count == 1)
        #expect(h.spokes.map(\.count) == [2, 10, 10])

        // A held item edited in another spoke meanwhile: the edit flows on, but the item is not
        // pushed back into the spoke that deleted it while the admin has not decided.
        h.spokes[1].edit("P0") { $0.title = "still here" }
        let edited = try await h.sync()
        #expect(h.stats(edited, 0).pushedCreates + h.stats(edited, 0).pushedUpdates == 0)
        #expect(h.spokes[2].contact("P0")?.title == "still here")
        #expect(h.spokes.map(\.count) == [2, 10, 10])
        #expect(Set(try #require(try h.store.holds(hub: h.hub).first).items) == held)
    }

    @Test(arguments: StoreKind.allCases)
    func approvedHoldDeletesEverywhere(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        let (_, held) = try await massDelete(h)
        try h.engine.approveHold(hub: h.hub, spoke: h.configs[0].id)
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        #expect(try h.store.liveItemCount(hub: h.hub) == 2)
        let approvals = try h.journal().filter { $0.source == .approval(h.configs[0].id) }
        #expect(approvals.count == 8)
        #expect(Set(approvals.map(\.item)) == held)
        #expect(approvals.allSatisfy { $0.kind == .deleted && $0.new == nil && $0.old != nil && $0.run == nil })

        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.stats(run, 1).pushedDeletes == 8 && h.stats(run, 2).pushedDeletes == 8)
        #expect(h.spokes.map(\.names) == Array(repeating: ["P8", "P9"], count: 3))
        // Approving again: nothing left to approve.
        #expect(throws: EngineError.self) { try h.engine.approveHold(hub: h.hub, spoke: h.configs[0].id) }
    }

    @Test(arguments: StoreKind.allCases)
    func rejectedHoldRecreatesInTheSpoke(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        _ = try await massDelete(h)
        let journalBefore = try h.journal().count
        try h.engine.rejectHold(hub: h.hub, spoke: h.configs[0].id)
        // Decided: the next pull re-reads the items (and then the hold goes).
        #expect(try h.store.pendingHolds(hub: h.hub).isEmpty)
        #expect(try h.store.liveItemCount(hub: h.hub) == 10)
        #expect(try h.journal().count == journalBefore)

        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.stats(run, 0).pushedCreates == 8)
        #expect(h.stats(run, 1).pushedCreates + h.stats(run, 1).pushedUpdates == 0)
        #expect(h.stats(run, 2).pushedCreates + h.stats(run, 2).pushedUpdates == 0)
        #expect(h.spokes.map(\.names) == Array(repeating: Set(Self.names), count: 3))
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        // The re-created items come back as echoes, not as new people.
        let echo = try await h.sync()
        #expect(echo.stats.values.allSatisfy { $0.hubCreated + $0.pushedCreates == 0 })
        #expect(h.spokes.map(\.count) == [10, 10, 10])
        #expect(try h.store.liveItemCount(hub: h.hub) == 10)
        #expect(throws: EngineError.self) { try h.engine.rejectHold(hub: h.hub, spoke: h.configs[0].id) }
    }

    @Test(arguments: StoreKind.allCases)
    func deletionsBelowTheLimitGoThrough(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        // 2 of 10, then 4 of the remaining 8: each time under the minimum of 5.
        h.spokes[0].delete("P0")
        h.spokes[0].delete("P1")
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        #expect(h.stats(run, 0).hubDeleted == 2)
        for n in ["P2", "P3", "P4", "P5"] { h.spokes[1].delete(n) }
        let run2 = try await h.sync()
        #expect(run2.status == .succeeded)
        #expect(h.stats(run2, 1).hubDeleted == 4)
        #expect(h.spokes.map(\.count) == [4, 4, 4])
    }

    /// A spoke that lists nothing at all (a full listing after its sync state was lost) is held
    /// even where the percentage alone would let it through.
    @Test(arguments: StoreKind.allCases)
    func emptyFullListingIsHeld(_ store: StoreKind) async throws {
        let h = try await seeded(store, DeletionGuard(percent: 100, minimum: 5))
        h.spokes[0].expireCursors()
        for n in Self.names { h.spokes[0].delete(n) }
        let run = try await h.sync()
        #expect(run.status == .partial)
        #expect(h.stats(run, 0).heldDeletions == 10)
        let hold = try #require(try h.store.holds(hub: h.hub).first)
        #expect(hold.items.count == 10)
        #expect(hold.reason.contains("no items"))
        #expect(try h.store.liveItemCount(hub: h.hub) == 10)
        #expect(h.spokes[1].count == 10 && h.spokes[2].count == 10)

        // The same deletions reported one by one (incrementally) pass the 100% limit.
        let h2 = try await seeded(store, DeletionGuard(percent: 100, minimum: 5))
        for n in Self.names { h2.spokes[0].delete(n) }
        let run2 = try await h2.sync()
        #expect(run2.status == .succeeded)
        #expect(try h2.store.liveItemCount(hub: h2.hub) == 0)
        #expect(h2.spokes.map(\.count) == [0, 0, 0])
    }
}
