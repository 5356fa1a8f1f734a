import Foundation
import SyncModel
import SyncStore
import Testing

@Suite("Store conformance: commit atomicity and hub isolation")
struct CommitConformanceTests {
    /// Everything observable about a hub, to compare before and after a failed commit.
    private struct Snapshot<I: SampleItem>: Equatable {
        var items: [HubRecord<I>]
        var links1: Set<RemoteID>
        var links2: Set<RemoteID>
        var journal: [ItemJournalEntry<I>]
        var intents: [ItemCreateIntent<I>]
        var state: SpokeState
        var runs: [RunRecord]
        var holds: [DeletionHold]

        init(_ s: any SyncStore, _ hub: HubID) throws {
            items = try s.items(I.self, hub: hub, changedAfter: 0, limit: .max)
            links1 = try s.linkedRemoteIDs(hub: hub, spoke: spoke1)
            links2 = try s.linkedRemoteIDs(hub: hub, spoke: spoke2)
            journal = try s.journal(I.self, hub: hub, JournalQuery(limit: 1_000))
            intents = try s.intents(I.self, hub: hub, spoke: spoke1)
            state = try s.spokeState(hub: hub, spoke: spoke1)
            runs = try s.runs(hub: hub, limit: 100)
            holds = try s.holds(hub: hub)
        }
    }

    private func seed<I: SampleItem>(_ s: any SyncStore, _ k: Kit<I>) throws {
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch { b in
            b.items = [k.item("i1", v: 1), k.item("i2", v: 2)]
            b.links = [k.link(spoke1, "i1", "r1"), k.link(spoke1, "i2", "r2")]
            b.journal = [k.entry("i1", run: nil, .spoke(spoke1), .created, t: 0, old: nil, new: k.sample("i1"))]
        })
    }

    /// A batch that writes every kind of record, then a link that steals `r1` from `i1`.
    private func violating<I: SampleItem>(_ k: Kit<I>, _ extraLinks: [ItemLink<I>]) -> ItemWriteBatch<I> {
        k.batch { b in
            b.items = [k.item("i1", v: 3, k.sample("changed")), k.item("i3", v: 4)]
            b.links = [k.link(spoke2, "i3", "x3")] + extraLinks
            b.removedLinks = [LinkKey(spoke: spoke1, item: "i2")]
            b.addedIntents = [k.intent(spoke1, "i3", 1)]
            b.journal = [k.entry("i3", run: "run", .spoke(spoke1), .created, t: 1, old: nil, new: k.sample("i3"))]
            b.spokeStates = [SpokeState(spoke: spoke1, cursor: "c", pushedThrough: 4)]
            b.runs = [RunRecord(id: "run", hub: hubA, startedAt: at(1))]
            b.holds = [DeletionHold(spoke: spoke1, detectedAt: at(1), items: ["i2"], reason: "r")]
        }
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func conflictingLinkAppliesNothing(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try conflictingLinkAppliesNothing($0, $1) } }

    private func conflictingLinkAppliesNothing<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try seed(s, k)
        let before = try Snapshot<I>(s, hubA)
        expectStoreError(.conflict) { try s.commit(hub: hubA, batch: violating(k, [k.link(spoke1, "i3", "r1")])) }
        #expect(try Snapshot<I>(s, hubA) == before)
        #expect(try s.items(I.self, hub: hubA, ids: ["i1"])["i1"]?.item == k.sample("i1"))
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).map(\.seq) == [1])
        // The store is still usable, and the sequence did not skip.
        try s.commit(hub: hubA, batch: violating(k, []))
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).map(\.seq) == [2, 1])
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r1"])
    }

    /// Two links of one batch claiming the same remote id break the (spoke, remote id) uniqueness
    /// WriteBatch documents: the whole batch is refused.
    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func duplicateRemoteIDWithinBatchConflicts(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try duplicateRemoteIDWithinBatchConflicts($0, $1) } }

    private func duplicateRemoteIDWithinBatchConflicts<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try seed(s, k)
        let before = try Snapshot<I>(s, hubA)
        expectStoreError(.conflict) {
            try s.commit(hub: hubA, batch: violating(k, [k.link(spoke1, "i3", "r9"), k.link(spoke1, "i4", "r9")]))
        }
        #expect(try Snapshot<I>(s, hubA) == before)
        let remoteIDs = try s.linkedRemoteIDs(hub: hubA, spoke: spoke1)
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == remoteIDs.count)
    }

    /// Commits from many threads at once: each is atomic and the journal sequence has no gaps
    /// or duplicates.
    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func concurrentCommits(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try concurrentCommits($0, $1) } }

    private func concurrentCommits<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        let writers = 6, commits = 15
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            for c in 0..<commits {
                let id = ItemID("w\(w)-c\(c)")
                let b = k.batch { b in
                    b.items = [k.item(id.rawValue, v: Int64(w * 1_000 + c))]
                    b.links = [k.link(spoke1, id.rawValue, "r-\(id)")]
                    b.journal = [k.entry(id, run: nil, .spoke(spoke1), .created, t: 0, old: nil, new: k.sample(id.rawValue)),
                                 k.entry(id, run: nil, .spoke(spoke1), .updated, t: 0, old: nil, new: nil)]
                }
                #expect(throws: Never.self) { try s.commit(hub: hubA, batch: b) }
                #expect(throws: Never.self) { _ = try s.liveItemCount(hub: hubA) }
            }
        }
        let total = writers * commits
        #expect(try s.liveItemCount(hub: hubA) == total)
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == total)
        let journal = try s.journal(I.self, hub: hubA, JournalQuery(limit: 10_000))
        #expect(journal.map(\.seq) == Array((1...Int64(2 * total)).reversed()))
        // A batch's entries stay adjacent: no other commit interleaves with it.
        for pair in stride(from: 0, to: journal.count, by: 2) {
            #expect(journal[pair].item == journal[pair + 1].item)
            #expect(journal[pair].kind == .updated)
        }
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func emptyBatchIsANoOp(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try emptyBatchIsANoOp($0, $1) } }

    private func emptyBatchIsANoOp<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try seed(s, k)
        let before = try Snapshot<I>(s, hubA)
        try s.commit(hub: hubA, batch: ItemWriteBatch<I>())
        #expect(try Snapshot<I>(s, hubA) == before)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func hubsAreIsolated(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try hubsAreIsolated($0, $1) } }

    private func hubsAreIsolated<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s, hubA)
        try k.makeHub(s, hubB)
        // Same item ids, remote ids, run ids and spoke ids in both hubs.
        func content(_ hub: HubID, _ name: String) -> ItemWriteBatch<I> {
            k.batch { b in
                b.items = [k.item("i1", v: 1, k.sample(name)), k.item("i2", v: 2, deleted: hub == hubB)]
                b.links = [k.link(spoke1, "i1", "r1")]
                b.journal = [k.entry("i1", hub: hub, run: "run", .spoke(spoke1), .created, t: 0, old: nil, new: k.sample(name))]
                b.runs = [RunRecord(id: "run", hub: hub, startedAt: at(0), errors: [name])]
                b.spokeStates = [SpokeState(spoke: spoke1, cursor: SpokeCursor(name))]
            }
        }
        try s.commit(hub: hubA, batch: content(hubA, "A"))
        try s.commit(hub: hubB, batch: content(hubB, "B"))
        try s.commit(hub: hubB, batch: k.batch {
            $0.journal = [k.entry("i2", hub: hubB, run: nil, .restore, .restored, t: 1, old: nil, new: nil)]
        })

        #expect(try s.items(I.self, hub: hubA, ids: ["i1"])["i1"]?.item == k.sample("A"))
        #expect(try s.items(I.self, hub: hubB, ids: ["i1"])["i1"]?.item == k.sample("B"))
        #expect(try s.liveItemCount(hub: hubA) == 2)
        #expect(try s.liveItemCount(hub: hubB) == 1)
        #expect(try s.links(I.self, hub: hubB, spoke: spoke1, remoteIDs: ["r1"])["r1"]?.item == "i1")
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).map(\.seq) == [1])  // seq is per hub
        #expect(try s.journal(I.self, hub: hubB, JournalQuery()).map(\.seq) == [2, 1])
        #expect(try s.journal(I.self, hub: hubB, JournalQuery()).allSatisfy { $0.hub == hubB })
        #expect(try s.run(hub: hubA, id: "run")?.errors == ["A"])
        #expect(try s.run(hub: hubB, id: "run")?.hub == hubB)
        #expect(try s.spokeState(hub: hubB, spoke: spoke1).cursor == "B")

        try s.deleteSpoke(spoke1, hub: hubB)
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 1)
        #expect(try s.spokes(hub: hubA).count == 2)
        #expect(try s.spokeState(hub: hubA, spoke: spoke1).cursor == "A")
    }
}
