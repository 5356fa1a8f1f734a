import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// "Categorize data in spoke": spoke 1 tags what the hub writes there with "HubSync".
@Suite struct CategorizeTests {
    static let options: [SpokeOptions] = [.init(), .init(categorizeAs: "HubSync"), .init()]

    func hasTag(_ c: Contact?) -> Bool { c?.categories.contains { $0.lowercased() == "hubsync" } == true }

    @Test(arguments: StoreKind.allCases)
    func hubWritesCarryTheCategoryWhichStaysInThatSpoke(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", categories: ["Friends"]))
        h.spokes[1].userUpsert(person("Bob", email: "bob@example.com"))
        let run = try await h.sync()
        #expect(run.status == .succeeded)

        // Created by the hub in spoke 1: tagged, its own categories kept.
        let ada1 = try #require(h.spokes[1].contact("Ada"))
        #expect(Set(ada1.categories) == ["Friends", "HubSync"])
        // Not in the hub, not in the other spokes.
        #expect(try h.liveItem("Ada")?.contact.categories == ["Friends"])
        #expect(h.spokes[0].contact("Ada")?.categories == ["Friends"])
        #expect(h.spokes[2].contact("Ada")?.categories == ["Friends"])
        // Bob was entered in spoke 1 itself: the hub has not written it, so it is untouched.
        #expect(h.spokes[1].contact("Bob")?.categories == [])
        #expect(h.spokes[2].contact("Bob")?.categories == [])

        // The tagged echo is not a change: nothing moves on the next passes.
        let journalBefore = try h.journal().count
        for _ in 0..<2 {
            let quiet = try await h.sync()
            #expect(quiet.stats.values.allSatisfy { $0.hubUpdated + $0.pushedUpdates + $0.pushedCreates == 0 })
        }
        #expect(try h.journal().count == journalBefore)

        // Once the hub updates Bob in spoke 1 (an edit made elsewhere), it carries the tag too.
        h.spokes[2].edit("Bob") { $0.title = "Builder" }
        try await h.sync()
        let bob1 = try #require(h.spokes[1].contact("Bob"))
        #expect(bob1.title == "Builder")
        #expect(hasTag(bob1))
        #expect(try h.liveItem("Bob")?.contact.categories == [])
        #expect(h.spokes[0].contact("Bob")?.categories == [])
    }

    @Test(arguments: StoreKind.allCases)
    func removingTheCategoryInTheSpokeDeletesNothing(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", categories: ["Friends"]))
        h.spokes[0].userUpsert(person("Alan", email: "alan@example.com"))
        try await h.sync()
        try await h.sync()
        #expect(hasTag(h.spokes[1].contact("Ada")) && hasTag(h.spokes[1].contact("Alan")))
        let journalBefore = try h.journal().count

        h.spokes[1].edit("Ada") { $0.categories.removeAll { $0 == "HubSync" } }
        h.spokes[1].edit("Alan") { $0.categories = [] }
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.stats(run, 1).hubDeleted == 0)
        #expect(h.stats(run, 1).hubUpdated == 0)
        #expect(try h.hubNames() == ["Ada", "Alan"])
        for i in 0..<3 { #expect(h.spokes[i].names == ["Ada", "Alan"], "spoke \(i)") }
        #expect(try h.liveItem("Ada")?.contact.categories == ["Friends"])
        #expect(h.spokes[1].contact("Ada")?.categories == ["Friends"])
        #expect(try h.journal().count == journalBefore)
    }

    @Test(arguments: StoreKind.allCases)
    func otherCategoryEditsInTheSpokeFlowWithoutTheTag(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", categories: ["Friends"]))
        try await h.sync()
        h.spokes[1].edit("Ada") { $0.categories.append("VIP") }
        try await h.sync()
        #expect(Set(try #require(try h.liveItem("Ada")).contact.categories) == ["Friends", "VIP"])
        #expect(Set(h.spokes[0].contact("Ada")?.categories ?? []) == ["Friends", "VIP"])
        #expect(Set(h.spokes[2].contact("Ada")?.categories ?? []) == ["Friends", "VIP"])
        #expect(Set(h.spokes[1].contact("Ada")?.categories ?? []) == ["Friends", "VIP", "HubSync"])
        // The tag, differently spelled and padded by the source, is still the spoke's own.
        h.spokes[1].edit("Ada") { $0.categories = ["Friends", "VIP", "  hubsync "] }
        let run = try await h.sync()
        #expect(h.stats(run, 1).hubUpdated == 0)
        #expect(Set(try #require(try h.liveItem("Ada")).contact.categories) == ["Friends", "VIP"])
    }

    /// A contact entered in the spoke already carrying the spoke's category (copied from one the
    /// hub wrote, say): the category stays out of the hub.
    @Test(arguments: StoreKind.allCases)
    func taggedContactEnteredInTheSpokeArrivesWithoutTheTag(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        h.spokes[1].userUpsert(person("Cy", email: "cy@example.com", categories: ["HubSync", "Golf"]))
        try await h.sync()
        #expect(try h.liveItem("Cy")?.contact.categories == ["Golf"])
        #expect(h.spokes[0].contact("Cy")?.categories == ["Golf"])
        #expect(h.spokes[2].contact("Cy")?.categories == ["Golf"])
        #expect(Set(h.spokes[1].contact("Cy")?.categories ?? []) == ["HubSync", "Golf"])
    }
}
