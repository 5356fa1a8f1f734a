import SyncModel

/// A spoke set aside (a mailbox whose owner left the group that brought it in): it answers
/// every pull with "nothing changed" and keeps its cursor, takes no writes, and never touches
/// the network. Its links and the contacts in its source stay as they are, so resuming it
/// later goes on from where it stopped, with nothing re-matched.
public struct PausedItemSpoke<Item: KindedItem>: ItemConnector {
    public let reason: String
    public init(reason: String) { self.reason = reason }

    public var readOnly: Bool { true }
    public var capabilities: Set<Item.Field>? { nil }
    public var maxBatch: Int { 1 }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Item> {
        // Incremental with no changes: nothing is read as deleted, and the cursor stays.
        ItemPullPage(mode: .incremental, changes: [], cursor: cursor)
    }

    public func write(_ ops: [ItemWriteOp<Item>]) async throws -> [WriteOutcome] {
        ops.map { _ in .failed(ItemError(remoteID: nil, message: "the spoke is paused: \(reason)")) }
    }

    public func fetch(_ id: RemoteID) async throws -> Remote<Item>? {
        throw ConnectorError(.unavailable, "the spoke is paused: \(reason)")
    }

    public func find(marker: CreateMarker) async throws -> Remote<Item>? {
        throw ConnectorError(.unavailable, "the spoke is paused: \(reason)")
    }
}

/// A paused contact spoke (the contact spelling).
public typealias PausedSpoke = PausedItemSpoke<Contact>

extension PausedItemSpoke: SpokeConnector where Item == Contact {}
