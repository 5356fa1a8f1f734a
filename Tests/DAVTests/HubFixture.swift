import Foundation
import ConnectorDAV
import ConnectorKit
import ConnectorMemory
import Logging
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite
import TestSupport

/// A hub on SQLite with any mix of spokes, for end-to-end runs against real servers.
struct HubFixture {
    let store: any SyncStore
    let hub = HubID("h")
    let clock = TestClock()
    let engine: SyncEngine
    private(set) var configs: [SpokeConfig] = []
    private(set) var connectors: [SpokeID: any SpokeConnector] = [:]

    init(deletionGuard: DeletionGuard = .init()) throws {
        store = try SQLiteStore.inMemory()
        try store.saveHub(HubConfig(id: hub, name: "hub", deletionGuard: deletionGuard))
        let ids = Counter(prefix: "i")
        engine = SyncEngine(
            store: store, clock: clock.closure, newID: { ids.next() },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    @discardableResult
    mutating func add(_ name: String, _ kind: SpokeKind, _ connector: any SpokeConnector, options: SpokeOptions = .init())
        throws -> SpokeID
    {
        let id = SpokeID(name)
        let config = SpokeConfig(id: id, hub: hub, name: name, kind: kind, position: configs.count, options: options)
        try store.saveSpoke(config)
        configs.append(config)
        connectors[id] = connector
        return id
    }

    mutating func replace(_ id: SpokeID, with connector: any SpokeConnector) { connectors[id] = connector }

    @discardableResult
    func sync() async throws -> RunRecord {
        clock.advance(60)
        return try await engine.sync(hub: hub, connectors: connectors)
    }

    func names() throws -> Set<String> {
        Set(try store.liveItems(hub: hub).compactMap { $0.contact.givenName })
    }

    func item(_ given: String) throws -> HubItem? {
        try store.liveItems(hub: hub).first { $0.contact.givenName == given }
    }

    func setCursor(_ spoke: SpokeID, _ cursor: SpokeCursor?) throws {
        var s = try store.spokeState(hub: hub, spoke: spoke)
        s.cursor = cursor
        var b = WriteBatch()
        b.spokeStates = [s]
        try store.commit(hub: hub, b)
    }

    func cursor(_ spoke: SpokeID) throws -> SpokeCursor? { try store.spokeState(hub: hub, spoke: spoke).cursor }
}

/// Given names of what a connector lists now.
func givenNames(_ c: any SpokeConnector) async throws -> [String] {
    try await listAll(c).compactMap(\.contact.givenName).sorted()
}
