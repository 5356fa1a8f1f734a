import Foundation
import Testing
import SyncModel
import SyncStore

/// A calendar source's filter changed to take most of what the hub put there out of it is held
/// for an admin, as for contacts (`HubDeletionGuardTests.filterChangeRemovingManyIsHeld`).
@Suite struct CalendarFilterHoldTests {
    @Test(arguments: StoreKind.allCases)
    func aFilterTakingManyEventsOutIsHeld(_ kind: StoreKind) async throws {
        let h = try EventHub(store: kind.make(), deletionGuard: DeletionGuard(percent: 20, minimum: 5))
        for i in 0..<10 {
            var e = Cal.single("e\(i)@example.com", "Event \(i)", hour: 8 + i)
            if i < 2 { e.master?.categories = ["Team"] }
            h.spokes[0].userUpsert(e)
        }
        try await h.sync()
        #expect(h.spokes[1].count == 10)
        var spoke = h.configs[1]
        spoke.options.filter = SpokeFilter(categories: ["team"])
        try h.engine.saveSpoke(spoke)
        let hold = try #require(try h.store.pendingHolds(hub: h.hub).first)
        #expect(hold.outgoing && hold.items.count == 8 && hold.spoke == spoke.id)
        try await h.sync()
        #expect(h.spokes[1].count == 10)
        try h.engine.approveHold(hub: h.hub, spoke: spoke.id)
        try await h.sync()
        #expect(h.spokes[1].count == 2)
        #expect(try h.events().count == 10)
    }
}
