import ConnectorHTTP
import ConnectorKit
import Foundation
import Logging
import SyncModel

/// A Google account's contacts as a spoke: connections.list with sync tokens, batch writes with
/// etags, contact groups as categories, clientData marking what the hub created.
public struct GoogleSpoke: SpokeConnector {
    let api: PeopleAPI
    /// Photos live on other hosts: fetched without the account's token.
    let photos: ConnectorHTTPClient
    let settings: GoogleSettings
    let groups: Groups
    let logger: Logger

    /// `http` carries the account's bearer auth (`GoogleTokenSource.auth`) and `retryPolicy()`.
    public init(
        settings: GoogleSettings, http: ConnectorHTTPClient, requestsPerMinute: Int = 90,
        logger: Logger = ConnectorHTTPClient.silent, budget: RequestBudget? = nil
    ) {
        self.settings = settings
        self.api = PeopleAPI(
            http: http, base: settings.apiBase, budget: budget ?? RequestBudget(perMinute: requestsPerMinute))
        self.photos = ConnectorHTTPClient(transport: http.transport, retry: Self.retryPolicy(), logger: logger)
        self.groups = Groups()
        self.logger = logger
    }

    /// HTTPClient's retries with Google's "slow down" under a 403 read as throttling, and a
    /// backoff (5 s doubling) whose last wait is a full minute: Google's quotas are per minute,
    /// so the last attempt always lands in a fresh window, whatever the jitter drew before.
    public static func retryPolicy(_ base: RetryPolicy = RetryPolicy()) -> RetryPolicy {
        var p = base
        p.advice = PeopleAPI.retryAdvice
        p.baseDelay = max(p.baseDelay, .seconds(5))
        p.maxDelay = max(p.maxDelay, .seconds(60))
        p.finalWait = max(p.finalWait ?? .zero, .seconds(60))
        return p
    }

    /// Google computes the display name; it is not compared.
    public var capabilities: Set<ContactField>? { Set(ContactField.fixed.filter { $0 != .text(.displayName) }) }
    public var fit: (@Sendable (Contact) -> Contact)? { Self.fitContact }
    public var maxBatch: Int { settings.batchSize }
    /// The server, as errors name it.
    var server: String { ServerName.of(settings.apiBase) }

    static let fitContact: @Sendable (Contact) -> Contact = { c in
        let m = PersonMapping()
        var back = m.contact(m.person(c.normalized(), marker: nil, groupIDs: [:]))
        back.displayName = c.displayName
        back.categories = c.categories
        back.photo = c.photo
        return back.normalized()
    }

    struct Listing: Decodable {
        var connections: [Person]?
        var nextPageToken: String?
        var nextSyncToken: String?
        var totalItems: Int?
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
        } catch let f as PeopleAPI.Failure {
            throw f.connectorError
        }
    }

    private func listPage(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        // Page token: mode, Google's page token, the sync token the listing runs under.
        var mode: PullPage.Mode = cursor == nil ? .full : .incremental
        var syncToken = cursor?.rawValue
        var pageToken: String?
        if let page {
            let parts = page.rawValue.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            mode = parts.first == "F" ? .full : .incremental
            pageToken = parts.count > 1 ? parts[1] : nil
            syncToken = parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil
        }
        let listing: Listing
        do {
            listing = try await list(syncToken: syncToken, pageToken: pageToken)
        } catch let f as PeopleAPI.Failure where f.reason == "EXPIRED_SYNC_TOKEN" || f.message.contains("EXPIRED_SYNC_TOKEN") {
            guard page == nil else {
                throw ConnectorError(.unavailable, "Google's sync token expired mid-listing; the next sync lists everything")
            }
            logger.info("sync token expired; listing the account whole")
            mode = .full
            syncToken = nil
            listing = try await list(syncToken: nil, pageToken: nil)
        }
        let held = try await known((listing.connections ?? []).compactMap(\.resourceName).map { RemoteID($0) })
        var changes: [RemoteChange] = []
        var unchanged: [RemoteID] = []
        var errors: [ItemError] = []
        var fresh: [Person] = []
        for person in listing.connections ?? [] {
            guard let name = person.resourceName else { continue }
            let id = RemoteID(name)
            if person.metadata?.deleted == true {
                changes.append(.delete(id))
            } else if let v = held[id], v == person.etag.map({ RemoteVersion($0) }) {
                unchanged.append(id)
            } else {
                fresh.append(person)
            }
        }
        // The account's groups are read only when a person changed is in one: a quiet sync is
        // the listing alone.
        let names = fresh.contains(where: Self.inUserGroup) ? try await groups.names(api) : [:]
        for person in fresh {
            do {
                changes.append(.upsert(try await remoteItem(person, names)))
            } catch let e as ItemError {
                errors.append(e)
            }
        }
        let prefix = mode == .full ? "F" : "I"
        let next = listing.nextPageToken.map { PageToken("\(prefix)|\($0)|\(syncToken ?? "")") }
        return PullPage(
            mode: mode, changes: changes, errors: errors, next: next,
            cursor: next == nil ? listing.nextSyncToken.map { SpokeCursor($0) } : nil, total: listing.totalItems,
            unchanged: unchanged)
    }

    func list(syncToken: String?, pageToken: String?) async throws -> Listing {
        var query = [("personFields", Person.readFields), ("pageSize", String(settings.pageSize)),
                     ("requestSyncToken", "true")]
        if let syncToken { query.append(("syncToken", syncToken)) }
        if let pageToken { query.append(("pageToken", pageToken)) }
        return try decode(Listing.self, try await api.get("v1/people/me/connections", query), "connections.list")
    }

    /// A person as the hub sees it, its photo fetched: the version is the etag.
    func remoteItem(_ p: Person, _ groupNames: [String: String]) async throws -> RemoteItem {
        let id = RemoteID(p.resourceName ?? "")
        var contact = PersonMapping(groupNames: groupNames).contact(p)
        if let url = p.photos?.first(where: { $0.default != true })?.url.flatMap(URL.init(string:)) {
            let response = try await photos.send(HTTPRequest(.get, url))
            guard response.isSuccess else { throw ItemError(remoteID: id, message: "cannot read its photo (\(response.status))") }
            contact.photo = Photo(data: response.body, mediaType: response.header("Content-Type") ?? "image/jpeg")
        }
        let updated = p.metadata?.sources?.first?.updateTime.flatMap { ISO8601DateFormatter.google.date(from: $0) }
        return RemoteItem(id: id, version: p.etag.map { RemoteVersion($0) }, contact: contact, modifiedAt: updated,
                          marker: PersonMapping.marker(p).flatMap(CreateMarker.init(parsing:)))
    }

    public func fetch(_ id: RemoteID) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.fetchHere(id) }
    }

    private func fetchHere(_ id: RemoteID) async throws -> RemoteItem? {
        do {
            return try await fetchOne(id)
        } catch let f as PeopleAPI.Failure {
            throw f.connectorError
        }
    }

    private func fetchOne(_ id: RemoteID) async throws -> RemoteItem? {
        guard let person = try await current([id]).first else { return nil }
        return try await remoteItem(person, Self.inUserGroup(person) ? try await groups.names(api) : [:])
    }

    /// Google cannot search clientData: after a crash mid-create, the listing is read for it.
    public func find(marker: CreateMarker) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.findHere(marker: marker) }
    }

    private func findHere(marker: CreateMarker) async throws -> RemoteItem? {
        do {
            return try await search(marker)
        } catch let f as PeopleAPI.Failure {
            throw f.connectorError
        }
    }

    private func search(_ marker: CreateMarker) async throws -> RemoteItem? {
        var pageToken: String?
        repeat {
            var query = [("personFields", "clientData,metadata"), ("pageSize", "1000")]
            if let pageToken { query.append(("pageToken", pageToken)) }
            let page = try decode(Listing.self, try await api.get("v1/people/me/connections", query), "connections.list")
            if let hit = page.connections?.first(where: { PersonMapping.marker($0) == marker.description }),
                let name = hit.resourceName
            {
                return try await fetchOne(RemoteID(name))
            }
            pageToken = page.nextPageToken
        } while pageToken != nil
        return nil
    }

    /// Google's own groups (everyone is in myContacts) are not categories.
    static let systemGroups: Set<String> = [
        "myContacts", "starred", "friends", "family", "coworkers", "chatBuddies", "all", "blocked",
    ].reduce(into: []) { $0.insert("contactGroups/" + $1) }

    static func inUserGroup(_ p: Person) -> Bool {
        (p.memberships ?? []).contains { m in
            m.contactGroupMembership?.contactGroupResourceName.map { !systemGroups.contains($0) } ?? false
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ call: String = "people") throws -> T {
        try Self.decode(type, data, call)
    }

    /// Bounded (size, depth), and in plain words when it fails: which call, what is wrong.
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ call: String) throws -> T {
        do {
            return try BoundedJSON.decode(type, from: data)
        } catch {
            throw ConnectorError(.protocolViolation, "Google's answer could not be read: \(error.reason)", request: "People API \(call)")
        }
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let google: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
}
