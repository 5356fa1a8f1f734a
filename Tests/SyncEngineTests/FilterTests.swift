import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// Spoke filters: only admitted hub items flow into the filtered spoke (spoke 1); spokes 0 and 2
/// take everything.
@Suite struct FilterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var filter: SpokeFilter
        var admitted: Set<String>
        var testDescription: String { name }
    }

    /// Entered in spoke 0; each case says which of them a filter admits.
    static let people: [Contact] = [
        person("Ada", email: "ada@example.com", phone: "555 0100 001", org: "Acme", categories: ["Work"]),
        person("Bob", email: "bob@sales.example.com", org: "ACME ", categories: ["Home"]),
        person("Cy", email: "cy@example.org", phone: "555 0100 003", org: "Acme Corp", categories: ["work"]),
        person("Di", email: "di@notexample.com", org: "Globex"),
        person("Ed", phone: "555 0100 005", categories: ["Work", "Golf"]),
        person("Flo"),
    ]

    static let cases: [Case] = [
        Case(name: "categories", filter: .init(categories: ["Work"]), admitted: ["Ada", "Cy", "Ed"]),
        Case(name: "categories OR", filter: .init(categories: ["Home", "Golf"]), admitted: ["Bob", "Ed"]),
        Case(name: "companies", filter: .init(companies: ["acme"]), admitted: ["Ada", "Bob"]),
        Case(name: "email domains", filter: .init(emailDomains: ["@Example.com"]), admitted: ["Ada", "Bob"]),
        Case(name: "require email", filter: .init(requireEmail: true), admitted: ["Ada", "Bob", "Cy", "Di"]),
        Case(name: "require phone", filter: .init(requirePhone: true), admitted: ["Ada", "Cy", "Ed"]),
        Case(name: "combined AND", filter: .init(categories: ["Work"], requireEmail: true, requirePhone: true),
             admitted: ["Ada", "Cy"]),
        Case(name: "company AND domain", filter: .init(companies: ["Acme", "Acme Corp"], emailDomains: ["example.org"]),
             admitted: ["Cy"]),
    ]

    static func harness(_ filter: SpokeFilter, _ store: StoreKind) throws -> Harness {
        try Harness(store: store.make(), spokeOptions: [.init(), .init(filter: filter), .init()])
    }

    @Test(arguments: cases, StoreKind.allCases)
    func onlyAdmittedItemsFlowIn(_ c: Case, _ store: StoreKind) async throws {
        let h = try Self.harness(c.filter, store)
        for p in Self.people { h.spokes[0].userUpsert(p) }
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.spokes[1].names == c.admitted)
        #expect(h.spokes[2].names == ["Ada", "Bob", "Cy", "Di", "Ed", "Flo"])
        #expect(h.stats(run, 1).pushedCreates == c.admitted.count)
        // Stable: the next pass moves nothing.
        let again = try await h.sync()
        #expect(again.stats.values.allSatisfy { $0.pushedCreates + $0.pushedUpdates + $0.pushedDeletes == 0 })
        #expect(h.spokes[1].names == c.admitted)
    }

    @Test(arguments: StoreKind.allCases)
    func leavingTheFilterRemovesOnlyFromThatSpokeAndReenteringBringsItBack(_ store: StoreKind) async throws {
        let h = try Self.harness(.init(categories: ["Work"]), store)
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", categories: ["Work"]))
        h.spokes[0].userUpsert(person("Bob", email: "bob@example.com", categories: ["Work"]))
        try await h.sync()
        try await h.sync()
        #expect(h.spokes[1].names == ["Ada", "Bob"])
        let journalBefore = try h.journal().count

        h.spokes[0].edit("Ada") { $0.categories = ["Home"] }
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.stats(run, 1).pushedDeletes == 1)
        #expect(h.spokes[1].names == ["Bob"])
        // Not a deletion anywhere else: the hub and the other spokes keep it, with the edit.
        #expect(try h.liveItem("Ada")?.contact.categories == ["Home"])
        #expect(h.spokes[0].names == ["Ada", "Bob"])
        #expect(h.spokes[2].contact("Ada")?.categories == ["Home"])
        #expect(try h.journal().filter { $0.kind == .deleted }.isEmpty)
        #expect(try h.journal().count == journalBefore + 1)  // the category edit

        // The spoke then reports the removal: still not taken for a deletion.
        for _ in 0..<2 {
            let r = try await h.sync()
            #expect(h.stats(r, 1).hubDeleted == 0)
        }
        #expect(try h.hubNames() == ["Ada", "Bob"])
        #expect(h.spokes[2].names == ["Ada", "Bob"])
        #expect(h.spokes[1].names == ["Bob"])

        // Back in the filter: created again, once.
        h.spokes[2].edit("Ada") { $0.categories = ["Home", "Work"]; $0.title = "Countess" }
        let back = try await h.sync()
        #expect(h.stats(back, 1).pushedCreates == 1)
        #expect(h.spokes[1].names == ["Ada", "Bob"])
        #expect(h.spokes[1].contact("Ada")?.title == "Countess")
        try await h.sync()
        #expect(h.spokes[1].count == 2)
        #expect(try h.hubContacts().count == 2)
        try h.expectConverged(spokes: [0, 1, 2])
    }

    /// Changing a spoke's filter does not by itself revisit items that did not change; resetting
    /// the spoke's push watermark (what a settings change should do) re-evaluates them all, and
    /// writes only what the new filter changes.
    @Test(arguments: StoreKind.allCases)
    func filterChangeWithWatermarkResetReevaluatesExistingItems(_ store: StoreKind) async throws {
        let h = try Self.harness(.init(categories: ["Work"]), store)
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", categories: ["Work"]))
        h.spokes[0].userUpsert(person("Bob", email: "bob@example.com", categories: ["Home"]))
        h.spokes[1].userUpsert(person("Dan", email: "dan@example.com"))
        try await h.sync()
        try await h.sync()
        #expect(h.spokes[1].names == ["Ada", "Dan"])

        var config = h.configs[1]
        config.options.filter = SpokeFilter(categories: ["Home"])
        try h.store.saveSpoke(config)
        var state = try h.state(1)
        state.pushedThrough = 0
        var batch = WriteBatch()
        batch.spokeStates = [state]
        try h.store.commit(hub: h.hub, batch)

        let writes = h.spokes[1].recordWrites()
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(h.spokes[1].names == ["Bob", "Dan"])  // Ada taken out, Bob brought in, Dan native
        #expect(writes.creates == 1 && writes.deletes == 1 && writes.updates == 0)
        #expect(try h.hubNames() == ["Ada", "Bob", "Dan"])
        #expect(h.spokes[0].names == ["Ada", "Bob", "Dan"] && h.spokes[2].names == ["Ada", "Bob", "Dan"])
    }

    @Test(arguments: StoreKind.allCases)
    func itemsNativeToTheFilteredSpokeStay(_ store: StoreKind) async throws {
        let h = try Self.harness(.init(categories: ["Work"]), store)
        h.spokes[1].userUpsert(person("Dan", email: "dan@example.com"))  // never admitted
        h.spokes[1].userUpsert(person("Eve", email: "eve@example.com", categories: ["Work"]))
        try await h.sync()
        #expect(try h.hubNames() == ["Dan", "Eve"])
        #expect(h.spokes[0].names == ["Dan", "Eve"])
        #expect(h.spokes[2].names == ["Dan", "Eve"])

        // Edited elsewhere so that neither is admitted: both stay in spoke 1 and get the edits.
        h.spokes[0].edit("Dan") { $0.title = "Driver" }
        h.spokes[0].edit("Eve") { $0.categories = []; $0.title = "Engineer" }
        let run = try await h.sync()
        #expect(h.stats(run, 1).pushedDeletes == 0)
        #expect(h.stats(run, 1).pushedUpdates == 2)
        #expect(h.spokes[1].names == ["Dan", "Eve"])
        #expect(h.spokes[1].contact("Dan")?.title == "Driver")
        #expect(h.spokes[1].contact("Eve")?.title == "Engineer")
        #expect(h.spokes[1].contact("Eve")?.categories == [])
        try await h.sync()
        try h.expectConverged(spokes: [0, 1, 2])
    }

    @Test(arguments: StoreKind.allCases)
    func editInTheFilteredSpokeThatLeavesTheFilter(_ store: StoreKind) async throws {
        let h = try Self.harness(.init(companies: ["Acme"]), store)
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", org: "Acme"))
        try await h.sync()
        #expect(h.spokes[1].names == ["Ada"])
        // The person changes the company in the filtered spoke itself: the hub and the others
        // take the edit; the hub then takes its own item out of the filtered spoke.
        h.spokes[1].edit("Ada") { $0.organization = "Globex" }
        let run = try await h.sync()
        #expect(h.stats(run, 1).hubUpdated == 1)
        #expect(try h.liveItem("Ada")?.contact.organization == "Globex")
        #expect(h.spokes[0].contact("Ada")?.organization == "Globex")
        #expect(h.spokes[2].contact("Ada")?.organization == "Globex")
        #expect(h.spokes[1].count == 0)
        try await h.sync()
        #expect(try h.hubNames() == ["Ada"])
        #expect(h.spokes[0].names == ["Ada"])
    }

    @Test(arguments: StoreKind.allCases)
    func hubDeletionOfAnItemOutsideTheFilterTouchesNothingThere(_ store: StoreKind) async throws {
        let h = try Self.harness(.init(requirePhone: true), store)
        h.spokes[0].userUpsert(person("Ada", phone: "555 0100 001"))
        h.spokes[0].userUpsert(person("Bob", email: "bob@example.com"))
        try await h.sync()
        #expect(h.spokes[1].names == ["Ada"])
        let writes = h.spokes[1].recordWrites()
        h.spokes[0].delete("Bob")
        h.spokes[0].delete("Ada")
        try await h.sync()
        #expect(writes.deletes == 1)
        #expect(writes.all.count == 1)
        #expect(h.spokes[1].count == 0)
        #expect(h.spokes[2].count == 0)
    }
}
