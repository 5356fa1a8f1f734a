import Foundation
import SyncModel
import SyncStore
import Testing

@Suite("Store conformance: hubs and spokes")
struct ConfigConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func hubCRUD(kind: StoreKind) throws {
        try kind.with { s in
            #expect(try s.hubs().isEmpty)
            let b = HubConfig(
                id: hubB, name: "B", deletionGuard: DeletionGuard(percent: 5, minimum: 2), scheduleMinutes: 15)
            try s.saveHub(b)
            try s.saveHub(HubConfig(id: hubA, name: "A"))
            #expect(try s.hubs().map(\.id) == [hubA, hubB])
            #expect(try s.hub(hubB) == b)
            #expect(try s.hub("nope") == nil)

            var renamed = b
            renamed.name = "B2"
            renamed.scheduleMinutes = nil
            try s.saveHub(renamed)
            #expect(try s.hub(hubB) == renamed)
            #expect(try s.hubs().count == 2)

            try s.deleteHub(hubA)
            #expect(try s.hubs() == [renamed])
            try s.deleteHub("nope")  // unknown hub: no-op
        }
    }

    /// A hub's object kind is kept; a hub saved without one holds contacts.
    @Test(arguments: StoreKind.allCases)
    func hubObjectKind(kind: StoreKind) throws {
        try kind.with { s in
            try s.saveHub(HubConfig(id: hubA, name: "Team", objectKind: .calendar))
            try s.saveHub(HubConfig(id: hubB, name: "People"))
            #expect(try s.hub(hubA)?.objectKind == .calendar)
            #expect(try s.hubs().map(\.objectKind) == [.calendar, .contacts])
            // JSON written before kinds has no objectKind: it reads as contacts.
            let old = #"{"id":"h","name":"Old","deletionGuard":{"percent":20,"minimum":5}}"#
            #expect(try JSONDecoder().decode(HubConfig.self, from: Data(old.utf8)).objectKind == .contacts)
        }
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func resavingAHubKeepsItsData(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try resavingAHubKeepsItsData($0, $1) } }

    private func resavingAHubKeepsItsData<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch { $0.items = [k.item("i1", v: 1)] })
        try s.saveHub(HubConfig(id: hubA, name: "renamed", objectKind: I.objectKind))
        #expect(try s.items(I.self, hub: hubA, ids: ["i1"]).count == 1)
        #expect(try s.spokes(hub: hubA).count == 2)
    }

    @Test(arguments: StoreKind.allCases)
    func unknownHub(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            let x: HubID = "missing"
            expectStoreError(.notFound) { _ = try s.spokes(hub: x) }
            expectStoreError(.notFound) {
                try s.saveSpoke(SpokeConfig(id: spoke1, hub: x, name: "s", kind: .memory, position: 0))
            }
            expectStoreError(.notFound) { _ = try s.items(hub: x, ids: ["i"]) }
            expectStoreError(.notFound) { _ = try s.items(hub: x, changedAfter: 0, limit: 10) }
            expectStoreError(.notFound) { _ = try s.liveItems(hub: x) }
            expectStoreError(.notFound) { _ = try s.liveItemCount(hub: x) }
            expectStoreError(.notFound) { _ = try s.maxVersion(hub: x) }
            expectStoreError(.notFound) { _ = try s.links(hub: x, spoke: spoke1, remoteIDs: ["r"]) }
            expectStoreError(.notFound) { _ = try s.links(hub: x, spoke: spoke1, items: ["i"]) }
            expectStoreError(.notFound) { _ = try s.linkedRemoteIDs(hub: x, spoke: spoke1) }
            expectStoreError(.notFound) { _ = try s.linkCount(hub: x, spoke: spoke1) }
            expectStoreError(.notFound) { _ = try s.intents(hub: x, spoke: spoke1) }
            expectStoreError(.notFound) { _ = try s.spokeState(hub: x, spoke: spoke1) }
            expectStoreError(.notFound) { _ = try s.runs(hub: x, limit: 10) }
            expectStoreError(.notFound) { _ = try s.run(hub: x, id: "r") }
            expectStoreError(.notFound) { _ = try s.journal(hub: x, JournalQuery()) }
            expectStoreError(.notFound) { _ = try s.holds(hub: x) }
            expectStoreError(.notFound) { try s.commit(hub: x, WriteBatch()) }
            expectStoreError(.notFound) { try s.commit(hub: x, batch { $0.items = [item("i", v: 1)] }) }
            try s.deleteSpoke(spoke1, hub: x)  // no-op
            // The known hub answers empty, not notFound.
            #expect(try s.items(hub: hubA, ids: ["i"]).isEmpty)
            #expect(try s.maxVersion(hub: hubA) == 0)
            #expect(try s.liveItemCount(hub: hubA) == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func spokesOrderedByPosition(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s, spokes: [])
            #expect(try s.spokes(hub: hubA).isEmpty)
            let options = SpokeOptions(
                twoWay: false, categorizeAs: "From Hub",
                filter: SpokeFilter(categories: ["VIP"], companies: ["ACME"], emailDomains: ["example.com"],
                                    requireEmail: true, requirePhone: true),
                fieldMappings: [FieldMapping(spokeField: .custom("Region"), hubField: "region"),
                                FieldMapping(spokeField: .text(.nickname), hubField: "nick")])
            let c = SpokeConfig(id: "c", hub: hubA, name: "C", kind: .carddav, position: 2, options: options,
                                settings: ["url": "https://dav.example/", "user": "ada"])
            let a = SpokeConfig(id: "a", hub: hubA, name: "A", kind: .ews, position: 1)
            let b = SpokeConfig(id: "b", hub: hubA, name: "B", kind: .google, position: 1)  // ties break by id
            let z = SpokeConfig(id: "z", hub: hubA, name: "Z", kind: .graph, position: 0)
            for sp in [c, b, z, a] { try s.saveSpoke(sp) }
            #expect(try s.spokes(hub: hubA) == [z, a, b, c])

            var moved = z
            moved.position = 9
            moved.name = "Z moved"
            try s.saveSpoke(moved)
            #expect(try s.spokes(hub: hubA) == [a, b, c, moved])
        }
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func deleteHubCascades(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try deleteHubCascades($0, $1) } }

    private func deleteHubCascades<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s, hubA)
        try k.makeHub(s, hubB)
        let full = k.batch { b in
            b.items = [k.item("i1", v: 1), k.item("i2", v: 2)]
            b.links = [k.link(spoke1, "i1", "r1")]
            b.addedIntents = [k.intent(spoke2, "i2", 1)]
            b.spokeStates = [SpokeState(spoke: spoke1, pushedThrough: 2)]
            b.runs = [RunRecord(id: "run1", hub: hubA, startedAt: at(0))]
            b.journal = [k.entry("i1", run: "run1", .spoke(spoke1), .created, t: 0, old: nil, new: k.sample("i1"))]
            b.holds = [DeletionHold(spoke: spoke1, detectedAt: at(2), items: ["i1"], reason: "many")]
        }
        try s.commit(hub: hubA, batch: full)
        var fullB = full
        fullB.journal[0].hub = hubB
        fullB.runs[0].hub = hubB
        try s.commit(hub: hubB, batch: fullB)

        try s.deleteHub(hubA)
        #expect(try s.hub(hubA) == nil)
        expectStoreError(.notFound) { _ = try s.liveItems(I.self, hub: hubA) }

        // Recreated, the hub starts empty: nothing of the old one survives.
        try s.saveHub(HubConfig(id: hubA, name: "again", objectKind: I.objectKind))
        #expect(try s.spokes(hub: hubA).isEmpty)
        #expect(try s.liveItems(I.self, hub: hubA).isEmpty)
        #expect(try s.maxVersion(hub: hubA) == 0)
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 0)
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1).isEmpty)
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke2).isEmpty)
        #expect(try s.spokeState(hub: hubA, spoke: spoke1) == SpokeState(spoke: spoke1))
        #expect(try s.runs(hub: hubA, limit: 10).isEmpty)
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).isEmpty)
        #expect(try s.holds(hub: hubA).isEmpty)
        // The journal sequence restarts with the hub.
        try s.commit(hub: hubA, batch: k.batch { $0.journal = full.journal })
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).map(\.seq) == [1])

        // The other hub is untouched.
        #expect(try s.liveItemCount(hub: hubB) == 2)
        #expect(try s.linkCount(hub: hubB, spoke: spoke1) == 1)
        #expect(try s.intents(I.self, hub: hubB, spoke: spoke2).count == 1)
        #expect(try s.holds(hub: hubB).count == 1)
        #expect(try s.journal(I.self, hub: hubB, JournalQuery()).count == 1)
        #expect(try s.runs(hub: hubB, limit: 5).count == 1)
        #expect(try s.spokes(hub: hubB).count == 2)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func deleteSpokeKeepsItems(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try deleteSpokeKeepsItems($0, $1) } }

    private func deleteSpokeKeepsItems<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch { b in
            b.items = [k.item("i1", v: 1), k.item("i2", v: 2)]
            b.links = [k.link(spoke1, "i1", "r1"), k.link(spoke1, "i2", "r2"), k.link(spoke2, "i1", "x1")]
            b.addedIntents = [
                k.intent(spoke1, "i3", 0),
                k.intent(spoke2, "i3", 0),
            ]
            b.spokeStates = [SpokeState(spoke: spoke1, cursor: "c1", pushedThrough: 2),
                             SpokeState(spoke: spoke2, cursor: "c2", pushedThrough: 1)]
            b.holds = [DeletionHold(spoke: spoke1, detectedAt: at(0), items: ["i1"], reason: "r"),
                       DeletionHold(spoke: spoke2, detectedAt: at(0), items: ["i2"], reason: "r")]
            b.runs = [RunRecord(id: "run", hub: hubA, startedAt: at(0))]
            b.journal = [k.entry("i1", run: "run", .spoke(spoke1), .created, t: 0, old: nil, new: k.sample("i1"))]
        })
        try s.deleteSpoke(spoke1, hub: hubA)

        #expect(try s.spokes(hub: hubA).map(\.id) == [spoke2])
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 0)
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, items: ["i1", "i2"]).isEmpty)
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, remoteIDs: ["r1"]).isEmpty)
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1).isEmpty)
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke1).isEmpty)
        #expect(try s.spokeState(hub: hubA, spoke: spoke1) == SpokeState(spoke: spoke1))
        #expect(try s.holds(hub: hubA).map(\.spoke) == [spoke2])
        // Items, history and the other spoke stay.
        #expect(try s.liveItems(I.self, hub: hubA).map(\.id) == ["i1", "i2"])
        #expect(try s.journal(I.self, hub: hubA, JournalQuery()).count == 1)
        #expect(try s.runs(hub: hubA, limit: 1).count == 1)
        #expect(try s.linkCount(hub: hubA, spoke: spoke2) == 1)
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke2).count == 1)
        #expect(try s.spokeState(hub: hubA, spoke: spoke2).cursor == "c2")
        // The freed remote ids can be linked again.
        try s.commit(hub: hubA, batch: k.batch { $0.links = [k.link(spoke1, "i2", "r1")] })
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 1)
    }
}

/// A batch without items (a spoke's state, a run, a hold) is the same for every kind: a
/// calendar hub takes it typed as contacts, and one carrying contacts is still refused.
@Suite("Store conformance: kind-neutral batches")
struct KindNeutralBatchTests {
    @Test(arguments: StoreKind.allCases)
    func aBatchWithoutItemsCommitsToAHubOfAnyKind(kind: StoreKind) throws {
        try kind.with { s in
            try s.saveHub(HubConfig(id: hubA, name: "Team", objectKind: .calendar))
            try s.saveSpoke(SpokeConfig(id: spoke1, hub: hubA, name: "Office", kind: .memory, position: 0))
            var state = SpokeState(spoke: spoke1)
            state.pushedThrough = 7
            var neutral = ItemWriteBatch<Contact>()
            neutral.spokeStates = [state]
            try s.commit(hub: hubA, batch: neutral)
            #expect(try s.spokeState(hub: hubA, spoke: spoke1).pushedThrough == 7)

            var carrying = ItemWriteBatch<Contact>()
            carrying.items = [item("i1", v: 1)]
            #expect(throws: StoreError.self) { try s.commit(hub: hubA, batch: carrying) }
            #expect(try s.liveItemCount(hub: hubA) == 0)
        }
    }
}
