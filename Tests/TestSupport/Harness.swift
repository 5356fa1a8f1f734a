import Foundation
import Logging
import Synchronization
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore

/// A clock tests move by hand: no sleeps.
public final class TestClock: Sendable {
    private let now = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
    public init() {}
    public func read() -> Date { now.withLock { $0 } }
    public func advance(_ seconds: TimeInterval = 1) { now.withLock { $0 += seconds } }
    public var closure: @Sendable () -> Date { { [self] in self.read() } }
}

/// Deterministic ids, so a failing seed replays the same way.
public final class Counter: Sendable {
    private let n = Mutex(0)
    private let prefix: String
    public init(prefix: String) { self.prefix = prefix }
    public func next() -> String { n.withLock { $0 += 1; return "\(prefix)\($0)" } }
}

/// An item type the harness can hold: kept by memory spokes, and handed to the engine as
/// connectors of its hub's kind.
public protocol HarnessItem: MemoryStorable {
    static func hubConnectors(_ connectors: [SpokeID: any ItemConnector<Self>]) -> HubConnectors
}

extension Contact: HarnessItem {
    public static func hubConnectors(_ connectors: [SpokeID: any ItemConnector<Contact>]) -> HubConnectors {
        .contacts(connectors)
    }
}

extension Event: HarnessItem {
    public static func hubConnectors(_ connectors: [SpokeID: any ItemConnector<Event>]) -> HubConnectors {
        .calendar(connectors)
    }
}

/// A hub of contacts with memory spokes (the contact spelling).
public typealias Harness = ItemHarness<Contact>

/// A hub with memory spokes on a store, and the engine to sync it; the hub holds `Item`'s kind.
public struct ItemHarness<Item: HarnessItem>: Sendable {
    public let store: any SyncStore
    public let hub: HubID
    public let spokes: [MemoryItemSpoke<Item>]
    public let configs: [SpokeConfig]
    public let clock: TestClock
    public let engine: SyncEngine

    public init(
        store: any SyncStore = MemoryStore(), spokeOptions: [SpokeOptions] = [.init(), .init()],
        deletionGuard: DeletionGuard = .init(), batchSize: Int = 500,
        makeSpoke: (Int, TestClock) -> MemoryItemSpoke<Item> = { i, clock in
            MemoryItemSpoke(name: "s\(i)", pageSize: 7, maxBatch: 5, clock: clock.closure)
        }
    ) throws {
        self.store = store
        let clock = TestClock()
        self.clock = clock
        hub = HubID("h1")
        try store.saveHub(HubConfig(id: hub, name: "Test hub", deletionGuard: deletionGuard, objectKind: Item.objectKind))
        var spokes: [MemoryItemSpoke<Item>] = []
        var configs: [SpokeConfig] = []
        for (i, options) in spokeOptions.enumerated() {
            let spoke = makeSpoke(i, clock)
            let config = SpokeConfig(
                id: SpokeID("s\(i)"), hub: hub, name: "spoke \(i)", kind: .memory, position: i, options: options)
            try store.saveSpoke(config)
            spokes.append(spoke)
            configs.append(config)
        }
        self.spokes = spokes
        self.configs = configs
        let ids = Counter(prefix: "id")
        engine = SyncEngine(
            store: store, clock: clock.closure, newID: { ids.next() }, batchSize: batchSize,
            logger: Self.logger)
    }

    /// Silent, unless HUBSYNC_TRACE is set: then every plan and write goes to stderr.
    static var logger: Logger { harnessLogger }

    public var itemConnectors: [SpokeID: any ItemConnector<Item>] {
        Dictionary(uniqueKeysWithValues: zip(configs.map(\.id), spokes.map { $0 as any ItemConnector<Item> }))
    }

    @discardableResult
    public func sync() async throws -> RunRecord {
        clock.advance()
        return try await engine.sync(hub: hub, connectors: Item.hubConnectors(itemConnectors))
    }
}

private let harnessLogger: Logger = {
    guard ProcessInfo.processInfo.environment["HUBSYNC_TRACE"] != nil else {
        return Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    }
    var l = Logger(label: "test", factory: { StreamLogHandler.standardError(label: $0) })
    l.logLevel = .debug
    return l
}()

extension ItemHarness where Item == Contact {
    public var connectors: [SpokeID: any SpokeConnector] {
        Dictionary(uniqueKeysWithValues: zip(configs.map(\.id), spokes.map { $0 as any SpokeConnector }))
    }

    public func hubContacts() throws -> [Contact] { try store.liveItems(hub: hub).map(\.contact) }

    /// Contacts of a spoke, normalised, sorted by content hash for comparison. Entries of a list
    /// are sorted too: their order is not content (the hash ignores it, so the engine does not
    /// sync a mere reordering).
    public static func sorted(_ cs: [Contact]) -> [Contact] {
        cs.map { c in
            var n = c.normalized()
            n.emails.sort { ($0.value, $0.label.rawValue) < ($1.value, $1.label.rawValue) }
            n.phones.sort { ($0.value, $0.label.rawValue) < ($1.value, $1.label.rawValue) }
            n.websites.sort { ($0.value, $0.label.rawValue) < ($1.value, $1.label.rawValue) }
            n.ims.sort { ($0.value, $0.label.rawValue) < ($1.value, $1.label.rawValue) }
            n.addresses.sort { $0.oneLine < $1.oneLine }
            n.categories.sort()
            return n
        }.sorted { $0.rawContentHash.value < $1.rawContentHash.value }
    }
}

public enum Sample {
    public static func person(_ given: String, _ family: String, email: String? = nil, phone: String? = nil,
                              org: String? = nil) -> Contact {
        Contact(
            givenName: given, familyName: family, organization: org,
            emails: email.map { [LabeledValue($0, label: .work)] } ?? [],
            phones: phone.map { [LabeledValue($0, label: .mobile)] } ?? [])
    }
}
