import Foundation
import SyncModel
import SyncStore
import Testing

@Suite("Store conformance: items, links, intents")
struct ItemLinkConformanceTests {
    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func itemRoundTrip(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try itemRoundTrip($0, $1) } }

    private func itemRoundTrip<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        let full = k.item("full", v: 7, I.full, at: 42.5)
        var odd = k.item("odd", v: 8, deleted: true, I.blank, at: -1_000_000)
        let f = I.someFields
        odd.fieldTimes = ItemFieldTimes(base: at(-5), fields: [f[0]: at(3), f[1]: at(4), f[2]: at(1)])
        odd.hash = ContentHash(UInt64.max)  // the stored hash is kept as given (top bit set)
        try s.commit(hub: hubA, batch: k.batch { $0.items = [full, odd] })
        let got = try s.items(I.self, hub: hubA, ids: ["full", "odd"])
        #expect(got["full"] == full)
        #expect(got["odd"] == odd)
        #expect(got["full"]?.hash == I.full.itemHash)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func itemsByIDs(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try itemsByIDs($0, $1) } }

    private func itemsByIDs<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        // More than one IN-chunk worth of ids.
        let all = (0..<1_203).map { k.item(String(format: "i%05d", $0), v: Int64($0 + 1), deleted: $0 % 10 == 0) }
        for chunk in stride(from: 0, to: all.count, by: 400) {
            try s.commit(hub: hubA, batch: k.batch { $0.items = Array(all[chunk..<min(chunk + 400, all.count)]) })
        }
        let wanted = all.map(\.id) + ["missing", "i00001"]
        let got = try s.items(I.self, hub: hubA, ids: wanted)
        #expect(got.count == all.count)
        #expect(got == Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) }))
        #expect(try s.items(I.self, hub: hubA, ids: []).isEmpty)
        #expect(try s.items(I.self, hub: hubA, ids: ["missing"]).isEmpty)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func changedAfter(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try changedAfter($0, $1) } }

    private func changedAfter<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch {
            $0.items = [k.item("c", v: 3), k.item("a", v: 1), k.item("b", v: 2, deleted: true)]
        })
        #expect(try s.items(I.self, hub: hubA, changedAfter: 0, limit: 10).map(\.id) == ["a", "b", "c"])
        #expect(try s.items(I.self, hub: hubA, changedAfter: 1, limit: 10).map(\.id) == ["b", "c"])
        #expect(try s.items(I.self, hub: hubA, changedAfter: 0, limit: 2).map(\.id) == ["a", "b"])
        #expect(try s.items(I.self, hub: hubA, changedAfter: 3, limit: 10).isEmpty)
        #expect(try s.items(I.self, hub: hubA, changedAfter: 0, limit: 0).isEmpty)
        // An update bumps the version: the item moves to the end; a tombstone is a change too.
        try s.commit(hub: hubA, batch: k.batch {
            $0.items = [k.item("a", v: 4, k.sample("A2")), k.item("c", v: 5, deleted: true)]
        })
        let changed = try s.items(I.self, hub: hubA, changedAfter: 2, limit: 10)
        #expect(changed.map(\.id) == ["a", "c"])
        #expect(changed.map(\.version) == [4, 5])
        #expect(changed.map(\.deleted) == [false, true])
        #expect(changed[0].item == k.sample("A2"))
        #expect(try s.maxVersion(hub: hubA) == 5)
        // Paging by the last version seen walks everything once.
        var seen: [ItemID] = []
        var after: Int64 = 0
        while true {
            let page = try s.items(I.self, hub: hubA, changedAfter: after, limit: 1)
            guard let last = page.last else { break }
            seen += page.map(\.id)
            after = last.version
        }
        #expect(seen == ["b", "a", "c"])
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func liveItemsAndCounts(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try liveItemsAndCounts($0, $1) } }

    private func liveItemsAndCounts<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        #expect(try s.liveItems(I.self, hub: hubA).isEmpty)
        #expect(try s.liveItemCount(hub: hubA) == 0)
        #expect(try s.maxVersion(hub: hubA) == 0)
        try s.commit(hub: hubA, batch: k.batch {
            $0.items = [k.item("m", v: 1), k.item("b", v: 5, deleted: true), k.item("z", v: 2), k.item("a", v: 3)]
        })
        #expect(try s.liveItems(I.self, hub: hubA).map(\.id) == ["a", "m", "z"])
        #expect(try s.liveItemCount(hub: hubA) == 3)
        #expect(try s.maxVersion(hub: hubA) == 5)  // tombstones count for the version
        // Restore and delete flip membership.
        try s.commit(hub: hubA, batch: k.batch { $0.items = [k.item("b", v: 6), k.item("m", v: 7, deleted: true)] })
        #expect(try s.liveItems(I.self, hub: hubA).map(\.id) == ["a", "b", "z"])
        #expect(try s.liveItemCount(hub: hubA) == 3)
        #expect(try s.maxVersion(hub: hubA) == 7)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func linkLookups(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try linkLookups($0, $1) } }

    private func linkLookups<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        var l1 = k.link(spoke1, "i1", "r1", seen: ItemLink<I>.leavingFilterMark, version: nil)
        l1.createdByHub = true
        l1.base = I.full
        let many = (0..<1_100).map { k.link(spoke2, "i\($0)", "x\($0)", seen: Int64($0)) }
        try s.commit(hub: hubA, batch: k.batch { $0.links = [l1, k.link(spoke1, "i2", "r2")] + many })

        let byRemote = try s.links(I.self, hub: hubA, spoke: spoke1, remoteIDs: ["r1", "r2", "nope"])
        #expect(byRemote.count == 2)
        #expect(byRemote["r1"] == l1)
        #expect(byRemote["r1"]?.leavingFilter == true)
        let versions: [RemoteID: RemoteVersion?] = ["r1": nil, "r2": "etag-1"]
        #expect(try s.linkVersions(hub: hubA, spoke: spoke1, remoteIDs: ["r1", "r2", "nope"]) == versions)
        #expect(try s.linkVersions(hub: hubA, spoke: spoke2, remoteIDs: many.map(\.remoteID)).count == 1_100)
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, items: ["i1", "i9"]) == ["i1": l1])
        // Spokes are separate: spoke1's remote ids are not spoke2's.
        #expect(try s.links(I.self, hub: hubA, spoke: spoke2, remoteIDs: ["r1"]).isEmpty)
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r1", "r2"])
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 2)
        #expect(try s.linkCount(hub: hubA, spoke: spoke2) == 1_100)
        #expect(try s.linkCount(hub: hubA, spoke: "other") == 0)
        // Chunked lookups.
        let byItem = try s.links(I.self, hub: hubA, spoke: spoke2, items: many.map(\.item))
        #expect(byItem == Dictionary(uniqueKeysWithValues: many.map { ($0.item, $0) }))
        let byRemoteMany = try s.links(I.self, hub: hubA, spoke: spoke2, remoteIDs: many.map(\.remoteID))
        #expect(byRemoteMany.count == 1_100)
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke2).count == 1_100)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func linkUpsertReplaces(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try linkUpsertReplaces($0, $1) } }

    private func linkUpsertReplaces<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch { $0.links = [k.link(spoke1, "i1", "r1")] })
        // Same (spoke, item), new remote id: the old remote id is released.
        var moved = k.link(spoke1, "i1", "r9", seen: 5, version: "etag-9")
        moved.createdByHub = true
        try s.commit(hub: hubA, batch: k.batch { $0.links = [moved] })
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 1)
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, items: ["i1"]) == ["i1": moved])
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, remoteIDs: ["r1"]).isEmpty)
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r9"])
        // ... and may be taken by another item.
        try s.commit(hub: hubA, batch: k.batch { $0.links = [k.link(spoke1, "i2", "r1")] })
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, remoteIDs: ["r1"])["r1"]?.item == "i2")
        // Re-upserting a link with its own remote id is no conflict.
        try s.commit(hub: hubA, batch: k.batch { $0.links = [k.link(spoke1, "i2", "r1", seen: 8)] })
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, items: ["i2"])["i2"]?.hubVersionSeen == 8)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func removedLinks(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try removedLinks($0, $1) } }

    private func removedLinks<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch {
            $0.links = [k.link(spoke1, "i1", "r1"), k.link(spoke1, "i2", "r2"), k.link(spoke2, "i1", "r1")]
        })
        try s.commit(hub: hubA, batch: k.batch {
            $0.removedLinks = [LinkKey(spoke: spoke1, item: "i1"), LinkKey(spoke: spoke1, item: "absent")]
        })
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r2"])
        #expect(try s.linkCount(hub: hubA, spoke: spoke2) == 1)  // same item in another spoke stays
        // Removing a link frees its remote id within the same batch (a re-match).
        try s.commit(hub: hubA, batch: k.batch {
            $0.removedLinks = [LinkKey(spoke: spoke1, item: "i2")]
            $0.links = [k.link(spoke1, "i3", "r2")]
        })
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, remoteIDs: ["r2"])["r2"]?.item == "i3")
        #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 1)
        // Removed and upserted in one batch: the upsert wins (removals apply first).
        try s.commit(hub: hubA, batch: k.batch {
            $0.removedLinks = [LinkKey(spoke: spoke1, item: "i3")]
            $0.links = [k.link(spoke1, "i3", "r3")]
        })
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r3"])
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func intentsAddRemove(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try intentsAddRemove($0, $1) } }

    private func intentsAddRemove<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        let intent = { (spoke: SpokeID, i: ItemID, t: Double) in k.intent(spoke, i, t) }
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke1).isEmpty)
        let c = k.intent(spoke1, "c", 1, base: I.full)
        // A marker is stored as its parts: a hub id with a colon survives.
        let odd = ItemCreateIntent<I>(spoke: spoke1, item: "a", marker: CreateMarker(hub: "hub:with:colons", item: "a:b"),
                                      base: I.blank, startedAt: at(2))
        try s.commit(hub: hubA, batch: k.batch {
            $0.addedIntents = [c, odd, intent(spoke1, "b", 3), intent(spoke2, "a", 4)]
        })
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke1) == [odd, intent(spoke1, "b", 3), c])
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke2) == [intent(spoke2, "a", 4)])
        // Re-adding replaces; removal only touches its (spoke, item).
        try s.commit(hub: hubA, batch: k.batch {
            $0.addedIntents = [intent(spoke1, "b", 9)]
            $0.removedIntents = [LinkKey(spoke: spoke1, item: "a"), LinkKey(spoke: spoke1, item: "zz")]
        })
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke1) == [intent(spoke1, "b", 9), c])
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke2).count == 1)
        // Removed and added in one batch: the add wins (removals apply first).
        try s.commit(hub: hubA, batch: k.batch {
            $0.removedIntents = [LinkKey(spoke: spoke1, item: "c")]
            $0.addedIntents = [intent(spoke1, "c", 10)]
        })
        #expect(try s.intents(I.self, hub: hubA, spoke: spoke1).map(\.startedAt) == [at(9), at(10)])
    }
}
