import Foundation
import Synchronization
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite
import TestSupport

/// A source that says it only feeds the hub (a directory), counting the writes it is handed.
final class ReadOnlySource: SpokeConnector {
    let inner: MemorySpoke
    let writes = Mutex(0)
    init(_ inner: MemorySpoke) { self.inner = inner }
    var readOnly: Bool { true }
    var capabilities: Set<ContactField>? { nil }
    var maxBatch: Int { inner.maxBatch }
    func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage { try await inner.pull(since: cursor, page: page) }
    func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        writes.withLock { $0 += ops.count }
        return try await inner.write(ops)
    }
    func fetch(_ id: RemoteID) async throws -> RemoteItem? { try await inner.fetch(id) }
    func find(marker: CreateMarker) async throws -> RemoteItem? { try await inner.find(marker: marker) }
}

/// `readOnly` wins over the spoke's options: even set two-way, the engine plans no write to it,
/// while what it holds still feeds the hub and the other spokes.
@Suite struct ReadOnlySpokeTests {
    @Test(arguments: [false, true])
    func aReadOnlySourceFeedsTheHubAndIsNeverWritten(sqlite: Bool) async throws {
        let h = try Harness(store: sqlite ? try SQLiteStore.inMemory() : MemoryStore())
        #expect(h.configs[0].options.twoWay)
        let directory = ReadOnlySource(h.spokes[0])
        let connectors: [SpokeID: any SpokeConnector] = [h.configs[0].id: PassBudget(directory, budget: .seconds(60), name: "d"),
                                                         h.configs[1].id: h.spokes[1]]
        let ada = h.spokes[0].userUpsert(Sample.person("Ada", "Lovelace", email: "ada@example.com"))
        h.spokes[1].userUpsert(Sample.person("Bob", "Ray", email: "bob@example.com"))
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(h.spokes[1].count == 2)
        // Bob (from the other spoke) is not created in the directory; Ada's edit elsewhere is not written back.
        h.clock.advance()
        let other = try #require(h.spokes[1].entries.first { $0.value.contact.givenName == "Ada" })
        var c = other.value.contact
        c.title = "Countess"
        h.spokes[1].userUpsert(c, id: other.key)
        try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(h.spokes[0].count == 1 && h.spokes[0].contact(ada)?.title == nil)
        #expect(directory.writes.withLock { $0 } == 0)
    }
}
