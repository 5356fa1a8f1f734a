import Foundation
import Synchronization
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// A source listed by version whose bodies are dear (CardDAV without a sync token): it asks the
/// hub which versions it holds and names those items as unchanged instead of sending them.
final class ListedByVersion: SpokeConnector {
    let inner: MemorySpoke
    /// Bodies sent, over all pulls.
    let sent = Mutex(0)
    /// `known.knowsNothing` of each first page asked for.
    let knewNothing = Mutex<[Bool]>([])
    init(inner: MemorySpoke) { self.inner = inner }
    var capabilities: Set<ContactField>? { nil }
    var maxBatch: Int { inner.maxBatch }

    func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await pull(since: nil, page: page, known: .none)
    }

    func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        if page == nil { knewNothing.withLock { $0.append(known.knowsNothing) } }
        var p = try await inner.pull(since: nil, page: page)
        let ids = p.changes.compactMap { if case .upsert(let r) = $0 { r.id } else { nil } }
        let held = try await known(ids)
        p.changes.removeAll {
            guard case .upsert(let r) = $0, held[r.id] == r.version else { return false }
            p.unchanged.append(r.id)
            return true
        }
        sent.withLock { $0 += p.changes.count }
        return p
    }

    func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] { try await inner.write(ops) }
    func fetch(_ id: RemoteID) async throws -> RemoteItem? { try await inner.fetch(id) }
    func find(marker: CreateMarker) async throws -> RemoteItem? { try await inner.find(marker: marker) }
}

@Suite struct KnownVersionsTests {
    @Test func unchangedItemsOfAFullListingAreNeitherFetchedNorDeleted() async throws {
        let h = try Harness()
        let listed = ListedByVersion(inner: h.spokes[0])
        let connectors: [SpokeID: any SpokeConnector] = [h.configs[0].id: listed, h.configs[1].id: h.spokes[1]]
        for i in 0..<8 { _ = h.spokes[0].userUpsert(Sample.person("P\(i)", "Q")) }
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(h.spokes[1].count == 8)
        let afterFirst = listed.sent.withLock { $0 }

        // One edit: only that body travels, and the seven unchanged items stay.
        let id = try #require(h.spokes[0].entries.first { $0.value.contact.givenName == "P3" }?.key)
        var c = try #require(h.spokes[0].contact(id))
        c.title = "Edited"
        _ = h.spokes[0].userUpsert(c, id: id)
        h.clock.advance()
        let run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(listed.sent.withLock { $0 } - afterFirst == 1)
        #expect(run.stats[h.configs[0].id]?.hubDeleted == 0)
        #expect(h.spokes[1].count == 8)
        #expect(h.spokes[1].contacts.contains { $0.title == "Edited" })
    }

    /// While the hub holds nothing of a spoke, the engine says so (a CardDAV book then sends its
    /// cards with the listing); once it holds some, the versions are asked for.
    @Test func aSpokeTheHubHoldsNothingOfIsToldSo() async throws {
        let h = try Harness()
        let listed = ListedByVersion(inner: h.spokes[0])
        let connectors: [SpokeID: any SpokeConnector] = [h.configs[0].id: listed, h.configs[1].id: h.spokes[1]]
        for i in 0..<3 { _ = h.spokes[0].userUpsert(Sample.person("P\(i)", "Q")) }
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        // (The engine asks for each spoke's first page ahead, then pulls it.)
        #expect(listed.knewNothing.withLock { $0 } == [true, false])
        #expect(KnownVersions.none.knowsNothing && !KnownVersions { _ in [:] }.knowsNothing)
    }
}
