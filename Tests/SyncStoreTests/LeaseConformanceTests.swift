import Foundation
import SyncModel
import SyncStore
import Testing

/// The hub leases every worker shares: one holder at a time, taken over only once expired,
/// renewed and released only by their holder, and requests that a pass answers.
struct LeaseConformanceTests {
    let a = WorkerID("worker-a")
    let b = WorkerID("worker-b")

    private func leases(_ store: any SyncStore) throws -> any HubLeaseStore {
        try store.saveHub(HubConfig(id: "h1", name: "H1"))
        try store.saveHub(HubConfig(id: "h2", name: "H2"))
        return try #require(store as? any HubLeaseStore)
    }

    @Test(arguments: StoreKind.allCases)
    func oneHolderUntilExpiry(kind: StoreKind) throws {
        try kind.with { store in
            let q = try leases(store)
            #expect(try q.acquireLease(hub: "h1", worker: a, now: at(0), until: at(60)))
            #expect(try !q.acquireLease(hub: "h1", worker: b, now: at(30), until: at(90)), "live lease")
            #expect(try q.acquireLease(hub: "h2", worker: b, now: at(30), until: at(90)), "another hub is free")
            #expect(try q.acquireLease(hub: "h1", worker: a, now: at(30), until: at(100)), "its holder extends it")
            #expect(try !q.acquireLease(hub: "h1", worker: b, now: at(100), until: at(160)), "live to its last second")
            // a stopped renewing (died): b takes the hub, and a's lease is gone for good.
            #expect(try q.acquireLease(hub: "h1", worker: b, now: at(101), until: at(161)))
            #expect(try !q.renewLease(hub: "h1", worker: a, until: at(200)))
            try q.releaseLease(hub: "h1", worker: a, served: at(101))
            #expect(try q.leases().first { $0.hub == "h1" } == HubLease(hub: "h1", owner: b, until: at(161)))
            #expect(try q.renewLease(hub: "h1", worker: b, until: at(220)))
            try q.releaseLease(hub: "h1", worker: b, served: nil)
            #expect(try q.leases().first { $0.hub == "h1" } == HubLease(hub: "h1"))
            #expect(try q.acquireLease(hub: "h1", worker: a, now: at(120), until: at(180)), "released: free at once")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func requestsWaitForAPassThatBeganAfterThem(kind: StoreKind) throws {
        try kind.with { store in
            let q = try leases(store)
            try q.requestSync(hub: "h1", at: at(10))
            try q.requestSync(hub: "h1", at: at(20))
            #expect(try q.leases() == [HubLease(hub: "h1", requestedAt: at(10))], "the older request stays")
            #expect(try q.lease(hub: "h1") == HubLease(hub: "h1", requestedAt: at(10)))
            #expect(try q.lease(hub: "h2") == nil)
            #expect(try q.acquireLease(hub: "h1", worker: a, now: at(30), until: at(90)))
            try q.releaseLease(hub: "h1", worker: a, served: at(5))
            #expect(try q.leases().first?.requestedAt == at(10), "a pass begun before the request does not answer it")
            #expect(try q.acquireLease(hub: "h1", worker: a, now: at(40), until: at(90)))
            try q.releaseLease(hub: "h1", worker: a, served: at(40))
            #expect(try q.leases() == [HubLease(hub: "h1")])
            #expect(throws: StoreError.self) { try q.requestSync(hub: "nope", at: at(1)) }
            #expect(throws: StoreError.self) { try q.acquireLease(hub: "nope", worker: a, now: at(1), until: at(2)) }
        }
    }

    /// A worker's look between full looks reads only what needs it: requests, and leases left
    /// to expire (their worker died), never the live or free ones.
    @Test(arguments: StoreKind.allCases)
    func wantedAreTheAskedAndTheExpired(kind: StoreKind) throws {
        try kind.with { store in
            let q = try leases(store)
            try store.saveHub(HubConfig(id: "h3", name: "H3"))
            try store.saveHub(HubConfig(id: "h4", name: "H4"))
            #expect(try q.acquireLease(hub: "h1", worker: a, now: at(0), until: at(60)))
            #expect(try q.acquireLease(hub: "h2", worker: b, now: at(0), until: at(30)))
            try q.requestSync(hub: "h3", at: at(5))
            #expect(try q.acquireLease(hub: "h4", worker: a, now: at(0), until: at(60)))
            try q.releaseLease(hub: "h4", worker: a, served: nil)
            #expect(try q.leasesWanted(at: at(20)) == [HubLease(hub: "h3", requestedAt: at(5))])
            #expect(try q.leasesWanted(at: at(31)) == [
                HubLease(hub: "h2", owner: b, until: at(30)), HubLease(hub: "h3", requestedAt: at(5)),
            ])
            #expect(try q.acquireLease(hub: "h3", worker: a, now: at(32), until: at(92)))
            #expect(try q.leasesWanted(at: at(33)).map(\.hub) == ["h2", "h3"], "asked for, and held: the request still waits")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aDeletedHubTakesItsLeaseAlong(kind: StoreKind) throws {
        try kind.with { store in
            let q = try leases(store)
            #expect(try q.acquireLease(hub: "h1", worker: a, now: at(0), until: at(60)))
            try q.requestSync(hub: "h2", at: at(0))
            try store.deleteHub("h1")
            #expect(try q.leases().map(\.hub) == ["h2"])
            try store.saveHub(HubConfig(id: "h1", name: "H1 again"))
            #expect(try q.acquireLease(hub: "h1", worker: b, now: at(1), until: at(61)), "a new hub of the same id starts free")
        }
    }
}
