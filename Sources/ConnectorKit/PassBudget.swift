import SyncModel
import Synchronization

/// A spoke within a time budget for one pass: its first call starts the clock, and a call still
/// running when the budget is spent is cancelled and fails the spoke ("too slow"), so one stuck
/// server cannot hold the pass (and the hub's lock) while the other spokes wait. Made afresh
/// for each pass by whoever makes the connectors.
public final class ItemPassBudget<Item: KindedItem>: ItemConnector {
    let inner: any ItemConnector<Item>
    let budget: Duration
    let name: String
    /// Waits out what is left of the budget (injected by tests).
    let timer: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> ContinuousClock.Instant
    private let started = Mutex<ContinuousClock.Instant?>(nil)

    public init<Inner: ItemConnector>(
        _ inner: Inner, budget: Duration, name: String,
        timer: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) where Inner.Item == Item {
        self.inner = inner
        self.budget = budget
        self.name = name
        self.timer = timer
        self.now = now
    }

    public var capabilities: Set<Item.Field>? { inner.capabilities }
    public var fit: (@Sendable (Item) -> Item)? { inner.fit }
    public var maxBatch: Int { inner.maxBatch }
    public var readOnly: Bool { inner.readOnly }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Item> {
        try await within { [inner] in try await inner.pull(since: cursor, page: page) }
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> ItemPullPage<Item> {
        try await within { [inner] in try await inner.pull(since: cursor, page: page, known: known) }
    }

    public func cursor(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        try await within { [inner] in try await inner.cursor(after: cursor, writes: writes) }
    }

    public func write(_ ops: [ItemWriteOp<Item>]) async throws -> [WriteOutcome] {
        try await within { [inner] in try await inner.write(ops) }
    }

    public func fetch(_ id: RemoteID) async throws -> Remote<Item>? {
        try await within { [inner] in try await inner.fetch(id) }
    }

    public func find(marker: CreateMarker) async throws -> Remote<Item>? {
        try await within { [inner] in try await inner.find(marker: marker) }
    }

    private func within<T: Sendable>(_ call: @escaping @Sendable () async throws -> T) async throws -> T {
        let now = self.now()
        let start = started.withLock { s in
            if s == nil { s = now }
            return s!
        }
        let left = budget - (now - start)
        let spent = ConnectorError(.unavailable, "\(name) is too slow: its part of the sync took more than "
            + "\(budget.components.seconds) s and was stopped; the other spokes went on")
        guard left > .zero else { throw spent }
        let timer = self.timer
        guard let value = try await firstBefore({ try await timer(left) }, call) else { throw spent }
        return value
    }
}

/// A contact spoke within a time budget (the contact spelling).
public typealias PassBudget = ItemPassBudget<Contact>

extension ItemPassBudget: SpokeConnector where Item == Contact {}
