import Foundation
import SyncModel
import SyncStore
import Testing

@Suite("Store conformance: spoke state, runs, journal, holds")
struct HistoryConformanceTests {
    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func spokeStateRoundTrip(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try spokeStateRoundTrip($0, $1) } }

    private func spokeStateRoundTrip<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        #expect(try s.spokeState(hub: hubA, spoke: spoke1) == SpokeState(spoke: spoke1))
        var stats = SpokeRunStats()
        (stats.pulled, stats.hubCreated, stats.hubUpdated, stats.hubDeleted) = (1, 2, 3, 4)
        (stats.matched, stats.conflicts, stats.pushedCreates, stats.pushedUpdates) = (5, 6, 7, 8)
        (stats.pushedDeletes, stats.itemErrors, stats.heldDeletions) = (9, 10, 11)
        let full = SpokeState(spoke: spoke1, cursor: "sync-token:42", pushedThrough: 1_234_567_890_123,
                              lastSyncAt: at(3.25), lastError: "HTTP 503: try later", lastStats: stats,
                              resumePage: "F|page-3|")
        try s.commit(hub: hubA, batch: k.batch { $0.spokeStates = [full, SpokeState(spoke: spoke2, pushedThrough: 1)] })
        #expect(try s.spokeState(hub: hubA, spoke: spoke1) == full)
        #expect(try s.spokeState(hub: hubA, spoke: spoke2) == SpokeState(spoke: spoke2, pushedThrough: 1))
        // Saving again replaces every field, including clearing optionals.
        let cleared = SpokeState(spoke: spoke1, pushedThrough: 7)
        try s.commit(hub: hubA, batch: k.batch { $0.spokeStates = [cleared] })
        #expect(try s.spokeState(hub: hubA, spoke: spoke1) == cleared)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func runsNewestFirst(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try runsNewestFirst($0, $1) } }

    private func runsNewestFirst<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        #expect(try s.runs(hub: hubA, limit: 10).isEmpty)
        var stats = SpokeRunStats()
        stats.pulled = 3
        stats.conflicts = 1
        let r1 = RunRecord(id: "r1", hub: hubA, startedAt: at(10), finishedAt: at(12), status: .succeeded,
                           stats: [spoke1: stats, spoke2: SpokeRunStats()], errors: [])
        let r2 = RunRecord(id: "r2", hub: hubA, startedAt: at(20), status: .running)
        let r3a = RunRecord(id: "r3a", hub: hubA, startedAt: at(30), finishedAt: at(31), status: .failed,
                            errors: ["spoke-1: auth failed", "ünïcødé \"quoted\""])
        // Same start as r3a: the id breaks the tie.
        let r3b = RunRecord(id: "r3b", hub: hubA, startedAt: at(30), status: .partial)
        try s.commit(hub: hubA, batch: k.batch { $0.runs = [r2, r3a, r1, r3b] })
        #expect(try s.runs(hub: hubA, limit: 10) == [r3b, r3a, r2, r1])
        #expect(try s.latestRuns() == [hubA: r3b], "the newest of each hub that ran")
        #expect(try s.runs(hub: hubA, limit: 2) == [r3b, r3a])
        #expect(try s.runs(hub: hubA, limit: 0).isEmpty)
        #expect(try s.run(hub: hubA, id: "r1") == r1)
        #expect(try s.run(hub: hubA, id: "nope") == nil)
        // A run is saved at start and again when it finishes: the second save replaces it.
        var done = r2
        done.finishedAt = at(25)
        done.status = .partial
        done.stats = [spoke2: stats]
        done.errors = ["one"]
        try s.commit(hub: hubA, batch: k.batch { $0.runs = [done] })
        #expect(try s.run(hub: hubA, id: "r2") == done)
        #expect(try s.runs(hub: hubA, limit: 10).count == 4)
    }

    /// Retention: old entries and finished runs go; the newest entry stays so sequence numbers
    /// keep growing; running runs stay.
    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func pruneOldHistory(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try pruneOldHistory($0, $1) } }

    private func pruneOldHistory<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch {
            $0.journal = (1...4).map { k.entry(ItemID("i\($0)"), run: "r", .spoke(spoke1), .created, t: Double($0), old: nil, new: k.sample("p")) }
            $0.runs = [
                RunRecord(id: "old", hub: hubA, startedAt: at(1), finishedAt: at(2), status: .succeeded),
                RunRecord(id: "stuck", hub: hubA, startedAt: at(1)),
                RunRecord(id: "new", hub: hubA, startedAt: at(9), finishedAt: at(10), status: .partial),
            ]
        })
        try s.commit(hub: hubA, batch: k.batch { $0.pruneBefore = at(3) })
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).map(\.seq) == [4, 3])
        #expect(Set(try s.runs(hub: hubA, limit: 10).map(\.id)) == ["stuck", "new"])
        // Everything is older than this cut, yet the newest entry stays, and numbering goes on.
        try s.commit(hub: hubA, batch: k.batch { $0.pruneBefore = at(100) })
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).map(\.seq) == [4])
        try s.commit(hub: hubA, batch: k.batch { $0.journal = [k.entry("i5", run: nil, .restore, .restored, t: 101, old: nil, new: nil)] })
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).map(\.seq) == [5, 4])
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func journal(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try journal($0, $1) } }

    private func journal<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).isEmpty)
        let conflicts = I.someFields
        let first = [
            k.entry("i1", run: "run1", .spoke(spoke1), .created, t: 1, old: nil, new: I.full),
            k.entry("i2", run: "run1", .spoke(spoke2), .created, t: 2, old: nil, new: k.sample("b")),
            k.entry("i1", run: "run1", .spoke(spoke2), .updated, t: 3, old: I.full, new: k.sample("a"),
                  conflicts: conflicts),
        ]
        try s.commit(hub: hubA, batch: k.batch { $0.journal = first })
        let second = [
            k.entry("i2", run: "run2", .approval(spoke1), .deleted, t: 4, old: k.sample("b"), new: nil),
            k.entry("i2", run: nil, .restore, .restored, t: 5, old: nil, new: k.sample("b")),
            k.entry("i3", run: "run2", .spoke(spoke1), .updated, t: 6, old: nil, new: nil),
        ]
        try s.commit(hub: hubA, batch: k.batch { $0.journal = second })

        let all = try s.journal(I.self, hub: hubA, JournalQuery())
        #expect(all.map(\.seq) == [6, 5, 4, 3, 2, 1])  // store-assigned, increasing, newest first
        var expected = first + second
        for i in expected.indices { expected[i].seq = Int64(i + 1) }
        #expect(all == expected.reversed())  // every field round-trips, incl. sources and nil old/new
        #expect(all[3].conflicts == conflicts)

        #expect(try s.journal(I.self, hub: hubA, JournalQuery(limit: 2)).map(\.seq) == [6, 5])
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(limit: 0)).isEmpty)
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(item: "i2")).map(\.seq) == [5, 4, 2])
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(run: "run1")).map(\.seq) == [3, 2, 1])
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(run: "run2")).map(\.seq) == [6, 4])  // nil run excluded
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(before: 4)).map(\.seq) == [3, 2, 1])
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(item: "i2", before: 5, limit: 1)).map(\.seq) == [4])
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(item: "i1", run: "run1", before: 3)).map(\.seq) == [1])
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(item: "nope")).isEmpty)
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(before: 1)).isEmpty)
        // Paging backwards with `before` visits every entry once.
        var seqs: [Int64] = []
        var before: Int64? = nil
        while true {
            let page = try s.journal(I.self, hub: hubA, JournalQuery(before: before, limit: 4))
            guard let last = page.last else { break }
            seqs += page.map(\.seq)
            before = last.seq
        }
        #expect(seqs == [6, 5, 4, 3, 2, 1])
        // The seq given in the batch is ignored: the store assigns it.
        var given = k.entry("i9", run: nil, .restore, .restored, t: 7, old: nil, new: nil)
        given.seq = 1_000
        try s.commit(hub: hubA, batch: k.batch { $0.journal = [given] })
        #expect(try s.journal(I.self, hub: hubA, JournalQuery(limit: 1)).first?.seq == 7)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func holdsReplaceAndRemove(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try holdsReplaceAndRemove($0, $1) } }

    private func holdsReplaceAndRemove<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        #expect(try s.holds(hub: hubA).isEmpty)
        let h2 = DeletionHold(
            spoke: spoke2, detectedAt: at(1), items: ["i3", "i1", "i2"], reason: "40% of linked items")
        let h1 = DeletionHold(spoke: spoke1, detectedAt: at(2), items: [], reason: "empty listing")
        try s.commit(hub: hubA, batch: k.batch { $0.holds = [h2, h1] })
        #expect(try s.holds(hub: hubA) == [h1, h2])  // by spoke; item order kept
        let h1b = DeletionHold(spoke: spoke1, detectedAt: at(3), items: ["x"], reason: "again")
        try s.commit(hub: hubA, batch: k.batch { $0.holds = [h1b] })
        #expect(try s.holds(hub: hubA) == [h1b, h2])
        try s.commit(hub: hubA, batch: k.batch { $0.removedHolds = [spoke2, "unknown"] })
        #expect(try s.holds(hub: hubA) == [h1b])
        // Removed and replaced in one batch: the new hold stays (removals apply first).
        try s.commit(hub: hubA, batch: k.batch {
            $0.removedHolds = [spoke1]
            $0.holds = [h1]
        })
        #expect(try s.holds(hub: hubA) == [h1])
    }
}
