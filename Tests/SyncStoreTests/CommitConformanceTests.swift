import Foundation
import SyncModel
import SyncStore
import Testing

@Suite("Store conformance: commit atomicity and hub isolation")
struct CommitConformanceTests {
    /// Everything observable about a hub, to compare before and after a failed commit.
    private struct Snapshot: Equatable {
        var items: [HubItem]
        var links1: Set<RemoteID>
        var links2: Set<RemoteID>
        var journal: [JournalEntry]
        var intents: [CreateIntent]
        var state: SpokeState
        var runs: [RunRecord]
        var holds: [DeletionHold]

        init(_ s: any SyncStore, _ hub: HubID) throws {
            items = try s.items(hub: hub, changedAfter: 0, limit: .max)
            links1 = try s.linkedRemoteIDs(hub: hub, spoke: spoke1)
            links2 = try s.linkedRemoteIDs(hub: hub, spoke: spoke2)
            journal = try s.journal(hub: hub, JournalQuery(limit: 1_000))
            intents = try s.intents(hub: hub, spoke: spoke1)
            state = try s.spokeState(hub: hub, spoke: spoke1)
            runs = try s.runs(hub: hub, limit: 100)
            holds = try s.holds(hub: hub)
        }
    }

    private func seed(_ s: any SyncStore) throws {
        try makeHub(s)
        try s.commit(hub: hubA, batch { b in
            b.items = [item("i1", v: 1), item("i2", v: 2)]
            b.links = [link(spoke1, "i1", "r1"), link(spoke1, "i2", "r2")]
            b.journal = [JournalEntry(hub: hubA, run: nil, item: "i1", source: .spoke(spoke1), at: at(0),
                                      kind: .created, old: nil, new: person("i1"))]
        })
    }

    /// A batch that writes every kind of record, then a link that steals `r1` from `i1`.
    private func violating(_ extraLinks: [Link]) -> WriteBatch {
        batch { b in
            b.items = [item("i1", v: 3, contact: person("changed")), item("i3", v: 4)]
            b.links = [link(spoke2, "i3", "x3")] + extraLinks
            b.removedLinks = [LinkKey(spoke: spoke1, item: "i2")]
            b.addedIntents = [CreateIntent(spoke: spoke1, item: "i3", marker: CreateMarker(hub: hubA, item: "i3"),
                                           base: person("i3"), startedAt: at(1))]
            b.journal = [JournalEntry(hub: hubA, run: "run", item: "i3", source: .spoke(spoke1), at: at(1),
                                      kind: .created, old: nil, new: person("i3"))]
            b.spokeStates = [SpokeState(spoke: spoke1, cursor: "c", pushedThrough: 4)]
            b.runs = [RunRecord(id: "run", hub: hubA, startedAt: at(1))]
            b.holds = [DeletionHold(spoke: spoke1, detectedAt: at(1), items: ["i2"], reason: "r")]
        }
    }

    @Test(arguments: StoreKind.allCases)
    func conflictingLinkAppliesNothing(kind: StoreKind) throws {
        try kind.with { s in
            try seed(s)
            let before = try Snapshot(s, hubA)
            expectStoreError(.conflict) { try s.commit(hub: hubA, violating([link(spoke1, "i3", "r1")])) }
            #expect(try Snapshot(s, hubA) == before)
            #expect(try s.items(hub: hubA, ids: ["i1"])["i1"]?.contact == person("i1"))
            #expect(try s.journal(hub: hubA, JournalQuery()).map(\.seq) == [1])
            // The store is still usable, and the sequence did not skip.
            try s.commit(hub: hubA, violating([]))
            #expect(try s.journal(hub: hubA, JournalQuery()).map(\.seq) == [2, 1])
            #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r1"])
        }
    }

    /// Two links of one batch claiming the same remote id break the (spoke, remote id) uniqueness
    /// WriteBatch documents: the whole batch is refused.
    @Test(arguments: StoreKind.allCases)
    func duplicateRemoteIDWithinBatchConflicts(kind: StoreKind) throws {
        try kind.with { s in
            try seed(s)
            let before = try Snapshot(s, hubA)
            expectStoreError(.conflict) {
                try s.commit(hub: hubA, violating([link(spoke1, "i3", "r9"), link(spoke1, "i4", "r9")]))
            }
            #expect(try Snapshot(s, hubA) == before)
            let remoteIDs = try s.linkedRemoteIDs(hub: hubA, spoke: spoke1)
            #expect(try s.linkCount(hub: hubA, spoke: spoke1) == remoteIDs.count)
        }
    }

    /// Commits from many threads at once: each is atomic and the journal sequence has no gaps
    /// or duplicates.
    @Test(arguments: StoreKind.allCases)
    func concurrentCommits(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            let writers = 6, commits = 15
            DispatchQueue.concurrentPerform(iterations: writers) { w in
                for c in 0..<commits {
                    let id = ItemID("w\(w)-c\(c)")
                    let b = batch { b in
                        b.items = [HubItem(id: id, contact: person(id.rawValue), version: Int64(w * 1_000 + c),
                                           modifiedAt: at(0))]
                        b.links = [link(spoke1, id.rawValue, "r-\(id)")]
                        b.journal = [JournalEntry(hub: hubA, run: nil, item: id, source: .spoke(spoke1), at: at(0),
                                                  kind: .created, old: nil, new: person(id.rawValue)),
                                     JournalEntry(hub: hubA, run: nil, item: id, source: .spoke(spoke1), at: at(0),
                                                  kind: .updated, old: nil, new: nil)]
                    }
                    #expect(throws: Never.self) { try s.commit(hub: hubA, b) }
                    #expect(throws: Never.self) { _ = try s.liveItemCount(hub: hubA) }
                }
            }
            let total = writers * commits
            #expect(try s.liveItemCount(hub: hubA) == total)
            #expect(try s.linkCount(hub: hubA, spoke: spoke1) == total)
            let journal = try s.journal(hub: hubA, JournalQuery(limit: 10_000))
            #expect(journal.map(\.seq) == Array((1...Int64(2 * total)).reversed()))
            // A batch's entries stay adjacent: no other commit interleaves with it.
            for pair in stride(from: 0, to: journal.count, by: 2) {
                #expect(journal[pair].item == journal[pair + 1].item)
                #expect(journal[pair].kind == .updated)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func emptyBatchIsANoOp(kind: StoreKind) throws {
        try kind.with { s in
            try seed(s)
            let before = try Snapshot(s, hubA)
            try s.commit(hub: hubA, WriteBatch())
            #expect(try Snapshot(s, hubA) == before)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func hubsAreIsolated(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s, hubA)
            try makeHub(s, hubB)
            // Same item ids, remote ids, run ids and spoke ids in both hubs.
            func content(_ hub: HubID, _ name: String) -> WriteBatch {
                batch { b in
                    b.items = [item("i1", v: 1, contact: person(name)), item("i2", v: 2, deleted: hub == hubB)]
                    b.links = [link(spoke1, "i1", "r1")]
                    b.journal = [JournalEntry(hub: hub, run: "run", item: "i1", source: .spoke(spoke1), at: at(0),
                                              kind: .created, old: nil, new: person(name))]
                    b.runs = [RunRecord(id: "run", hub: hub, startedAt: at(0), errors: [name])]
                    b.spokeStates = [SpokeState(spoke: spoke1, cursor: SpokeCursor(name))]
                }
            }
            try s.commit(hub: hubA, content(hubA, "A"))
            try s.commit(hub: hubB, content(hubB, "B"))
            try s.commit(hub: hubB, batch {
                $0.journal = [JournalEntry(hub: hubB, run: nil, item: "i2", source: .restore, at: at(1),
                                           kind: .restored, old: nil, new: nil)]
            })

            #expect(try s.items(hub: hubA, ids: ["i1"])["i1"]?.contact == person("A"))
            #expect(try s.items(hub: hubB, ids: ["i1"])["i1"]?.contact == person("B"))
            #expect(try s.liveItemCount(hub: hubA) == 2)
            #expect(try s.liveItemCount(hub: hubB) == 1)
            #expect(try s.links(hub: hubB, spoke: spoke1, remoteIDs: ["r1"])["r1"]?.item == "i1")
            #expect(try s.journal(hub: hubA, JournalQuery()).map(\.seq) == [1])  // seq is per hub
            #expect(try s.journal(hub: hubB, JournalQuery()).map(\.seq) == [2, 1])
            #expect(try s.journal(hub: hubB, JournalQuery()).allSatisfy { $0.hub == hubB })
            #expect(try s.run(hub: hubA, id: "run")?.errors == ["A"])
            #expect(try s.run(hub: hubB, id: "run")?.hub == hubB)
            #expect(try s.spokeState(hub: hubB, spoke: spoke1).cursor == "B")

            try s.deleteSpoke(spoke1, hub: hubB)
            #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 1)
            #expect(try s.spokes(hub: hubA).count == 2)
            #expect(try s.spokeState(hub: hubA, spoke: spoke1).cursor == "A")
        }
    }
}
