import Foundation
import Synchronization
import ConnectorKit
import SyncModel

/// An address book held in memory, with a change log for incremental pulls. It stands in for a
/// real source in tests, the benchmark and the demo; `userUpsert`/`userDelete` are edits made
/// "by a person" in that source. Faults are injected through `hook`.
public final class MemorySpoke: SpokeConnector {
    public enum Operation: Hashable, Sendable {
        case pull, write(WriteOp), fetch(RemoteID), find(CreateMarker)
    }
    public enum Phase: Hashable, Sendable { case before, after }

    public struct Entry: Hashable, Sendable {
        public var contact: Contact
        public var version: RemoteVersion
        public var modifiedAt: Date
        public var marker: CreateMarker?
    }

    struct State {
        var items: [RemoteID: Entry] = [:]
        /// Last change sequence of each id (present or deleted).
        var changed: [RemoteID: Int] = [:]
        var seq = 0
        var nextID = 0
        /// Cursors below this are expired.
        var oldestValidCursor = 0
        var requests = 0
    }

    private let state = Mutex(State())
    public let name: String
    public let pageSize: Int
    public let maxBatch: Int
    public let capabilities: Set<ContactField>?
    /// When true, a create whose marker already exists returns that item (like CardDAV, where the
    /// resource name is the hub's uid); when false, creates are not idempotent (like EWS).
    public let idempotentCreates: Bool
    private let clock: @Sendable () -> Date
    private let hookBox = Mutex<(@Sendable (Operation, Phase) throws -> Void)?>(nil)

    public init(
        name: String = "memory", pageSize: Int = 500, maxBatch: Int = 100, capabilities: Set<ContactField>? = nil,
        idempotentCreates: Bool = false, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.name = name
        self.pageSize = pageSize
        self.maxBatch = maxBatch
        self.capabilities = capabilities
        self.idempotentCreates = idempotentCreates
        self.clock = clock
    }

    /// Called before and after every connector operation; throw to inject a fault or a crash.
    public func setHook(_ hook: (@Sendable (Operation, Phase) throws -> Void)?) { hookBox.withLock { $0 = hook } }

    private func hook(_ op: Operation, _ phase: Phase) throws {
        let h = hookBox.withLock { $0 }
        try h?(op, phase)
    }

    // MARK: edits made in the source itself

    @discardableResult
    public func userUpsert(_ contact: Contact, id: RemoteID? = nil) -> RemoteID {
        let now = clock()
        return state.withLock { s in
            let id = id ?? Self.newID(&s)
            let marker = s.items[id]?.marker
            Self.put(&s, id, contact, now, marker)
            return id
        }
    }

    public func userDelete(_ id: RemoteID) {
        state.withLock { s in
            guard s.items.removeValue(forKey: id) != nil else { return }
            s.seq += 1
            s.changed[id] = s.seq
        }
    }

    /// Makes every cursor handed out so far invalid (as a server forgetting sync state).
    public func expireCursors() { state.withLock { $0.oldestValidCursor = $0.seq + 1 } }

    public var entries: [RemoteID: Entry] { state.withLock { $0.items } }
    public var contacts: [Contact] { state.withLock { $0.items.values.map(\.contact) } }
    public var count: Int { state.withLock { $0.items.count } }
    /// Connector calls served (pull pages, write batches, fetches, finds).
    public var requests: Int { state.withLock { $0.requests } }

    private static func newID(_ s: inout State) -> RemoteID {
        s.nextID += 1
        return RemoteID("m\(s.nextID)")
    }

    private static func put(_ s: inout State, _ id: RemoteID, _ c: Contact, _ now: Date, _ marker: CreateMarker?) {
        s.seq += 1
        s.changed[id] = s.seq
        s.items[id] = Entry(contact: c, version: RemoteVersion("v\(s.seq)"), modifiedAt: now, marker: marker)
    }

    private static func item(_ id: RemoteID, _ e: Entry) -> RemoteItem {
        RemoteItem(id: id, version: e.version, contact: e.contact, modifiedAt: e.modifiedAt, marker: e.marker)
    }

    // MARK: SpokeConnector

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try hook(.pull, .before)
        let result = state.withLock { s -> PullPage in
            s.requests += 1
            // Page token: "<high water>:<position>"; the high water becomes the next cursor.
            let parts = page?.rawValue.split(separator: ":").compactMap { Int($0) } ?? []
            let high = parts.count == 2 ? parts[0] : s.seq
            let position = parts.count == 2 ? parts[1] : 0
            let since = cursor.flatMap { Int($0.rawValue) }
            if let since, since >= s.oldestValidCursor {
                let ids = s.changed.filter { $0.value > since && $0.value <= high }
                    .sorted { $0.value < $1.value }.map(\.key)
                let slice = ids.dropFirst(position).prefix(pageSize)
                let changes: [RemoteChange] = slice.map { id in
                    s.items[id].map { .upsert(Self.item(id, $0)) } ?? .delete(id)
                }
                let more = position + slice.count < ids.count
                return PullPage(
                    mode: .incremental, changes: changes,
                    next: more ? PageToken("\(high):\(position + slice.count)") : nil,
                    cursor: SpokeCursor(String(high)), total: ids.count)
            }
            let ids = s.items.keys.sorted()
            let slice = ids.dropFirst(position).prefix(pageSize)
            let more = position + slice.count < ids.count
            return PullPage(
                mode: .full, changes: slice.map { .upsert(Self.item($0, s.items[$0]!)) },
                next: more ? PageToken("\(high):\(position + slice.count)") : nil,
                cursor: SpokeCursor(String(high)), total: ids.count)
        }
        try hook(.pull, .after)
        return result
    }

    public func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        state.withLock { $0.requests += 1 }
        var out: [WriteOutcome] = []
        for op in ops {
            try hook(.write(op), .before)
            out.append(apply(op))
            try hook(.write(op), .after)
        }
        return out
    }

    private func apply(_ op: WriteOp) -> WriteOutcome {
        let now = clock()
        return state.withLock { s in
            switch op {
            case .create(let c, let marker):
                if idempotentCreates, let (id, e) = s.items.first(where: { $0.value.marker == marker }) {
                    return .created(id, e.version)
                }
                let id = Self.newID(&s)
                Self.put(&s, id, c, now, marker)
                return .created(id, s.items[id]!.version)
            case .update(let id, let v, let c):
                guard let e = s.items[id] else { return .notFound }
                if let v, v != e.version { return .conflict }
                Self.put(&s, id, c, now, e.marker)
                return .updated(s.items[id]!.version)
            case .delete(let id, let v):
                guard let e = s.items[id] else { return .notFound }
                if let v, v != e.version { return .conflict }
                s.items[id] = nil
                s.seq += 1
                s.changed[id] = s.seq
                return .deleted
            }
        }
    }

    public func fetch(_ id: RemoteID) async throws -> RemoteItem? {
        try hook(.fetch(id), .before)
        let r = state.withLock { s in
            s.requests += 1
            return s.items[id].map { Self.item(id, $0) }
        }
        try hook(.fetch(id), .after)
        return r
    }

    public func find(marker: CreateMarker) async throws -> RemoteItem? {
        try hook(.find(marker), .before)
        let r = state.withLock { s in
            s.requests += 1
            return s.items.first { $0.value.marker == marker }.map { Self.item($0.key, $0.value) }
        }
        try hook(.find(marker), .after)
        return r
    }
}
