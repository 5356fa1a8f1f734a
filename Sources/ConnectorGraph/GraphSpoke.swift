import ConnectorHTTP
import ConnectorKit
import Foundation
import Logging
import SyncModel

/// A Microsoft 365 mailbox's contacts folder as a spoke: contact delta with the whole deltaLink
/// as the cursor, `$batch` writes guarded by etags, a single-value extended property marking
/// what the hub created.
public struct GraphSpoke: SpokeConnector {
    let api: GraphAPI
    let settings: GraphSettings
    let logger: Logger

    /// `http` carries the mailbox's bearer auth (`GraphTokenSource.auth`) and at most 4 requests
    /// at a time (`Mailboxes.client`); `budget` is the mailbox's (shared by its folders' spokes).
    public init(settings: GraphSettings, http: HTTPClient, budget: RequestBudget? = nil, logger: Logger = HTTPClient.silent) {
        self.settings = settings
        self.api = GraphAPI(http: http, base: settings.graphBase,
                            budget: budget ?? RequestBudget(limit: settings.requestsPerWindow, per: settings.window))
        self.logger = logger
    }

    /// Exchange fields the hub has no field for, which a field mapping may name (`custom.OfficeLocation`).
    public static let customFields = ContactMapping.extras.map(\.custom)

    public var capabilities: Set<ContactField>? { nil }
    public var fit: (@Sendable (Contact) -> Contact)? { ContactMapping.fit }
    public var maxBatch: Int { settings.batchSize }
    /// The server, as errors name it.
    var server: String { ServerName.of(settings.graphBase) }

    struct DeltaPage: Decodable {
        var value: [JSONObject]?
        var next: String?
        var delta: String?
        enum CodingKeys: String, CodingKey {
            case value
            case next = "@odata.nextLink"
            case delta = "@odata.deltaLink"
        }
    }

    /// Where a listing is, carried in the page token: a full listing stays full to its last page.
    enum Stage: String { case full = "F", incremental = "I" }

    var firstDeltaURL: URL {
        api.url(settings.contactsPath + "/delta", [("$select", ContactMapping.selected.joined(separator: ","))])
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await pull(since: cursor, page: page, known: .none)
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        try await ConnectorError.naming(server: server) { try await self.pullHere(since: cursor, page: page, known: known) }
    }

    private func pullHere(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        do {
            return try await listPage(since: cursor, page: page, known: known)
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    private func listPage(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        var stage: Stage = cursor == nil ? .full : .incremental
        var url = cursor.flatMap { URL(string: $0.rawValue) } ?? firstDeltaURL
        if let page {
            let parts = page.rawValue.split(separator: "|", maxSplits: 1).map(String.init)
            stage = Stage(rawValue: parts[0]) ?? .incremental
            guard parts.count == 2, let u = URL(string: parts[1]) else {
                throw ConnectorError(.protocolViolation, "a page of the Graph listing has no link")
            }
            url = u
        }
        let listing: DeltaPage
        do {
            listing = try await delta(url)
        } catch let f as GraphAPI.Failure where f.deltaExpired {
            guard page == nil else {
                throw ConnectorError(.unavailable, "the folder's delta token expired mid-listing; the next sync lists it whole")
            }
            // Never "everything is new" and never a wipe: a full listing, matched by id and marker.
            logger.info("delta token refused (\(f.status) \(f.code ?? "")); listing the folder whole")
            stage = .full
            listing = try await delta(firstDeltaURL)
        }
        // Replays: an item may come several times, its last state stands.
        var order: [String] = []
        var latest: [String: JSONObject] = [:]
        var removed: [String] = []
        for o in listing.value ?? [] {
            guard let id = o["id"]?.string else { continue }
            if o["@removed"] != nil {
                latest[id] = nil
                if !removed.contains(id) { removed.append(id) }
            } else {
                if latest[id] == nil { order.append(id) }
                latest[id] = o
                removed.removeAll { $0 == id }
            }
        }
        let present = order.compactMap { id in latest[id].map { (id, $0) } }
        let held = try await known(present.map { RemoteID($0.0) })
        var unchanged: [RemoteID] = []
        var fresh: [JSONObject] = []
        var unknown: Set<String> = []
        for (id, o) in present {
            if let v = held[RemoteID(id)], v == Self.version(o) { unchanged.append(RemoteID(id)) } else {
                fresh.append(o)
                if held[RemoteID(id)] == nil { unknown.insert(id) }
            }
        }
        let (items, errors) = try await remoteItems(fresh, readMarkers: unknown)
        let next = listing.next.map { PageToken("\(stage.rawValue)|\($0)") }
        if next == nil && listing.delta == nil {
            throw ConnectorError(.protocolViolation, "a page of the Graph delta has neither a next nor a delta link")
        }
        return PullPage(
            mode: stage == .full ? .full : .incremental,
            changes: items.map { .upsert($0) } + removed.map { .delete(RemoteID($0)) }, errors: errors, next: next,
            cursor: next == nil ? listing.delta.map { SpokeCursor($0) } : nil, unchanged: unchanged)
    }

    func delta(_ url: URL) async throws -> DeltaPage {
        try GraphAPI.decode(DeltaPage.self, try await api.get(url, prefer: ["odata.maxpagesize=\(settings.pageSize)"]), "contacts delta")
    }

    static func version(_ o: JSONObject) -> RemoteVersion? {
        (o["@odata.etag"]?.text ?? o["changeKey"]?.text.map { "W/\"\($0)\"" }).map { RemoteVersion($0) }
    }

    /// Items with their photos, and the markers of `readMarkers` (delta has no `$expand`), read
    /// in batches.
    func remoteItems(_ objects: [JSONObject], readMarkers: Set<String>) async throws -> ([RemoteItem], [ItemError]) {
        guard !objects.isEmpty else { return ([], []) }
        var requests: [BatchRequest] = []
        for (n, o) in objects.enumerated() {
            guard let id = o["id"]?.string else { continue }
            requests.append(BatchRequest(id: "p\(n)", method: .get, path: item(id) + "/photo/$value"))
            if readMarkers.contains(id) {
                requests.append(BatchRequest(id: "m\(n)", method: .get, path: item(id),
                                             query: [("$select", "id"), ("$expand", Marker.expand)]))
            }
        }
        let answers = try await api.batch(requests, size: settings.batchSize)
        var items: [RemoteItem] = []
        var errors: [ItemError] = []
        for (n, o) in objects.enumerated() {
            guard let id = o["id"]?.string else { continue }
            var contact = ContactMapping.contact(o)
            switch answers["p\(n)"] {
            case let r? where r.isSuccess:
                guard let data = r.body?.string.flatMap({ Data(base64Encoded: $0) }), !data.isEmpty else { break }
                contact.photo = Photo(data: data, mediaType: r.header("Content-Type") ?? "image/jpeg")
            case let r? where r.status == 404:
                break
            case let r?:
                errors.append(ItemError(remoteID: RemoteID(id), message: "cannot read its photo (\(r.status))"))
                continue
            case nil:
                errors.append(ItemError(remoteID: RemoteID(id), message: "Graph gave no answer for its photo"))
                continue
            }
            let marker = Marker.read(o) ?? answers["m\(n)"]?.body?.object.flatMap(Marker.read)
            let modified = o["lastModifiedDateTime"]?.text.flatMap(Self.instant)
            items.append(RemoteItem(id: RemoteID(id), version: Self.version(o), contact: contact, modifiedAt: modified, marker: marker))
        }
        return (items, errors)
    }

    /// One contact's path, whichever folder holds it.
    func item(_ id: String) -> String { settings.root + "/contacts/" + GraphSettings.segment(id) }

    public func fetch(_ id: RemoteID) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.fetchHere(id) }
    }

    private func fetchHere(_ id: RemoteID) async throws -> RemoteItem? {
        do {
            let query = [("$select", ContactMapping.selected.joined(separator: ",")), ("$expand", Marker.expand)]
            let o = try GraphAPI.decode(JSONObject.self, try await api.get(api.url(item(id.rawValue), query)), "contact")
            let (items, errors) = try await remoteItems([o], readMarkers: [])
            if let e = errors.first { throw ConnectorError(.unavailable, e.description) }
            return items.first
        } catch let f as GraphAPI.Failure where f.status == 404 {
            return nil
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    struct Listing: Decodable { var value: [JSONObject]? }

    /// The item a create with this marker made, found by `$filter` on the extended property.
    public func find(marker: CreateMarker) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.findHere(marker: marker) }
    }

    private func findHere(marker: CreateMarker) async throws -> RemoteItem? {
        do {
            let query = [("$filter", Marker.filter(marker)), ("$select", ContactMapping.selected.joined(separator: ",")),
                         ("$expand", Marker.expand), ("$top", "1")]
            let found = try GraphAPI.decode(Listing.self, try await api.get(api.url(settings.contactsPath, query)), "contacts")
            guard let o = found.value?.first else { return nil }
            let (items, errors) = try await remoteItems([o], readMarkers: [])
            if let e = errors.first { throw ConnectorError(.unavailable, e.description) }
            return items.first
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    static func instant(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s)
    }
}
