import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// History retention runs by itself: each pass lets go of the changes and runs older than the
/// engine keeps, so a quiet hub's database stops growing; nil keeps it all.
@Suite struct HistoryRetentionTests {
    static let day: TimeInterval = 86_400

    @Test(arguments: StoreKind.allCases)
    func aPassLetsGoOfHistoryOlderThanItKeeps(_ store: StoreKind) async throws {
        let h = try Harness(store: try store.make())
        var keeping = h.engine
        keeping.keepHistory = 30 * Self.day
        let connectors = HubConnectors.contacts(h.itemConnectors)
        for n in 0..<3 { h.spokes[0].userUpsert(person("P\(n)")) }
        try await keeping.sync(hub: h.hub, connectors: connectors)
        let first = try h.journal().count
        #expect(first == 3)

        // Forty days later, one edit: the first pass's changes and run are let go.
        h.clock.advance(40 * Self.day)
        h.spokes[0].edit("P1") { $0.title = "edited" }
        try await keeping.sync(hub: h.hub, connectors: connectors)
        let journal = try h.journal()
        let edited = try h.liveItem("P1")?.id
        #expect(journal.count == 1 && journal.first?.item == edited)
        #expect(try h.store.runs(hub: h.hub, limit: 100).count == 1)

        // A quiet pass a year on keeps the newest change (the journal's sequence goes on from it).
        h.clock.advance(365 * Self.day)
        try await keeping.sync(hub: h.hub, connectors: connectors)
        #expect(try h.journal().count == 1)

        // Without retention, nothing is let go.
        h.spokes[0].edit("P2") { $0.title = "edited" }
        try await h.sync()
        h.clock.advance(365 * Self.day)
        h.spokes[0].edit("P0") { $0.title = "edited" }
        try await h.sync()
        #expect(try h.journal().count == 3)
    }

    /// A streak of quiet passes keeps only its latest run, so a quiet hub's history stops
    /// growing between the retention's cuts; a pass that did something is always kept.
    @Test(arguments: StoreKind.allCases)
    func aStreakOfQuietPassesKeepsItsLatestRun(_ store: StoreKind) async throws {
        let h = try Harness(store: try store.make())
        h.spokes[0].userUpsert(person("P0"))
        let busy = try await h.sync()
        var quiet: [RunRecord] = []
        for _ in 0..<4 {
            h.clock.advance(60)
            quiet.append(try await h.sync())
        }
        #expect(quiet.allSatisfy(\.isQuiet) && !busy.isQuiet)
        #expect(try h.store.runs(hub: h.hub, limit: 100).map(\.id) == [quiet[3].id, quiet[0].id, busy.id],
                "the first quiet pass folds the ones after it away, the busy one stays")
        h.clock.advance(60)
        h.spokes[0].edit("P0") { $0.title = "edited" }
        let edit = try await h.sync()
        h.clock.advance(60)
        let after = try await h.sync()
        #expect(try h.store.runs(hub: h.hub, limit: 100).map(\.id) == [after.id, edit.id, quiet[3].id, quiet[0].id, busy.id])
    }
}
