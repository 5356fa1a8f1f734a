import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// Every hub change is journaled; `restore` undoes one entry or a whole run, and is itself
/// journaled, so an undo can be undone.
@Suite struct JournalRestoreTests {
    @Test(arguments: StoreKind.allCases)
    func everyHubChangeIsJournaled(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()])
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com"))
        let r1 = try await h.sync()
        let created = try h.journal()
        #expect(created.count == 1)
        let c = try #require(created.first)
        let ada = try #require(try h.liveItem("Ada"))
        #expect(c.kind == .created && c.source == .spoke(h.configs[0].id) && c.run == r1.id && c.item == ada.id)
        #expect(c.old == nil && c.new == ada.contact)

        // Echoes and settled passes add nothing.
        try await h.sync()
        #expect(try h.journal().count == 1)

        h.spokes[1].edit("Ada") { $0.title = "Countess" }
        let r2 = try await h.sync()
        let u = try #require(try h.journal().first)
        #expect(u.kind == .updated && u.source == .spoke(h.configs[1].id) && u.run == r2.id && u.item == ada.id)
        #expect(u.old?.title == nil && u.new?.title == "Countess")
        #expect(u.conflicts.isEmpty)
        #expect(u.seq > c.seq)

        h.spokes[2].delete("Ada")
        let r3 = try await h.sync()
        let d = try #require(try h.journal().first)
        #expect(d.kind == .deleted && d.source == .spoke(h.configs[2].id) && d.run == r3.id && d.item == ada.id)
        #expect(d.old?.title == "Countess" && d.new == nil)
        try await h.sync()
        #expect(try h.journal().map(\.kind) == [.deleted, .updated, .created])
        // Per-run and per-item queries.
        #expect(try h.store.journal(hub: h.hub, JournalQuery(run: r2.id)).map(\.seq) == [u.seq])
        #expect(try h.store.journal(hub: h.hub, JournalQuery(item: ada.id)).count == 3)
    }

    @Test(arguments: StoreKind.allCases)
    func restoreOneEntryAndRedo(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()])
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com"))
        try await h.sync()
        h.spokes[1].edit("Ada") { $0.title = "Countess" }
        try await h.sync()
        let edit = try #require(try h.journal().first { $0.kind == .updated })

        let undo = try h.engine.restore(hub: h.hub, entry: edit.seq)
        #expect(undo.count == 1)
        let u = try #require(undo.first)
        #expect(u.kind == .restored && u.source == .restore && u.run == nil && u.item == edit.item)
        #expect(u.old?.title == "Countess" && u.new?.title == nil)
        #expect(try h.liveItem("Ada")?.contact.title == nil)
        #expect(try h.journal().first?.kind == .restored)

        let run = try await h.sync()
        #expect((0..<3).allSatisfy { h.stats(run, $0).pushedUpdates == 1 })
        for s in h.spokes { #expect(s.contact("Ada")?.title == nil) }

        // Undo the undo.
        let newest = try #require(try h.journal().first)
        let redo = try h.engine.restore(hub: h.hub, entry: newest.seq)
        #expect(redo.first?.new?.title == "Countess")
        try await h.sync()
        for s in h.spokes { #expect(s.contact("Ada")?.title == "Countess") }
        try h.expectConverged(spokes: [0, 1, 2])

        // Restoring to what the item already is changes nothing: the undo's "old" is the
        // current content again.
        let count = try h.journal().count
        #expect(try h.engine.restore(hub: h.hub, entry: u.seq).isEmpty)
        #expect(try h.journal().count == count)
        #expect(throws: EngineError.self) { try h.engine.restore(hub: h.hub, entry: 9_999) }
    }

    @Test(arguments: StoreKind.allCases)
    func restoreAWholeRun(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()])
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com"))
        h.spokes[0].userUpsert(person("Bob", email: "bob@example.com", phone: "555 0100 200"))
        try await h.sync()
        try await h.sync()
        let before = Harness.sorted(try h.hubContacts())

        // One run: a create, an edit, a deletion, from different spokes.
        h.spokes[2].userUpsert(person("Cy", email: "cy@example.com"))
        h.spokes[1].edit("Bob") { $0.phones = [LabeledValue("555 0100 999", label: .work)] }
        h.spokes[2].edit("Bob") { $0.notes = "two edits in one run" }
        h.spokes[0].delete("Ada")
        let run = try await h.sync()
        #expect(try h.hubNames() == ["Bob", "Cy"])
        #expect(try h.liveItem("Bob")?.contact.notes == "two edits in one run")
        #expect(try h.store.journal(hub: h.hub, JournalQuery(run: run.id)).count == 4)
        for s in h.spokes { #expect(s.names == ["Bob", "Cy"]) }

        let undone = try h.engine.restore(hub: h.hub, run: run.id)
        #expect(undone.count == 3)
        #expect(undone.allSatisfy { $0.kind == .restored && $0.source == .restore })
        #expect(Harness.sorted(try h.hubContacts()) == before)
        #expect(try h.anyItem("Cy")?.deleted == true)

        try await h.sync()
        for s in h.spokes {
            #expect(s.names == ["Ada", "Bob"])
            #expect(s.contact("Bob")?.phones.map(\.value) == ["555 0100 200"])
            #expect(s.contact("Bob")?.notes == nil)
        }
        try h.expectConverged(spokes: [0, 1, 2])

        // Redo, entry by entry: the run's changes are back everywhere.
        for e in undone { try h.engine.restore(hub: h.hub, entry: e.seq) }
        try await h.sync()
        for s in h.spokes {
            #expect(s.names == ["Bob", "Cy"])
            #expect(s.contact("Bob")?.phones.map(\.value) == ["555 0100 999"])
            #expect(s.contact("Bob")?.notes == "two edits in one run")
        }
        try h.expectConverged(spokes: [0, 1, 2])
        // Settled: no duplicates from the re-creations, nothing more to push.
        let quiet = try await h.sync()
        #expect(quiet.stats.values.allSatisfy { $0.hubCreated + $0.pushedCreates + $0.pushedUpdates == 0 })
        #expect(try h.store.liveItemCount(hub: h.hub) == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func restoreOfARunThatChangedNothingFails(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make())
        h.spokes[0].userUpsert(person("Ada"))
        try await h.sync()
        let quiet = try await h.sync()
        #expect(throws: EngineError.self) { try h.engine.restore(hub: h.hub, run: quiet.id) }
        #expect(throws: EngineError.self) { try h.engine.restore(hub: h.hub, entry: 42) }
    }
}
