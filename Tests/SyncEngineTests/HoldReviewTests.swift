import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// Holds met by a misbehaving source: a listing that glitches once, cards that come back blank
/// or stripped. Rejecting re-reads, recovering clears, and nothing is ever duplicated.
@Suite struct HoldReviewTests {
    static let names = (0..<10).map { "P\($0)" }

    /// Ten people entered in spoke 0, synced to spokes 1 and 2 and settled.
    func seeded(_ store: StoreKind) async throws -> Harness {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()])
        for n in Self.names {
            h.spokes[0].userUpsert(person(n, email: "\(n.lowercased())@example.com", phone: "+4930555\(n.dropFirst())",
                                          org: "Org \(n)", title: "Title \(n)"))
        }
        try await h.sync()
        try await h.sync()
        #expect(h.spokes.map(\.count) == [10, 10, 10])
        return h
    }

    /// Each spoke holds each person once, and so does the hub.
    func expectNoDuplicates(_ h: Harness, count: Int = 10, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try h.store.liveItemCount(hub: h.hub) == count, sourceLocation: sourceLocation)
        #expect(h.spokes.map(\.count) == [count, count, count], sourceLocation: sourceLocation)
        for s in h.spokes {
            #expect(s.names.count == s.count, "\(s.name) holds someone twice", sourceLocation: sourceLocation)
        }
    }

    /// The hold of a source that listed nothing once.
    func glitch(_ h: Harness, spoke: Int = 0) async throws -> DeletionHold {
        h.spokes[spoke].glitchNextPull()
        let run = try await h.sync()
        #expect(run.status == .partial)
        let hold = try #require(try h.store.pendingHolds(hub: h.hub).first)
        #expect(hold.items.count == 10 && hold.reason.contains("no items"))
        try expectNoDuplicates(h)
        return hold
    }

    @Test(arguments: StoreKind.allCases)
    func rejectAfterAGlitchRelinksWithoutDuplicates(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        _ = try await glitch(h)
        let writes = h.spokes.map { $0.recordWrites() }
        try h.engine.rejectHold(hub: h.hub, spoke: h.configs[0].id)
        #expect(try h.store.pendingHolds(hub: h.hub).isEmpty)
        let run = try await h.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        // The server behaves again: everything it lists is still linked, nothing is written.
        #expect(writes.allSatisfy { $0.all.isEmpty })
        for _ in 0..<2 { try await h.sync() }
        #expect(writes.allSatisfy { $0.all.isEmpty })
        try expectNoDuplicates(h)
        // A second glitch and reject: still once each.
        _ = try await glitch(h)
        try h.engine.rejectHold(hub: h.hub, spoke: h.configs[0].id)
        for _ in 0..<3 { try await h.sync() }
        try expectNoDuplicates(h)
    }

    /// Deleted for real while the listing glitched: rejecting writes back only those.
    @Test(arguments: StoreKind.allCases)
    func rejectRecreatesOnlyWhatIsReallyGone(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        _ = try await glitch(h)
        h.spokes[0].delete("P3")
        h.spokes[0].delete("P4")
        let writes = h.spokes[0].recordWrites()
        try h.engine.rejectHold(hub: h.hub, spoke: h.configs[0].id)
        let run = try await h.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(writes.creates == 2 && writes.updates == 0 && writes.deletes == 0)
        #expect(h.stats(run, 1).pushedCreates + h.stats(run, 2).pushedCreates == 0)
        try await h.sync()
        try expectNoDuplicates(h)
        #expect(try h.store.holds(hub: h.hub).isEmpty)
    }

    /// No admin at all: the source lists everything again and the hold goes by itself.
    @Test(arguments: StoreKind.allCases)
    func holdClearsWhenTheSourceListsTheItemsAgain(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        _ = try await glitch(h)
        let run = try await h.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        try await h.sync()
        try expectNoDuplicates(h)
        // Deleted for real meanwhile: what is listed again leaves the hold; the rest waits.
        _ = try await glitch(h)
        h.spokes[0].delete("P7")
        try await h.sync()
        let hold = try #require(try h.store.pendingHolds(hub: h.hub).first)
        #expect(hold.items == [try #require(try h.liveItem("P7")).id])
        try h.engine.approveHold(hub: h.hub, spoke: h.configs[0].id)
        try await h.sync()
        #expect(h.spokes.map(\.count) == [9, 9, 9])
        #expect(try h.store.holds(hub: h.hub).isEmpty)
    }

    /// A card that parses but holds nothing: held, and the other sources keep the person.
    @Test(arguments: StoreKind.allCases)
    func blankedCardIsHeldThenRejected(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        let before = try #require(h.spokes[1].contact("P2"))
        let id = try #require(h.spokes[1].id("P2"))
        h.spokes[1].userUpsert(Contact(), id: id)
        let run = try await h.sync()
        #expect(run.status == .partial)
        let hold = try #require(try h.store.pendingHolds(hub: h.hub).first)
        let item = try #require(try h.liveItem("P2"))
        #expect(hold.spoke == h.configs[1].id && hold.items == [item.id] && hold.changes == [item.id])
        #expect(h.spokes[0].contact("P2") == before && h.spokes[2].contact("P2") == before)
        #expect(item.contact == before)
        // Still blank at the next pass: still held, nothing spreads.
        try await h.sync()
        #expect(try h.store.pendingHolds(hub: h.hub).count == 1)
        #expect(h.spokes[2].contact("P2") == before)
        // Rejected: the hub writes its version back over the blank card.
        try h.engine.rejectHold(hub: h.hub, spoke: h.configs[1].id)
        let back = try await h.sync()
        #expect(back.status == .succeeded, "\(back.errors)")
        #expect(h.spokes[1].entries[id]?.contact == before)
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        try await h.sync()
        try expectNoDuplicates(h)
        #expect(h.spokes.allSatisfy { $0.contact("P2") == before })
    }

    @Test(arguments: StoreKind.allCases)
    func blankedCardApprovedIsApplied(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        let id = try #require(h.spokes[1].id("P2"))
        let item = try #require(try h.liveItem("P2")).id
        h.spokes[1].userUpsert(Contact(notes: "blank on purpose"), id: id)
        try await h.sync()
        #expect(try h.store.pendingHolds(hub: h.hub).count == 1)
        try h.engine.approveHold(hub: h.hub, spoke: h.configs[1].id)
        try await h.sync()
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        #expect(try h.store.items(hub: h.hub, ids: [item])[item]?.contact.notes == "blank on purpose")
        #expect(h.spokes.allSatisfy { $0.contacts.contains { $0.notes == "blank on purpose" } })
    }

    /// A card mended before anyone decided: the hold goes, the mended card syncs.
    @Test(arguments: StoreKind.allCases)
    func blankedCardMendedClearsTheHold(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        let id = try #require(h.spokes[1].id("P2"))
        var before = try #require(h.spokes[1].contact("P2"))
        h.spokes[1].userUpsert(Contact(), id: id)
        try await h.sync()
        #expect(try h.store.pendingHolds(hub: h.hub).count == 1)
        before.title = "mended"
        h.spokes[1].userUpsert(before, id: id)
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        #expect(h.spokes.allSatisfy { $0.contact("P2")?.title == "mended" })
    }

    /// More than the guard's share losing most of their fields in one pass is held; fewer pass.
    @Test(arguments: StoreKind.allCases)
    func strippedPassIsHeldAboveTheShare(_ store: StoreKind) async throws {
        let h = try await seeded(store)
        func strip(_ n: String) { h.spokes[1].edit(n) { $0 = Contact(givenName: $0.givenName) } }
        for n in ["P0", "P1"] { strip(n) }
        let few = try await h.sync()
        #expect(few.status == .succeeded)
        #expect(h.spokes[2].contact("P0")?.emails.isEmpty == true)
        for n in ["P2", "P3", "P4", "P5", "P6"] { strip(n) }
        let many = try await h.sync()
        #expect(many.status == .partial)
        let hold = try #require(try h.store.pendingHolds(hub: h.hub).first)
        #expect(hold.changes.count == 5 && hold.reason.contains("lost most of their fields"))
        #expect(h.spokes[2].contact("P4")?.emails.isEmpty == false)
        try h.engine.rejectHold(hub: h.hub, spoke: h.configs[1].id)
        try await h.sync()
        try await h.sync()
        #expect(h.spokes[1].contact("P4")?.emails.isEmpty == false)
        #expect(try h.store.holds(hub: h.hub).isEmpty)
        try expectNoDuplicates(h)
    }
}
