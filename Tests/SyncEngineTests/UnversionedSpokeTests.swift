import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite
import TestSupport

/// A source that gives no versions (no etag, no change key): every pull compares content.
struct Unversioned: SpokeConnector {
    let inner: MemorySpoke
    var capabilities: Set<ContactField>? { nil }
    var maxBatch: Int { inner.maxBatch }

    func strip(_ r: RemoteItem) -> RemoteItem {
        var r = r
        r.version = nil
        return r
    }

    func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        var p = try await inner.pull(since: cursor, page: page)
        p.changes = p.changes.map {
            if case .upsert(let r) = $0 { return .upsert(strip(r)) }
            return $0
        }
        return p
    }

    func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        try await inner.write(ops).map {
            switch $0 {
            case .created(let id, _): .created(id, nil)
            case .updated: .updated(nil)
            default: $0
            }
        }
    }

    func fetch(_ id: RemoteID) async throws -> RemoteItem? { try await inner.fetch(id).map(strip) }
    func find(marker: CreateMarker) async throws -> RemoteItem? { try await inner.find(marker: marker).map(strip) }
}

@Suite struct UnversionedSpokeTests {
    @Test(arguments: [false, true])
    func editsWithoutVersionsStillMerge(sqlite: Bool) async throws {
        let h = try Harness(store: sqlite ? try SQLiteStore.inMemory() : MemoryStore())
        let connectors: [SpokeID: any SpokeConnector] = [
            h.configs[0].id: Unversioned(inner: h.spokes[0]), h.configs[1].id: h.spokes[1],
        ]
        let ada = h.spokes[0].userUpsert(Sample.person("Ada", "Lovelace", email: "ada@example.com"))
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(h.spokes[1].count == 1)
        // Quiet: the unversioned item is compared by content and found unchanged.
        h.clock.advance()
        let quiet = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(quiet.stats.values.allSatisfy { $0.hubUpdated + $0.pushedUpdates + $0.pushedCreates == 0 })
        var c = try #require(h.spokes[0].contact(ada))
        c.title = "Countess"
        h.spokes[0].userUpsert(c, id: ada)
        h.clock.advance()
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(h.spokes[1].contacts.first?.title == "Countess")
        #expect(try h.hubContacts().count == 1)
    }
}
