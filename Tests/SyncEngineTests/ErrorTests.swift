import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// A memory spoke whose writes fail item by item for the given names (as a server answering one
/// item of a batch with an error). MemorySpoke's hook can only fail a whole call.
final class ItemFailingSpoke: SpokeConnector {
    let inner: MemorySpoke
    let failing = Shared<Set<String>>([])
    init(_ inner: MemorySpoke) { self.inner = inner }

    var capabilities: Set<ContactField>? { inner.capabilities }
    var maxBatch: Int { inner.maxBatch }
    func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await inner.pull(since: cursor, page: page)
    }
    func fetch(_ id: RemoteID) async throws -> RemoteItem? { try await inner.fetch(id) }
    func find(marker: CreateMarker) async throws -> RemoteItem? { try await inner.find(marker: marker) }

    func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        let failing = self.failing.withLock { $0 }
        func name(_ op: WriteOp) -> String? {
            switch op {
            case .create(let c, _), .update(_, _, let c): c.givenName
            case .delete(let id, _): inner.entries[id]?.contact.givenName
            }
        }
        var out = [WriteOutcome?](repeating: nil, count: ops.count)
        var pass: [(Int, WriteOp)] = []
        for (i, op) in ops.enumerated() {
            if let n = name(op), failing.contains(n) {
                out[i] = .failed(ItemError(remoteID: nil, message: "rejected \(n)"))
            } else {
                pass.append((i, op))
            }
        }
        let results = try await inner.write(pass.map(\.1))
        for ((i, _), r) in zip(pass, results) { out[i] = r }
        return out.map { $0! }
    }
}

@Suite struct ErrorTests {
    @Test(arguments: StoreKind.allCases)
    func oneItemFailingDoesNotStopTheOthers(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()])
        let flaky = ItemFailingSpoke(h.spokes[1])
        var connectors = h.connectors
        connectors[h.configs[1].id] = flaky
        flaky.failing.withLock { $0 = ["Bob"] }
        for n in ["Ada", "Bob", "Cy"] { h.spokes[0].userUpsert(person(n, email: "\(n.lowercased())@example.com")) }

        h.clock.advance()
        let run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(run.status == .partial)
        #expect(h.stats(run, 1).itemErrors == 1)
        #expect(h.stats(run, 1).pushedCreates == 2)
        #expect(run.errors.contains { $0.contains("rejected Bob") })
        #expect(h.spokes[1].names == ["Ada", "Cy"])
        #expect(h.spokes[2].names == ["Ada", "Bob", "Cy"])
        #expect(try h.state(1).lastError == nil)  // an item error is not the spoke's failure

        // Still failing: retried, still only that one.
        flaky.failing.withLock { $0 = ["Bob"] }
        h.clock.advance()
        let again = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(again.status == .partial)
        #expect(h.stats(again, 1).itemErrors == 1)
        #expect(h.stats(again, 1).pushedCreates == 0)

        // An update to an item that is there fails the same way, and is retried too.
        h.spokes[0].edit("Ada") { $0.title = "Countess" }
        flaky.failing.withLock { $0 = ["Ada", "Bob"] }
        h.clock.advance()
        let third = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(h.stats(third, 1).itemErrors == 2)
        #expect(h.spokes[1].contact("Ada")?.title == nil)
        #expect(h.spokes[2].contact("Ada")?.title == "Countess")

        flaky.failing.withLock { $0 = [] }
        h.clock.advance()
        let fixed = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(fixed.status == .succeeded)
        #expect(h.stats(fixed, 1).pushedCreates == 1)
        #expect(h.stats(fixed, 1).pushedUpdates == 1)
        try await h.sync()
        try h.expectConverged(spokes: [0, 1, 2])
        #expect(h.spokes[1].count == 3)
    }

    @Test(arguments: StoreKind.allCases)
    func aFailingSpokeIsSkippedAndCatchesUp(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()])
        h.spokes[0].userUpsert(person("Ada", email: "ada@example.com"))
        try await h.sync()
        let ops = Shared<[MemorySpoke.Operation]>([])
        h.spokes[1].setHook { op, phase in
            if phase == .before { ops.withLock { $0.append(op) } }
            throw ConnectorError(.unavailable, "server down")
        }
        h.spokes[0].edit("Ada") { $0.title = "Countess" }
        h.spokes[2].userUpsert(person("Grace", email: "grace@example.com"))
        let run = try await h.sync()
        #expect(run.status == .partial)
        #expect(try h.state(1).lastError?.contains("server down") == true)
        #expect(try h.state(0).lastError == nil)
        // The spoke's name and what went wrong; never the error's raw kind.
        #expect(run.errors.contains { $0.hasSuffix(": server down") })
        #expect(!run.errors.contains { $0.contains("unavailable") })
        // The others synced; the failing spoke was not written to (only the pull was tried).
        #expect(h.spokes[0].names == ["Ada", "Grace"])
        #expect(h.spokes[2].contact("Ada")?.title == "Countess")
        #expect(ops.withLock { $0 } == [.pull])
        #expect(h.spokes[1].names == ["Ada"])

        h.spokes[1].setHook(nil)
        let fixed = try await h.sync()
        #expect(fixed.status == .succeeded)
        #expect(try h.state(1).lastError == nil)
        #expect(h.spokes[1].names == ["Ada", "Grace"])
        #expect(h.spokes[1].contact("Ada")?.title == "Countess")
        try await h.sync()
        try h.expectConverged(spokes: [0, 1, 2])
    }

    /// A write batch that fails part way (a connection dropped after some creates landed): the
    /// spoke fails for this pass, the next spoke is still pushed, and the next pass adopts the
    /// creates that landed instead of duplicating them.
    @Test(arguments: StoreKind.allCases)
    func writeFailingMidBatchLeavesNoDuplicates(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init(), .init()])
        let names = ["Ada", "Bob", "Cy", "Di"]
        for n in names { h.spokes[0].userUpsert(person(n, email: "\(n.lowercased())@example.com")) }
        let fail = Shared(true)
        h.spokes[1].setHook { op, phase in
            if phase == .before, fail.withLock({ $0 }), case .write(.create(let c, _)) = op, c.givenName == "Cy" {
                throw ConnectorError(.unavailable, "connection reset")
            }
        }
        let run = try await h.sync()
        #expect(run.status == .partial)
        #expect(try h.state(1).lastError?.contains("connection reset") == true)
        #expect(h.spokes[2].names == Set(names))
        #expect(h.spokes[1].count >= 1 && h.spokes[1].count < 4)

        fail.withLock { $0 = false }
        let fixed = try await h.sync()
        #expect(fixed.status == .succeeded)
        try await h.sync()
        #expect(h.spokes[1].count == 4)
        #expect(h.spokes[1].names == Set(names))
        #expect(try h.store.liveItemCount(hub: h.hub) == 4)
        #expect(try h.store.intents(hub: h.hub, spoke: h.configs[1].id).isEmpty)
        try h.expectConverged(spokes: [0, 1, 2])
    }
}
