import Foundation
import SyncModel
import SyncStore
import Testing

/// One writer per hub, enforced by the store: versions allocated inside the commit, unique per
/// hub; holds keep their decision.
@Suite("Store conformance: versions and holds")
struct VersionConformanceTests {
    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func versionsAreAllocatedInTheCommit(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try versionsAreAllocatedInTheCommit($0, $1) } }

    private func versionsAreAllocatedInTheCommit<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch { $0.items = [k.item("a", v: 5)] })
        // Two writers that both read version 5 before committing still get distinct versions.
        let next = HubRecord<I>.allocatedVersion
        try s.commit(hub: hubA, batch: k.batch { b in
            b.items = [k.item("b", v: next), k.item("c", v: next)]
            b.links = [k.link(spoke1, "b", "rb", seen: ItemLink<I>.seesBatchVersion), k.link(spoke1, "a", "ra", seen: ItemLink<I>.seesBatchVersion)]
        })
        try s.commit(hub: hubA, batch: k.batch { $0.items = [k.item("a", v: next, k.sample("A2"))] })
        let all = try s.items(I.self, hub: hubA, changedAfter: 0, limit: 10)
        #expect(all.map(\.id) == ["b", "c", "a"])
        #expect(all.map(\.version) == [6, 7, 8])
        #expect(try s.maxVersion(hub: hubA) == 8)
        // A link committed with its item's change records the version the item got; one
        // whose item the batch does not change, the item's stored version.
        let links = try s.links(I.self, hub: hubA, spoke: spoke1, items: ["a", "b"])
        #expect(links["b"]?.hubVersionSeen == 6)
        #expect(links["a"]?.hubVersionSeen == 5)
        // Another hub counts on its own.
        try s.saveHub(HubConfig(id: hubB, name: "B", objectKind: I.objectKind))
        try s.commit(hub: hubB, batch: k.batch { $0.items = [k.item("x", v: next)] })
        #expect(try s.maxVersion(hub: hubB) == 1)
    }

    @Test(arguments: StoreKind.allCases, ObjectKind.allCases)
    func aVersionGivenTwiceIsRefused(kind: StoreKind, object: ObjectKind) throws { try kind.with(object) { try aVersionGivenTwiceIsRefused($0, $1) } }

    private func aVersionGivenTwiceIsRefused<I: SampleItem>(_ s: any SyncStore, _: I.Type) throws {
        let k = Kit<I>()
        try k.makeHub(s)
        try s.commit(hub: hubA, batch: k.batch { $0.items = [k.item("a", v: 1), k.item("b", v: 2)] })
        expectStoreError(.conflict) { try s.commit(hub: hubA, batch: k.batch { $0.items = [k.item("c", v: 2)] }) }
        expectStoreError(.conflict) {
            try s.commit(hub: hubA, batch: k.batch { $0.items = [k.item("c", v: 3), k.item("d", v: 3)] })
        }
        #expect(try s.items(I.self, hub: hubA, changedAfter: 0, limit: 10).map(\.id) == ["a", "b"])
        // An item keeps or moves its own version freely.
        try s.commit(hub: hubA, batch: k.batch { $0.items = [k.item("a", v: 1, k.sample("A2")), k.item("b", v: 4)] })
        #expect(try s.maxVersion(hub: hubA) == 4)
    }

    @Test(arguments: StoreKind.allCases)
    func holdsKeepTheirDecision(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            let held = DeletionHold(
                spoke: spoke1, detectedAt: at(1), items: ["i1", "i2"], reason: "r", changes: ["i2"],
                decision: .rejected, outgoing: false)
            let out = DeletionHold(spoke: spoke2, detectedAt: at(2), items: ["i3"], reason: "o", outgoing: true)
            try s.commit(hub: hubA, batch { $0.holds = [held, out] })
            #expect(try s.holds(hub: hubA) == [held, out])
            #expect(try s.pendingHolds(hub: hubA) == [out])
            #expect(held.deletions == ["i1"])
        }
    }
}
