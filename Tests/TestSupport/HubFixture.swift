import Foundation
import ConnectorKit
import ConnectorMemory
import Logging
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite

/// A hub on SQLite with any mix of spokes, for end-to-end runs against real servers.
public struct HubFixture {
    public let store: any SyncStore
    public let hub = HubID("h")
    public let clock = TestClock()
    public let engine: SyncEngine
    public private(set) var configs: [SpokeConfig] = []
    public private(set) var connectors: [SpokeID: any SpokeConnector] = [:]

    public init(deletionGuard: DeletionGuard = .init()) throws {
        store = try SQLiteStore.inMemory()
        try store.saveHub(HubConfig(id: hub, name: "hub", deletionGuard: deletionGuard))
        let ids = Counter(prefix: "i")
        engine = SyncEngine(
            store: store, clock: clock.closure, newID: { ids.next() },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    @discardableResult
    public mutating func add(_ name: String, _ kind: SpokeKind, _ connector: any SpokeConnector, options: SpokeOptions = .init())
        throws -> SpokeID
    {
        let id = SpokeID(name)
        let config = SpokeConfig(id: id, hub: hub, name: name, kind: kind, position: configs.count, options: options)
        try store.saveSpoke(config)
        configs.append(config)
        connectors[id] = connector
        return id
    }

    public mutating func replace(_ id: SpokeID, with connector: any SpokeConnector) { connectors[id] = connector }

    @discardableResult
    public func sync() async throws -> RunRecord {
        clock.advance(60)
        return try await engine.sync(hub: hub, connectors: connectors)
    }

    public func names() throws -> Set<String> {
        Set(try store.liveItems(hub: hub).compactMap { $0.contact.givenName })
    }

    public func item(_ given: String) throws -> HubItem? {
        try store.liveItems(hub: hub).first { $0.contact.givenName == given }
    }

    public func setCursor(_ spoke: SpokeID, _ cursor: SpokeCursor?) throws {
        var s = try store.spokeState(hub: hub, spoke: spoke)
        s.cursor = cursor
        var b = WriteBatch()
        b.spokeStates = [s]
        try store.commit(hub: hub, b)
    }

    public func cursor(_ spoke: SpokeID) throws -> SpokeCursor? { try store.spokeState(hub: hub, spoke: spoke).cursor }
}

/// Given names of what a connector lists now.
public func givenNames(_ c: any SpokeConnector) async throws -> [String] {
    try await listAll(c).compactMap(\.contact.givenName).sorted()
}
