import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// The same field edited in two spokes between passes: the newer edit wins, in every spoke, and
/// the journal says which field conflicted.
@Suite struct ConflictTests {
    func seeded(_ store: StoreKind) async throws -> Harness {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()])
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com", title: "Analyst"))
        try await h.sync()
        try await h.sync()
        return h
    }

    func expectEverywhere(_ h: Harness, title: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try h.liveItem("Ada")?.contact.title == title, sourceLocation: sourceLocation)
        for (i, s) in h.spokes.enumerated() {
            #expect(s.contact("Ada")?.title == title, "spoke \(i)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func laterSpokeWithNewerEditWins(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        h.spokes[0].edit("Ada") { $0.title = "Countess" }
        h.clock.advance(60)
        h.spokes[2].edit("Ada") { $0.title = "Mathematician"; $0.notes = "wrote the first program" }
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        try expectEverywhere(h, title: "Mathematician")
        #expect(h.stats(run, 2).conflicts == 1)
        #expect(h.stats(run, 0).conflicts == 0)
        // The entry of the change that won lists the field, and only that one (notes merged).
        let entry = try #require(try h.journal().first)
        #expect(entry.source == .spoke(h.configs[2].id))
        #expect(entry.conflicts == [.text(.title)])
        #expect(entry.old?.title == "Countess" && entry.new?.title == "Mathematician")
        #expect(entry.new?.notes == "wrote the first program")
        #expect(h.spokes[0].contact("Ada")?.notes == "wrote the first program")
        try h.expectConverged(spokes: [0, 1, 2])
        let quiet = try await h.sync()
        #expect(quiet.stats.values.allSatisfy { $0.hubUpdated + $0.pushedUpdates == 0 })
    }

    @Test(arguments: StoreKind.allCases)
    func earlierSpokeWithNewerEditWins(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        h.spokes[2].edit("Ada") { $0.title = "Mathematician" }
        h.clock.advance(60)
        h.spokes[0].edit("Ada") { $0.title = "Countess" }
        let run = try await h.sync()
        try expectEverywhere(h, title: "Countess")
        #expect(h.stats(run, 2).conflicts == 1)
        #expect(h.stats(run, 2).hubUpdated == 0)
        // The losing spoke is written back.
        #expect(h.stats(run, 2).pushedUpdates == 1)
        try h.expectConverged(spokes: [0, 1, 2])
        let quiet = try await h.sync()
        #expect(quiet.stats.values.allSatisfy { $0.hubUpdated + $0.pushedUpdates == 0 })
        try expectEverywhere(h, title: "Countess")

        // The overruled edit is journaled: restoring that entry takes the spoke's side.
        let lost = try #require(try h.journal().first { $0.kind == .conflict })
        #expect(lost.source == .spoke(h.configs[2].id) && lost.run == run.id)
        #expect(lost.conflicts == [.text(.title)])
        #expect(lost.old?.title == "Mathematician" && lost.new?.title == "Countess")
        try h.engine.restore(hub: h.hub, entry: lost.seq)
        try await h.sync()
        try expectEverywhere(h, title: "Mathematician")
        try h.expectConverged(spokes: [0, 1, 2])
    }

    /// A run whose only entry for an item is an overruled edit changed nothing in that item:
    /// undoing the run leaves it alone (and undoes the rest of the run).
    @Test(arguments: StoreKind.allCases)
    func restoringARunDoesNotApplyItsOverruledEdits(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        // Spoke 2 edits first but is unreachable while spoke 0's later edit goes through.
        h.spokes[2].edit("Ada") { $0.title = "Mathematician" }
        h.clock.advance(60)
        h.spokes[0].edit("Ada") { $0.title = "Countess" }
        h.spokes[2].setHook { op, _ in if op == .pull { throw ConnectorError(.unavailable, "offline") } }
        try await h.sync()
        h.spokes[2].setHook(nil)
        h.spokes[1].userUpsert(person("Cy", email: "cy@example.com"))
        let run = try await h.sync()
        try expectEverywhere(h, title: "Countess")
        let entries = try h.store.journal(hub: h.hub, JournalQuery(run: run.id))
        #expect(Set(entries.map(\.kind)) == [.created, .conflict])

        try h.engine.restore(hub: h.hub, run: run.id)
        #expect(try h.hubNames() == ["Ada"])
        #expect(try h.liveItem("Ada")?.contact.title == "Countess")
        try await h.sync()
        try expectEverywhere(h, title: "Countess")
        #expect(h.spokes.allSatisfy { $0.names == ["Ada"] })
    }

    /// Same time on both sides: the hub side wins, which holds the edit of the spoke first in the
    /// fixed order, whatever the order of the edits.
    @Test(arguments: [false, true], StoreKind.allCases)
    func tieGoesToTheEarlierSpoke(editLaterSpokeFirst: Bool, _ store: StoreKind) async throws {
        let h = try await seeded(store)
        if editLaterSpokeFirst {
            h.spokes[1].edit("Ada") { $0.title = "from 1" }
            h.spokes[0].edit("Ada") { $0.title = "from 0" }
        } else {
            h.spokes[0].edit("Ada") { $0.title = "from 0" }
            h.spokes[1].edit("Ada") { $0.title = "from 1" }
        }
        let run = try await h.sync()
        try expectEverywhere(h, title: "from 0")
        #expect(h.stats(run, 1).conflicts == 1)
        try await h.sync()
        try expectEverywhere(h, title: "from 0")
    }

    /// Conflicts are settled by each field's own age: an unrelated later edit of another field
    /// (notes, in spoke 1, pulled before spoke 2) does not make the hub's older title look newer
    /// than spoke 2's title.
    @Test(arguments: StoreKind.allCases)
    func unrelatedLaterEditDoesNotDecideAFieldConflict(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        h.spokes[0].edit("Ada") { $0.title = "Countess" }
        h.clock.advance(60)
        h.spokes[2].edit("Ada") { $0.title = "Mathematician" }
        h.clock.advance(60)
        h.spokes[1].edit("Ada") { $0.notes = "unrelated" }
        try await h.sync()
        try await h.sync()
        #expect(try h.liveItem("Ada")?.contact.notes == "unrelated")
        try expectEverywhere(h, title: "Mathematician")
        try h.expectConverged(spokes: [0, 1, 2])
    }

    @Test(arguments: StoreKind.allCases)
    func threeWayConflictOnAMultiValuedField(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        // The same email relabelled differently in two spokes; a third adds another email.
        h.spokes[0].edit("Ada") { $0.emails = [LabeledValue("ada@example.com", label: .home)] }
        h.clock.advance(5)
        h.spokes[1].edit("Ada") { $0.emails = [LabeledValue("ada@example.com", label: .other)] }
        h.clock.advance(5)
        h.spokes[2].edit("Ada") { $0.emails.append(LabeledValue("countess@example.com", label: .home)) }
        let run = try await h.sync()
        #expect(h.stats(run, 1).conflicts == 1)
        let emails = try #require(try h.liveItem("Ada")).contact.emails
        #expect(Set(emails) == [
            LabeledValue("ada@example.com", label: .other), LabeledValue("countess@example.com", label: .home),
        ])
        #expect(try h.journal().contains { $0.conflicts == [.emails] && $0.source == .spoke(h.configs[1].id) })
        try await h.sync()
        try h.expectConverged(spokes: [0, 1, 2])
    }
}
