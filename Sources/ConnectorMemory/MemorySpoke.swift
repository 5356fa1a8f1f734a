import Foundation
import Synchronization
import ConnectorKit
import SyncModel

/// An address book held in memory, with a change log for incremental pulls. It stands in for a
/// real source in tests, the benchmark and the demo; `userUpsert`/`userDelete` are edits made
/// "by a person" in that source. Faults are injected through `hook`.
public final class MemoryItemSpoke<Item: MemoryStorable>: ItemConnector {
    public enum Operation: Hashable, Sendable {
        case pull, write(ItemWriteOp<Item>), fetch(RemoteID), find(CreateMarker)
    }
    public enum Phase: Hashable, Sendable { case before, after }

    public struct Entry: Hashable, Sendable {
        /// Held encoded, as a server holds serialised cards: a 100k-item spoke stays small.
        var data: [UInt8]
        public var version: RemoteVersion
        public var modifiedAt: Date
        public var marker: CreateMarker?
        public var item: Item { Item.memoryDecode(data) }
    }

    struct State {
        var items: [RemoteID: Entry] = [:]
        /// Last change sequence of each id (present or deleted).
        var changed: [RemoteID: Int] = [:]
        /// The id changed at each sequence number (`log[seq - 1]`): incremental pulls scan from
        /// the cursor instead of sorting every change.
        var log: [RemoteID] = []
        /// Ids in order for full listings; nil after an id came or went.
        var sorted: [RemoteID]?
        var seq = 0
        var nextID = 0
        /// Cursors below this are expired.
        var oldestValidCursor = 0
        var requests = 0
        /// The next pull lists nothing (see `glitchNextPull`).
        var glitch = false
    }

    private let state = Mutex(State())
    public let name: String
    public let pageSize: Int
    public let maxBatch: Int
    public let capabilities: Set<Item.Field>?
    /// When true, a create whose marker already exists returns that item (like CardDAV, where the
    /// resource name is the hub's uid); when false, creates are not idempotent (like EWS).
    public let idempotentCreates: Bool
    private let clock: @Sendable () -> Date
    private let hookBox = Mutex<(@Sendable (Operation, Phase) throws -> Void)?>(nil)

    public init(
        name: String = "memory", pageSize: Int = 500, maxBatch: Int = 100, capabilities: Set<Item.Field>? = nil,
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
    public func userUpsert(_ contact: Item, id: RemoteID? = nil) -> RemoteID {
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
            Self.remove(&s, id)
        }
    }

    /// Makes every cursor handed out so far invalid (as a server forgetting sync state).
    public func expireCursors() { state.withLock { $0.oldestValidCursor = $0.seq + 1 } }

    /// The next pull answers a full listing with no items and a fresh cursor, as a CardDAV server
    /// that refused the sync token and then listed an empty collection, once.
    public func glitchNextPull() { state.withLock { $0.glitch = true } }

    public var entries: [RemoteID: Entry] { state.withLock { $0.items } }
    public var items: [Item] { state.withLock { $0.items.values.map(\.item) } }
    public func item(_ id: RemoteID) -> Item? { state.withLock { $0.items[id]?.item } }
    public var count: Int { state.withLock { $0.items.count } }
    /// Connector calls served (pull pages, write batches, fetches, finds).
    public var requests: Int { state.withLock { $0.requests } }

    private static func newID(_ s: inout State) -> RemoteID {
        s.nextID += 1
        return RemoteID("m\(s.nextID)")
    }

    private static func put(_ s: inout State, _ id: RemoteID, _ c: Item, _ now: Date, _ marker: CreateMarker?) {
        touch(&s, id)
        let entry = Entry(data: Item.memoryEncode(c), version: RemoteVersion("v\(s.seq)"), modifiedAt: now, marker: marker)
        if s.items.updateValue(entry, forKey: id) == nil { s.sorted = nil }
    }

    private static func remove(_ s: inout State, _ id: RemoteID) {
        guard s.items.removeValue(forKey: id) != nil else { return }
        touch(&s, id)
        s.sorted = nil
    }

    private static func touch(_ s: inout State, _ id: RemoteID) {
        s.seq += 1
        s.changed[id] = s.seq
        s.log.append(id)
    }

    private static func item(_ id: RemoteID, _ e: Entry) -> Remote<Item> {
        Remote(id: id, version: e.version, item: e.item, modifiedAt: e.modifiedAt, marker: e.marker)
    }

    // MARK: SpokeConnector

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Item> {
        try hook(.pull, .before)
        let result = state.withLock { s -> ItemPullPage<Item> in
            s.requests += 1
            if s.glitch {
                s.glitch = false
                return ItemPullPage(mode: .full, changes: [], cursor: SpokeCursor(String(s.seq)), total: 0)
            }
            // Page token: "<high water>:<position>"; the high water becomes the next cursor.
            let parts = page?.rawValue.split(separator: ":").compactMap { Int($0) } ?? []
            let high = parts.count == 2 ? parts[0] : s.seq
            let position = parts.count == 2 ? parts[1] : 0
            let since = cursor.flatMap { Int($0.rawValue) }
            if let since, since >= s.oldestValidCursor {
                // The log from the cursor up to the high water; an id counts at its last change.
                var i = max(position, since)
                var changes: [ItemChange<Item>] = []
                while i < high && changes.count < pageSize {
                    let id = s.log[i]
                    i += 1
                    guard s.changed[id] == i else { continue }
                    changes.append(s.items[id].map { .upsert(Self.item(id, $0)) } ?? .delete(id))
                }
                return ItemPullPage(
                    mode: .incremental, changes: changes, next: i < high ? PageToken("\(high):\(i)") : nil,
                    cursor: SpokeCursor(String(high)), total: high - since)
            }
            if s.sorted == nil { s.sorted = s.items.keys.sorted() }
            let ids = s.sorted!
            let slice = ids.dropFirst(position).prefix(pageSize)
            let more = position + slice.count < ids.count
            return ItemPullPage(
                mode: .full, changes: slice.map { .upsert(Self.item($0, s.items[$0]!)) },
                next: more ? PageToken("\(high):\(position + slice.count)") : nil,
                cursor: SpokeCursor(String(high)), total: ids.count)
        }
        try hook(.pull, .after)
        return result
    }

    public func write(_ ops: [ItemWriteOp<Item>]) async throws -> [WriteOutcome] {
        state.withLock { $0.requests += 1 }
        var out: [WriteOutcome] = []
        for op in ops {
            try hook(.write(op), .before)
            out.append(apply(op))
            try hook(.write(op), .after)
        }
        return out
    }

    private func apply(_ op: ItemWriteOp<Item>) -> WriteOutcome {
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
                Self.remove(&s, id)
                return .deleted
            }
        }
    }

    public func fetch(_ id: RemoteID) async throws -> Remote<Item>? {
        try hook(.fetch(id), .before)
        let r = state.withLock { s in
            s.requests += 1
            return s.items[id].map { Self.item(id, $0) }
        }
        try hook(.fetch(id), .after)
        return r
    }

    public func find(marker: CreateMarker) async throws -> Remote<Item>? {
        try hook(.find(marker), .before)
        let r = state.withLock { s in
            s.requests += 1
            return s.items.first { $0.value.marker == marker }.map { Self.item($0.key, $0.value) }
        }
        try hook(.find(marker), .after)
        return r
    }
}

/// The address book the tests, the benchmark and the demo use.
public typealias MemorySpoke = MemoryItemSpoke<Contact>

extension MemoryItemSpoke: SpokeConnector where Item == Contact {}

extension MemoryItemSpoke where Item == Contact {
    public var contacts: [Contact] { items }
    public func contact(_ id: RemoteID) -> Contact? { item(id) }
}

extension MemoryItemSpoke.Entry where Item == Contact {
    public var contact: Contact { item }
}

/// How a memory spoke holds an item: serialised, as a server holds it.
public protocol MemoryStorable: KindedItem {
    static func memoryEncode(_ item: Self) -> [UInt8]
    static func memoryDecode(_ bytes: [UInt8]) -> Self
}

extension Contact: MemoryStorable {
    public static func memoryEncode(_ item: Contact) -> [UInt8] {
        var c = item
        c.custom = c.custom.filter { !$0.value.isEmpty }  // an empty value: a mapped field the hub cleared
        return ContactCodec.encode(c)
    }
    public static func memoryDecode(_ bytes: [UInt8]) -> Contact { (try? ContactCodec.decode(bytes)) ?? Contact() }
}

extension Event: MemoryStorable {
    public static func memoryEncode(_ item: Event) -> [UInt8] { Array((try? JSONEncoder().encode(item)) ?? Data()) }
    public static func memoryDecode(_ bytes: [UInt8]) -> Event {
        (try? JSONDecoder().decode(Event.self, from: Data(bytes))) ?? .empty
    }
}
