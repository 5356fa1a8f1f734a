import Foundation
import SyncModel
import SyncStore
import Testing

/// A batch may carry spoke configurations (a spoke switching connector): they land with the
/// links in one transaction, or not at all.
@Suite("Store conformance: a spoke saved with its links")
struct SpokeSwitchConformanceTests {
    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func aSpokeAndItsLinksSwitchTogether(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try aSpokeAndItsLinksSwitchTogether($0, $1) } }

    private func aSpokeAndItsLinksSwitchTogether<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch { b in
            b.items = [k.item("i1", v: 1), k.item("i2", v: 2)]
            b.links = [k.link(spoke1, "i1", "ews-1"), k.link(spoke1, "i2", "ews-2")]
        })
        var moved = try #require(try s.spokes(hub: hubA).first { $0.id == spoke1 })
        moved.kind = .graph
        moved.settings = ["m365.mailbox": "ann@example.com"]
        try s.commit(hub: hubA, batch: k.batch { b in
            b.spokes = [moved]
            b.links = [k.link(spoke1, "i1", "graph-1", version: "W/\"1\""), k.link(spoke1, "i2", "graph-2")]
        })
        #expect(try s.spokes(hub: hubA).first { $0.id == spoke1 } == moved)
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["graph-1", "graph-2"])
        #expect(try s.links(I.self, hub: hubA, spoke: spoke1, remoteIDs: ["graph-1"])["graph-1"]?.remoteVersion == RemoteVersion("W/\"1\""))

        // A batch that fails (two links on one remote id) leaves the spoke as it was.
        var again = moved
        again.kind = .ews
        expectStoreError(.conflict) {
            try s.commit(hub: hubA, batch: k.batch { b in
                b.spokes = [again]
                b.links = [k.link(spoke1, "i1", "same"), k.link(spoke1, "i2", "same")]
            })
        }
        #expect(try s.spokes(hub: hubA).first { $0.id == spoke1 } == moved)
        #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["graph-1", "graph-2"])
        #expect(!k.batch { $0.spokes = [moved] }.isEmpty)
    }
}
