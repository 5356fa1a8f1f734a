import Foundation
import SyncModel

/// The one error type of connectors. The engine treats it as the spoke's failure for this pass
/// (recorded, the other spokes go on); any other error aborts the pass as a crash would.
///
/// Its text is for an admin: which server, which request, what went wrong, in plain words.
/// `kind` is for code (retry or not, which form field to point at) and is never shown.
public struct ConnectorError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Network, 5xx after retries, throttled past the budget: try again next pass.
        case unavailable
        /// Wrong password, expired grant.
        case unauthorized
        /// The settings cannot work (bad URL, unknown folder, wrong version).
        case misconfigured
        /// The remote broke the protocol.
        case protocolViolation
    }
    public var kind: Kind
    /// What went wrong, in plain words (without the server and request, which are kept apart).
    public var message: String
    /// The server asked, as `scheme://host[:port]` (see `ServerName`): never credentials, a
    /// path or a query.
    public var server: String?
    /// The request that failed, as an admin can look it up: "REPORT /dav/book/",
    /// "EWS SyncFolderItems", "GET /v1/people/me/connections".
    public var request: String?

    public init(_ kind: Kind, _ message: String, server: String? = nil, request: String? = nil) {
        self.kind = kind
        self.message = message
        self.server = server
        self.request = request
    }

    /// The same error with where it happened filled in; what a deeper layer already said wins
    /// (the HTTP client knows the exact request; a connector knows the operation around it).
    public func at(server: String?, request: String? = nil) -> ConnectorError {
        var e = self
        if e.server == nil { e.server = server }
        if e.request == nil { e.request = request }
        return e
    }

    /// Runs `body`; a `ConnectorError` it throws names `server` (and `request`) unless it already
    /// names its own. A spoke wraps its entry points in it, so no failure leaves the spoke
    /// without saying which server it was.
    public static func naming<T>(
        server: String, request: String? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let e as ConnectorError {
            throw e.at(server: server, request: request)
        }
    }

    public var description: String {
        switch (server, request) {
        case let (server?, request?): "the server at \(server) (\(request)): \(message)"
        case let (server?, nil): "the server at \(server): \(message)"
        case let (nil, request?): "\(request): \(message)"
        case (nil, nil): message
        }
    }
}

/// How a server is named in texts for admins and in logs: `scheme://host[:port]`, so neither a
/// user name and password written into the URL nor a token in its query is ever shown.
public enum ServerName {
    public static func of(_ url: URL) -> String {
        guard let host = url.host, !host.isEmpty else { return "(an address without a host)" }
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(url.scheme ?? "http")://\(shown)" + (url.port.map { ":\($0)" } ?? "")
    }
}

/// One item the spoke could not give or take; the rest of the pass goes on.
public struct ItemError: Error, Hashable, Sendable, CustomStringConvertible {
    public var remoteID: RemoteID?
    public var message: String
    public init(remoteID: RemoteID?, message: String) {
        self.remoteID = remoteID
        self.message = message
    }
    public var description: String { remoteID.map { "\($0): \(message)" } ?? message }
}

public enum ItemChange<Item: KindedItem>: Hashable, Sendable {
    case upsert(Remote<Item>)
    case delete(RemoteID)
}

public typealias RemoteChange = ItemChange<Contact>

public struct PageToken: Hashable, Sendable {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
}

public typealias PullPage = ItemPullPage<Contact>

public struct ItemPullPage<Item: KindedItem>: Sendable {
    public enum Mode: Hashable, Sendable {
        /// Changes since the cursor.
        case incremental
        /// A full listing (no cursor, or the cursor expired): every item is in some page, and an
        /// item linked but absent from all pages was deleted.
        case full
    }
    public var mode: Mode
    public var changes: [ItemChange<Item>]
    public var errors: [ItemError]
    /// More pages follow.
    public var next: PageToken?
    /// The cursor to save once the last page is applied.
    public var cursor: SpokeCursor?
    /// How many changes the whole pull holds, when the source says (for progress only).
    public var total: Int?
    /// Items present at the version the hub already holds (see `KnownVersions`): listed, not
    /// fetched. In a full listing they count as present.
    public var unchanged: [RemoteID]
    /// This page is known to miss items the source holds (a listing cut short by a size or
    /// resource limit, entries that could not be read and have no id to report in `errors`).
    /// Then a full listing proves no deletion: an item absent from it is not taken as deleted.
    /// (An unreadable item that has an id goes in `errors`, and counts as present.)
    public var incomplete: Bool

    public init(
        mode: Mode, changes: [ItemChange<Item>], errors: [ItemError] = [], next: PageToken? = nil, cursor: SpokeCursor?,
        total: Int? = nil, unchanged: [RemoteID] = [], incomplete: Bool = false
    ) {
        self.unchanged = unchanged
        self.incomplete = incomplete
        self.mode = mode
        self.changes = changes
        self.errors = errors
        self.next = next
        self.cursor = cursor
        self.total = total
    }
}

public enum ItemWriteOp<Item: KindedItem>: Hashable, Sendable {
    case create(Item, CreateMarker)
    case update(RemoteID, RemoteVersion?, Item)
    case delete(RemoteID, RemoteVersion?)
}

public typealias WriteOp = ItemWriteOp<Contact>

public enum WriteOutcome: Hashable, Sendable {
    case created(RemoteID, RemoteVersion?)
    case updated(RemoteVersion?)
    case deleted
    /// The concurrency token was stale: re-pull and merge.
    case conflict
    case notFound
    case failed(ItemError)
}

/// The versions the hub holds of a spoke's items (those it has linked). A source whose listing
/// is cheap but whose bodies are dear (CardDAV without a usable sync token) asks, and fetches only
/// the bodies whose version moved.
public struct KnownVersions: Sendable {
    private let lookup: @Sendable ([RemoteID]) async throws -> [RemoteID: RemoteVersion]
    /// The hub holds none of the spoke's items (a first sync): every body is needed, so a source
    /// may send them with the listing itself instead of asking for them afterwards.
    public let knowsNothing: Bool
    public init(_ lookup: @escaping @Sendable ([RemoteID]) async throws -> [RemoteID: RemoteVersion]) {
        self.lookup = lookup
        knowsNothing = false
    }
    private init(nothing: Void) {
        lookup = { _ in [:] }
        knowsNothing = true
    }
    public func callAsFunction(_ ids: [RemoteID]) async throws -> [RemoteID: RemoteVersion] { try await lookup(ids) }
    /// Knows nothing: every body is fetched.
    public static let none = KnownVersions(nothing: ())
}

/// A source of items of one kind: transport + mapping, no sync decisions. The engine is
/// written once over it; a contact source is a `SpokeConnector`, a calendar source an
/// `ItemConnector<Event>`.
public protocol ItemConnector<Item>: Sendable {
    associatedtype Item: KindedItem
    /// The fields the source can hold (nil = all).
    var capabilities: Set<Item.Field>? { get }
    /// What the source keeps of an item it is given (fixed slots, fewer labels), for sources
    /// that cannot hold every item whole; nil when it keeps all. Pure: no I/O.
    var fit: (@Sendable (Item) -> Item)? { get }
    /// The most write ops the engine hands over at once.
    var maxBatch: Int { get }
    /// The source only feeds the hub (a tenant's directory, a paused mailbox): the engine never
    /// plans a create, update or delete for it, whatever the spoke's options say.
    var readOnly: Bool { get }
    /// Changes since `cursor` (nil = full listing), page by page.
    func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Item>
    /// The same, for sources that can skip fetching what the hub already holds.
    func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> ItemPullPage<Item>
    /// After the hub wrote to the source: a cursor past those writes when nothing else changed
    /// since `cursor`, so the next pull does not carry them back (nil = keep the cursor; the
    /// next pull sees the writes and skips them by version). `writes` maps each remote id the
    /// pass wrote to its new version, or to nil when the pass deleted it.
    func cursor(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor?
    /// Applies the ops; one outcome per op, in order. Throws only when the whole batch failed.
    /// An update carries the fields the hub maps to this source; what the source holds beyond
    /// them (properties the hub does not know, custom fields it does not map) must be kept. A
    /// custom field with an empty value is one the hub maps and has cleared: it must go.
    func write(_ ops: [ItemWriteOp<Item>]) async throws -> [WriteOutcome]
    /// One item now (nil = gone): after a conflict.
    func fetch(_ id: RemoteID) async throws -> Remote<Item>?
    /// The item a create with this marker made, if any: after a crash mid-create.
    func find(marker: CreateMarker) async throws -> Remote<Item>?
}

/// A source of contacts (every connector before calendars).
public protocol SpokeConnector: ItemConnector where Item == Contact {}

extension ItemConnector {
    public var fit: (@Sendable (Item) -> Item)? { nil }
    public var readOnly: Bool { false }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> ItemPullPage<Item> {
        try await pull(since: cursor, page: page)
    }

    public func cursor(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        nil
    }
}

extension ItemWriteOp {
    /// For logs: the kind and remote id, never the content.
    public var name: String {
        switch self {
        case .create(_, let m): "create \(m)"
        case .update(let id, _, _): "update \(id)"
        case .delete(let id, _): "delete \(id)"
        }
    }
}

extension WriteOutcome {
    public var name: String {
        switch self {
        case .created(let id, _): "created \(id)"
        case .updated: "updated"
        case .deleted: "deleted"
        case .conflict: "conflict"
        case .notFound: "notFound"
        case .failed: "failed"
        }
    }
}
