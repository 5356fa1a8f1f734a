import Foundation
import Synchronization
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// A source read only in part is never read as deleted: items it reports unreadable, and items
/// missing from a listing it says is incomplete, stay in the hub and everywhere else, even
/// where they are too few for the guard to notice.
@Suite struct UnreadableSourceTests {
    /// A memory spoke whose listings leave some items out: as unreadable (reported by id) or
    /// silently, on a page marked incomplete.
    final class Partial: SpokeConnector {
        let inner: MemorySpoke
        let unreadable = Shared(Set<RemoteID>())
        let missing = Shared(Set<RemoteID>())
        init(_ inner: MemorySpoke) { self.inner = inner }
        var capabilities: Set<ContactField>? { inner.capabilities }
        var maxBatch: Int { inner.maxBatch }

        func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
            var p = try await inner.pull(since: cursor, page: page)
            let unreadable = self.unreadable.withLock { $0 }, missing = self.missing.withLock { $0 }
            var errors = p.errors, incomplete = p.incomplete
            let changes = p.changes.filter { change in
                guard case .upsert(let r) = change else { return true }
                if unreadable.contains(r.id) {
                    errors.append(ItemError(remoteID: r.id, message: "cannot be read"))
                    return false
                }
                if missing.contains(r.id) {
                    incomplete = true
                    return false
                }
                return true
            }
            p.changes = changes
            p.errors = errors
            p.incomplete = incomplete
            return p
        }
        func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] { try await inner.write(ops) }
        func fetch(_ id: RemoteID) async throws -> RemoteItem? { try await inner.fetch(id) }
        func find(marker: CreateMarker) async throws -> RemoteItem? { try await inner.find(marker: marker) }
    }

    @Test(arguments: StoreKind.allCases, [false, true])
    func partlyReadSourceDeletesNothing(_ store: StoreKind, silently: Bool) async throws {
        let h = try Harness(store: store.make(), spokeOptions: [.init(), .init()])
        let names = (0..<20).map { "U\($0)" }
        for n in names { h.spokes[0].userUpsert(person(n, email: "\(n)@example.com")) }
        let partial = Partial(h.spokes[0])
        var connectors = h.connectors
        connectors[h.configs[0].id] = partial
        h.clock.advance()
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        h.clock.advance()
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(h.spokes.map(\.count) == [20, 20])

        // Three of twenty (15%, under the guard's 20%) cannot be read, in a full listing.
        let victims = Set(names.prefix(3).map { h.spokes[0].id($0)! })
        (silently ? partial.missing : partial.unreadable).withLock { $0 = victims }
        h.spokes[0].expireCursors()
        h.clock.advance()
        let run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(h.stats(run, 0).hubDeleted == 0 && h.stats(run, 0).heldDeletions == 0)
        #expect(h.stats(run, 0).itemErrors == (silently ? 0 : 3))
        #expect(try h.store.liveItemCount(hub: h.hub) == 20)
        #expect(h.spokes.map(\.count) == [20, 20])
        #expect(try h.store.linkCount(hub: h.hub, spoke: h.configs[0].id) == 20)

        // Readable again: nothing was lost, nothing is created twice.
        (silently ? partial.missing : partial.unreadable).withLock { $0 = [] }
        h.clock.advance()
        let again = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(again.status == .succeeded)
        #expect(again.stats.values.allSatisfy { $0.hubCreated + $0.pushedCreates + $0.hubDeleted == 0 })
        #expect(h.spokes.map(\.count) == [20, 20])
    }
}
