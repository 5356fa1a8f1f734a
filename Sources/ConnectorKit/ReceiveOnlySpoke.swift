import SyncModel

/// A spoke that receives the hub's contacts and gives nothing back (a member's "Company
/// Directory" folder set to receive only): what its user edits, adds or deletes there never
/// reaches the hub, and the hub's next change to a contact is written over the user's edit.
///
/// Done as a wrapper, without the engine knowing: the pull reports the hub's own contacts as
/// unchanged (present, nothing to merge), drops contacts the user made and deletions, and
/// proves no deletion by absence; writes go without the remote version, so a user's edit is
/// overwritten instead of being a conflict to merge. Contacts the hub created and lost track
/// of (a crash mid-create: they carry the hub's marker) still come through, to be linked.
public struct ReceiveOnlyItemSpoke<Item: KindedItem>: ItemConnector {
    let inner: any ItemConnector<Item>
    public init<Inner: ItemConnector>(_ inner: Inner) where Inner.Item == Item { self.inner = inner }

    public var capabilities: Set<Item.Field>? { inner.capabilities }
    public var fit: (@Sendable (Item) -> Item)? { inner.fit }
    public var maxBatch: Int { inner.maxBatch }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Item> {
        try await pull(since: cursor, page: page, known: .none)
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> ItemPullPage<Item> {
        var p = try await inner.pull(since: cursor, page: page, known: known)
        let upserts = p.changes.compactMap { if case .upsert(let r) = $0 { r } else { nil } }
        let linked = try await known(upserts.map(\.id))
        p.changes = upserts.filter { linked[$0.id] == nil && $0.marker != nil }.map { .upsert($0) }
        p.unchanged += upserts.map(\.id).filter { linked[$0] != nil }
        // An absence is not taken as a deletion either: the user's deletions stay theirs.
        if p.mode == .full { p.incomplete = true }
        return p
    }

    public func cursor(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        try await inner.cursor(after: cursor, writes: writes)
    }

    public func write(_ ops: [ItemWriteOp<Item>]) async throws -> [WriteOutcome] {
        try await inner.write(ops.map { op in
            switch op {
            case .create: op
            case .update(let id, _, let c): .update(id, nil, c)
            case .delete(let id, _): .delete(id, nil)
            }
        })
    }

    public func fetch(_ id: RemoteID) async throws -> Remote<Item>? { try await inner.fetch(id) }
    public func find(marker: CreateMarker) async throws -> Remote<Item>? { try await inner.find(marker: marker) }
}

/// A receive-only contact spoke (the contact spelling).
public typealias ReceiveOnlySpoke = ReceiveOnlyItemSpoke<Contact>

extension ReceiveOnlyItemSpoke: SpokeConnector where Item == Contact {}
