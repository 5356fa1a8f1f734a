import Foundation
import ConnectorHTTP
import ConnectorKit
import Logging
import PIMFormats
import SyncModel

public struct CardDAVSettings: Sendable {
    /// The address book (see `Discovery` to find it from a server URL).
    public var url: URL
    /// Cards per addressbook-multiget.
    public var multigetBatch: Int
    /// The version of the cards the hub creates; nil = the server's first preference, else 3.0.
    public var version: VCardVersion?
    /// Below this many writes in a pass, their echo is cheaper to take in with the next pull
    /// than to skip with a request of its own (a walk of the whole collection on servers such as
    /// Radicale). Above it (an initial copy) the skip saves carrying every card back.
    public var echoSkipMinimum: Int

    public init(url: URL, multigetBatch: Int = 250, version: VCardVersion? = nil, echoSkipMinimum: Int = 500) {
        self.url = url
        self.multigetBatch = multigetBatch
        self.version = version
        self.echoSkipMinimum = echoSkipMinimum
    }
}

/// A CardDAV address book (RFC 6352) as a spoke. Remote ids are resource paths, versions ETags.
/// Pulls use sync-collection (RFC 6578) where the server has it, else a getetag listing; either
/// way only bodies whose ETag moved are fetched, with addressbook-multiget.
public actor CardDAVSpoke: SpokeConnector {
    public nonisolated var capabilities: Set<ContactField>? { nil }
    public nonisolated var fit: (@Sendable (Contact) -> Contact)? { VCardFit.fit }
    public nonisolated let maxBatch: Int
    let settings: CardDAVSettings
    let session: DAVSession
    let paths: DAVPaths
    let logger: Logger
    /// The collection's description, read once per instance when a step needs it.
    var book: AddressBook?
    /// Listings being paged through.
    var pages = ListingPages()
    var dav: DAVCollection { DAVCollection(session: session, paths: paths, flavor: .card) }
    /// The server, as errors name it.
    nonisolated var server: String { ServerName.of(settings.url) }

    public init(settings: CardDAVSettings, http: HTTPClient, logger: Logger = HTTPClient.silent) throws {
        self.settings = settings
        self.session = DAVSession(http: http)
        self.paths = try DAVPaths(collection: settings.url)
        self.logger = logger
        self.maxBatch = max(settings.multigetBatch, 1)
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await pull(since: cursor, page: page, known: .none)
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        try await ConnectorError.naming(server: server) { try await self.pullHere(since: cursor, page: page, known: known) }
    }

    private func pullHere(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        let (gen, index) = if let page {
            try pages.position(of: page)
        } else {
            (pages.start(try await list(since: cursor, known: known)), 0)
        }
        let listing = pages[gen]
        let batch = listing.batch(index, size: settings.multigetBatch)
        var got = try await multiget(batch.filter { listing.inline[$0] == nil })
        // Cards that came with the listing are read page by page, like fetched ones.
        for id in batch {
            guard let card = listing.inline[id] else { continue }
            got.add(id, CardMapping.parse(id, card.text, on: paths.server), etag: card.etag, text: card.text)
            pages.dropInline(id, gen: gen)
        }
        var changes = got.cards.filter { !CardMapping.isGroup($0.value.0) }.map {
            RemoteChange.upsert(CardMapping.item($0.key, etag: $0.value.1, card: $0.value.0, text: got.texts[$0.key]))
        }
        if index == 0 { changes += listing.deleted.map(RemoteChange.delete) }
        // Gone between the listing and the fetch: in a full listing, absence says it already.
        if listing.mode == .incremental { changes += got.gone.map(RemoteChange.delete) }
        let next = pages.next(after: index, gen: gen, batch: settings.multigetBatch)
        return PullPage(
            mode: listing.mode, changes: changes, errors: got.errors + got.skipped, next: next,
            cursor: listing.cursor, total: listing.fetch.count, unchanged: index == 0 ? listing.unchanged : [])
    }

    public func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        try await ConnectorError.naming(server: server) { try await self.writeHere(ops) }
    }

    private func writeHere(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        // Updates rewrite the whole card, keeping what the hub does not know: read the cards
        // first, in one multiget per batch; cards known to hold nothing else need no read.
        let updates = ops.compactMap { op -> RemoteID? in
            guard case .update(let id, let v, _) = op, v.map(DAVVersion.init)?.plain == nil else { return nil }
            return id
        }
        var current = Fetched()
        for chunk in updates.chunked(settings.multigetBatch) { current.merge(try await multiget(Array(chunk))) }
        let version = ops.contains { if case .create = $0 { true } else { false } } ? try await createVersion() : .v3
        let fetched = current
        return try await withThrowingTaskGroup(of: (Int, WriteOutcome).self) { group in
            for (i, op) in ops.enumerated() {
                group.addTask { (i, try await self.apply(op, current: fetched, version: version)) }
            }
            var out = [WriteOutcome](repeating: .notFound, count: ops.count)
            for try await (i, outcome) in group { out[i] = outcome }
            return out
        }
    }

    public func cursor(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        try await ConnectorError.naming(server: server) { try await self.cursorHere(after: cursor, writes: writes) }
    }

    private func cursorHere(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        guard writes.count >= settings.echoSkipMinimum, case .sync(let token)? = cursor.flatMap(DAVCursor.init) else {
            return nil
        }
        let ours = writes.compactMapValues { $0 }
        let known = KnownVersions { ids in
            Dictionary(uniqueKeysWithValues: ids.compactMap { id in ours[id].map { (id, $0) } })
        }
        guard let l = try await syncListing(token: token, known: known, cards: false) else { return nil }
        // Only our writes, each at the version we wrote, and only our deletions.
        guard l.fetch.isEmpty, l.deleted.allSatisfy({ writes[$0] == .some(nil) }) else { return nil }
        return l.cursor
    }

    public func fetch(_ id: RemoteID) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.fetchHere(id) }
    }

    private func fetchHere(_ id: RemoteID) async throws -> RemoteItem? {
        let got = try await multiget([id])
        if let e = got.errors.first { throw ConnectorError(.protocolViolation, e.description) }
        return got.cards[id].map { CardMapping.item(id, etag: $0.1, card: $0.0, text: got.texts[id]) }
    }

    public func find(marker: CreateMarker) async throws -> RemoteItem? {
        try await fetch(paths.resource(for: marker))
    }

    /// The collection as the server describes it.
    public func describe() async throws -> AddressBook { try await describe(props: DAVBody.collectionProps) }

    func describe(props: Data) async throws -> AddressBook {
        let b = try await Discovery.describe(paths.collectionURL, session, props: props)
        book = b
        return b
    }

    private func createVersion() async throws -> VCardVersion {
        if let v = settings.version { return v }
        if let b = book { return b.versions.first ?? .v3 }
        return try await describe().versions.first ?? .v3
    }
}
