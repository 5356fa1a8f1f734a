import Foundation
import SyncModel
import SyncStore
import Testing

/// A batch may carry spoke configurations (a spoke switching connector): they land with the
/// links in one transaction, or not at all.
@Suite("Store conformance: a spoke saved with its links")
struct SpokeSwitchConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func aSpokeAndItsLinksSwitchTogether(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            try s.commit(hub: hubA, batch { b in
                b.items = [item("i1", v: 1), item("i2", v: 2)]
                b.links = [link(spoke1, "i1", "ews-1"), link(spoke1, "i2", "ews-2")]
            })
            var moved = try #require(try s.spokes(hub: hubA).first { $0.id == spoke1 })
            moved.kind = .graph
            moved.settings = ["m365.mailbox": "ann@example.com"]
            try s.commit(hub: hubA, batch { b in
                b.spokes = [moved]
                b.links = [link(spoke1, "i1", "graph-1", version: "W/\"1\""), link(spoke1, "i2", "graph-2")]
            })
            #expect(try s.spokes(hub: hubA).first { $0.id == spoke1 } == moved)
            #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["graph-1", "graph-2"])
            #expect(try s.links(hub: hubA, spoke: spoke1, remoteIDs: ["graph-1"])["graph-1"]?.remoteVersion == RemoteVersion("W/\"1\""))

            // A batch that fails (two links on one remote id) leaves the spoke as it was.
            var again = moved
            again.kind = .ews
            expectStoreError(.conflict) {
                try s.commit(hub: hubA, batch { b in
                    b.spokes = [again]
                    b.links = [link(spoke1, "i1", "same"), link(spoke1, "i2", "same")]
                })
            }
            #expect(try s.spokes(hub: hubA).first { $0.id == spoke1 } == moved)
            #expect(try s.linkedRemoteIDs(hub: hubA, spoke: spoke1) == ["graph-1", "graph-2"])
            #expect(!batch { $0.spokes = [moved] }.isEmpty)
        }
    }
}
