import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// "Allow Hub to create and sync items in this spoke" off: the spoke feeds the hub and is never
/// written to. Spoke 1 is one-way, between two two-way spokes.
@Suite struct OneWaySpokeTests {
    static let options: [SpokeOptions] = [.init(), .init(twoWay: false), .init()]

    @Test(arguments: StoreKind.allCases)
    func feedsTheHubAndReceivesNothing(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        let oneWayWrites = h.spokes[1].recordWrites()
        h.spokes[1].userUpsert(person("Ada", email: "ada@example.com"))
        h.spokes[0].userUpsert(person("Alan", email: "alan@example.com"))
        h.spokes[2].userUpsert(person("Grace", email: "grace@example.com"))
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(try h.hubNames() == ["Ada", "Alan", "Grace"])
        // The two-way spokes get everything, the one-way spoke its own item only.
        #expect(h.spokes[0].names == ["Ada", "Alan", "Grace"])
        #expect(h.spokes[2].names == ["Ada", "Alan", "Grace"])
        #expect(h.spokes[1].names == ["Ada"])
        #expect(h.stats(run, 1).hubCreated == 1)
        #expect(h.stats(run, 1).pushedCreates == 0)

        // An edit in a two-way spoke reaches the other two-way spoke, not the one-way one.
        h.spokes[0].edit("Ada") { $0.title = "Countess" }
        try await h.sync()
        #expect(h.spokes[2].contact("Ada")?.title == "Countess")
        #expect(try h.liveItem("Ada")?.contact.title == "Countess")
        #expect(h.spokes[1].contact("Ada")?.title == nil)

        // A deletion in a two-way spoke: gone from the hub and the other two-way spoke, kept in
        // the one-way spoke.
        h.spokes[2].delete("Ada")
        try await h.sync()
        #expect(try h.liveItem("Ada") == nil)
        #expect(h.spokes[0].names == ["Alan", "Grace"])
        #expect(h.spokes[1].names == ["Ada"])

        try await h.sync()
        #expect(oneWayWrites.all.isEmpty)
        #expect(h.spokes[1].count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func editsAndDeletionsInTheOneWaySpokeFlowOut(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        let oneWayWrites = h.spokes[1].recordWrites()
        h.spokes[1].userUpsert(person("Ada", email: "ada@example.com"))
        h.spokes[1].userUpsert(person("Bob", email: "bob@example.com"))
        try await h.sync()
        #expect(h.spokes[0].names == ["Ada", "Bob"])

        h.spokes[1].edit("Ada") { $0.title = "Countess" }
        h.spokes[1].delete("Bob")
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.stats(run, 1).hubUpdated == 1)
        #expect(h.stats(run, 1).hubDeleted == 1)
        for i in [0, 2] {
            #expect(h.spokes[i].names == ["Ada"])
            #expect(h.spokes[i].contact("Ada")?.title == "Countess")
        }
        try h.expectConverged(spokes: [0, 2])
        #expect(oneWayWrites.all.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func matchedItemIsNotUpdatedInTheOneWaySpoke(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        let oneWayWrites = h.spokes[1].recordWrites()
        // The same person in a two-way spoke (with a phone) and in the one-way spoke (without).
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", phone: "+44 20 7946 0958"))
        h.spokes[1].userUpsert(person("Ada", email: "ada@example.com"))
        let run = try await h.sync()
        #expect(h.stats(run, 1).matched == 1)
        #expect(try h.hubContacts().count == 1)
        #expect(try h.liveItem("Ada")?.contact.phones.map(\.value) == ["+44 20 7946 0958"])
        #expect(h.spokes[1].contact("Ada")?.phones.isEmpty == true)
        #expect(h.spokes[2].contact("Ada")?.phones.map(\.value) == ["+44 20 7946 0958"])

        // A later hub change is not pushed either, and the unsent phone is not mistaken for a
        // deletion made in the one-way spoke when it edits another field.
        h.spokes[1].edit("Ada") { $0.notes = "met at the RS" }
        try await h.sync()
        #expect(try h.liveItem("Ada")?.contact.notes == "met at the RS")
        #expect(try h.liveItem("Ada")?.contact.phones.count == 1)
        #expect(h.spokes[0].contact("Ada")?.phones.count == 1)
        #expect(h.spokes[0].contact("Ada")?.notes == "met at the RS")
        #expect(oneWayWrites.all.isEmpty)
    }
}
