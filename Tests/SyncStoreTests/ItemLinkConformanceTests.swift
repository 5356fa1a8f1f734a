import Foundation
import SyncModel
import SyncStore
import Testing

@Suite("Store conformance: items, links, intents")
struct ItemLinkConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func itemRoundTrip(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            let full = item("full", v: 7, contact: fullContact, at: 42.5)
            var odd = item("odd", v: 8, deleted: true, contact: Contact(), at: -1_000_000)
            odd.fieldTimes = FieldTimes(base: at(-5), fields: [.text(.title): at(3), .custom("X-A"): at(4), .emails: at(1)])
            odd.hash = ContentHash(UInt64.max)  // the stored hash is kept as given (top bit set)
            try s.commit(hub: hubA, batch { $0.items = [full, odd] })
            let got = try s.items(hub: hubA, ids: ["full", "odd"])
            #expect(got["full"] == full)
            #expect(got["odd"] == odd)
            #expect(got["full"]?.hash == fullContact.rawContentHash)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func itemsByIDs(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            // More than one IN-chunk worth of ids.
            let all = (0..<1_203).map { item(String(format: "i%05d", $0), v: Int64($0 + 1), deleted: $0 % 10 == 0) }
            for chunk in stride(from: 0, to: all.count, by: 400) {
                try s.commit(hub: hubA, batch { $0.items = Array(all[chunk..<min(chunk + 400, all.count)]) })
            }
            let wanted = all.map(\.id) + ["missing", "i00001"]
            let got = try s.items(hub: hubA, ids: wanted)
            #expect(got.count == all.count)
            #expect(got == Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) }))
            #expect(try s.items(hub: hubA, ids: []).isEmpty)
            #expect(try s.items(hub: hubA, ids: ["missing"]).isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func changedAfter(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            try s.commit(hub: hubA, batch {
                $0.items = [item("c", v: 3), item("a", v: 1), item("b", v: 2, deleted: true)]
            })
            #expect(try s.items(hub: hubA, changedAfter: 0, limit: 10).map(\.id) == ["a", "b", "c"])
            #expect(try s.items(hub: hubA, changedAfter: 1, limit: 10).map(\.id) == ["b", "c"])
            #expect(try s.items(hub: hubA, changedAfter: 0, limit: 2).map(\.id) == ["a", "b"])
            #expect(try s.items(hub: hubA, changedAfter: 3, limit: 10).isEmpty)
            #expect(try s.items(hub: hubA, changedAfter: 0, limit: 0).isEmpty)
            // An update bumps the version: the item moves to the end; a tombstone is a change too.
            try s.commit(hub: hubA, batch {
                $0.items = [item("a", v: 4, contact: person("A2")), item("c", v: 5, deleted: true)]
            })
            let changed = try s.items(hub: hubA, changedAfter: 2, limit: 10)
            #expect(changed.map(\.id) == ["a", "c"])
            #expect(changed.map(\.version) == [4, 5])
            #expect(changed.map(\.deleted) == [false, true])
            #expect(changed[0].contact == person("A2"))
            #expect(try s.maxVersion(hub: hubA) == 5)
            // Paging by the last version seen walks everything once.
            var seen: [ItemID] = []
            var after: Int64 = 0
            while true {
                let page = try s.items(hub: hubA, changedAfter: after, limit: 1)
                guard let last = page.last else { break }
                seen += page.map(\.id)
                after = last.version
            }
            #expect(seen == ["b", "a", "c"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func liveItemsAndCounts(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            #expect(try s.liveItems(hub: hubA).isEmpty)
            #expect(try s.liveItemCount(hub: hubA) == 0)
            #expect(try s.maxVersion(hub: hubA) == 0)
            try s.commit(hub: hubA, batch {
                $0.items = [item("m", v: 1), item("b", v: 5, deleted: true), item("z", v: 2), item("a", v: 3)]
            })
            #expect(try s.liveItems(hub: hubA).map(\.id) == ["a", "m", "z"])
            #expect(try s.liveItemCount(hub: hubA) == 3)
            #expect(try s.maxVersion(hub: hubA) == 5)  // tombstones count for the version
            // Restore and delete flip membership.
            try s.commit(hub: hubA, batch { $0.items = [item("b", v: 6), item("m", v: 7, deleted: true)] })
            #expect(try s.liveItems(hub: hubA).map(\.id) == ["a", "b", "z"])
            #expect(try s.liveItemCount(hub: hubA) == 3)
            #expect(try s.maxVersion(hub: hubA) == 7)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func linkLookups(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            var l1 = link(spoke1, "i1", "r1", seen: Link.leavingFilterMark, version: nil)
            l1.createdByHub = true
            l1.base = fullContact
            let many = (0..<1_100).map { link(spoke2, "i\($0)", "x\($0)", seen: Int64($0)) }
            try s.commit(hub: hubA, batch { $0.links = [l1, link(spoke1, "i2", "r2")] + many })

            let byRemote = try s.links(hub: hubA, spoke: spoke1, remoteIDs: ["r1", "r2", "nope"])
            #expect(byRemote.count == 2)
            #expect(byRemote["r1"] == l1)
            #expect(byRemote["r1"]?.leavingFilter == true)
            let versions: [RemoteID: RemoteVersion?] = ["r1": nil, "r2": "etag-1"]
            #expect(try s.linkVersions(hub: hubA, spoke: spoke1, remoteIDs: ["r1", "r2", "nope"]) == versions)
            #expect(try s.linkVersions(hub: hubA, spoke: spoke2, remoteIDs: many.map(\.remoteID)).count == 1_100)
            #expect(try s.links(hub: hubA, spoke: spoke1, items: ["i1", "i9"]) == ["i1": l1])
            // Spokes are separate: spoke1's remote ids are not spoke2's.
            #expect(try s.links(hub: hubA, spoke: spoke2, remoteIDs: ["r1"]).isEmpty)
            #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r1", "r2"])
            #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 2)
            #expect(try s.linkCount(hub: hubA, spoke: spoke2) == 1_100)
            #expect(try s.linkCount(hub: hubA, spoke: "other") == 0)
            // Chunked lookups.
            let byItem = try s.links(hub: hubA, spoke: spoke2, items: many.map(\.item))
            #expect(byItem == Dictionary(uniqueKeysWithValues: many.map { ($0.item, $0) }))
            let byRemoteMany = try s.links(hub: hubA, spoke: spoke2, remoteIDs: many.map(\.remoteID))
            #expect(byRemoteMany.count == 1_100)
            #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke2).count == 1_100)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func linkUpsertReplaces(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            try s.commit(hub: hubA, batch { $0.links = [link(spoke1, "i1", "r1")] })
            // Same (spoke, item), new remote id: the old remote id is released.
            var moved = link(spoke1, "i1", "r9", seen: 5, version: "etag-9")
            moved.createdByHub = true
            try s.commit(hub: hubA, batch { $0.links = [moved] })
            #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 1)
            #expect(try s.links(hub: hubA, spoke: spoke1, items: ["i1"]) == ["i1": moved])
            #expect(try s.links(hub: hubA, spoke: spoke1, remoteIDs: ["r1"]).isEmpty)
            #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r9"])
            // ... and may be taken by another item.
            try s.commit(hub: hubA, batch { $0.links = [link(spoke1, "i2", "r1")] })
            #expect(try s.links(hub: hubA, spoke: spoke1, remoteIDs: ["r1"])["r1"]?.item == "i2")
            // Re-upserting a link with its own remote id is no conflict.
            try s.commit(hub: hubA, batch { $0.links = [link(spoke1, "i2", "r1", seen: 8)] })
            #expect(try s.links(hub: hubA, spoke: spoke1, items: ["i2"])["i2"]?.hubVersionSeen == 8)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func removedLinks(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            try s.commit(hub: hubA, batch {
                $0.links = [link(spoke1, "i1", "r1"), link(spoke1, "i2", "r2"), link(spoke2, "i1", "r1")]
            })
            try s.commit(hub: hubA, batch {
                $0.removedLinks = [LinkKey(spoke: spoke1, item: "i1"), LinkKey(spoke: spoke1, item: "absent")]
            })
            #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r2"])
            #expect(try s.linkCount(hub: hubA, spoke: spoke2) == 1)  // same item in another spoke stays
            // Removing a link frees its remote id within the same batch (a re-match).
            try s.commit(hub: hubA, batch {
                $0.removedLinks = [LinkKey(spoke: spoke1, item: "i2")]
                $0.links = [link(spoke1, "i3", "r2")]
            })
            #expect(try s.links(hub: hubA, spoke: spoke1, remoteIDs: ["r2"])["r2"]?.item == "i3")
            #expect(try s.linkCount(hub: hubA, spoke: spoke1) == 1)
            // Removed and upserted in one batch: the upsert wins (removals apply first).
            try s.commit(hub: hubA, batch {
                $0.removedLinks = [LinkKey(spoke: spoke1, item: "i3")]
                $0.links = [link(spoke1, "i3", "r3")]
            })
            #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["r3"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func intentsAddRemove(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            func intent(_ spoke: SpokeID, _ i: ItemID, _ t: Double, base: Contact? = nil) -> CreateIntent {
                CreateIntent(spoke: spoke, item: i, marker: CreateMarker(hub: hubA, item: i),
                             base: base ?? person(i.rawValue), startedAt: at(t))
            }
            #expect(try s.intents(hub: hubA, spoke: spoke1).isEmpty)
            let c = intent(spoke1, "c", 1, base: fullContact)
            // A marker is stored as its parts: a hub id with a colon survives.
            let odd = CreateIntent(spoke: spoke1, item: "a", marker: CreateMarker(hub: "hub:with:colons", item: "a:b"),
                                   base: Contact(), startedAt: at(2))
            try s.commit(hub: hubA, batch {
                $0.addedIntents = [c, odd, intent(spoke1, "b", 3), intent(spoke2, "a", 4)]
            })
            #expect(try s.intents(hub: hubA, spoke: spoke1) == [odd, intent(spoke1, "b", 3), c])
            #expect(try s.intents(hub: hubA, spoke: spoke2) == [intent(spoke2, "a", 4)])
            // Re-adding replaces; removal only touches its (spoke, item).
            try s.commit(hub: hubA, batch {
                $0.addedIntents = [intent(spoke1, "b", 9)]
                $0.removedIntents = [LinkKey(spoke: spoke1, item: "a"), LinkKey(spoke: spoke1, item: "zz")]
            })
            #expect(try s.intents(hub: hubA, spoke: spoke1) == [intent(spoke1, "b", 9), c])
            #expect(try s.intents(hub: hubA, spoke: spoke2).count == 1)
            // Removed and added in one batch: the add wins (removals apply first).
            try s.commit(hub: hubA, batch {
                $0.removedIntents = [LinkKey(spoke: spoke1, item: "c")]
                $0.addedIntents = [intent(spoke1, "c", 10)]
            })
            #expect(try s.intents(hub: hubA, spoke: spoke1).map(\.startedAt) == [at(9), at(10)])
        }
    }
}
