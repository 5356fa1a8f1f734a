import ConnectorHTTP
import ConnectorKit
import Foundation
import Logging
import SyncModel

/// A tenant's directory (Entra ID users) as a spoke that only feeds the hub: `/users/delta` with
/// the whole deltaLink as the cursor, app-only (`User.Read.All`). Users `@removed`, disabled,
/// turned guest or without mail any more are deletions; an expired delta token means a full
/// listing (matched by id), never a wipe. See `DirectoryMapping.Skip` for who is left out.
///
/// Photos are read (a `$batch` of `/users/{id}/photo/$value`) when a user is new or changed:
/// delta does not track photos, so a new photo alone shows with the user's next other change.
public struct DirectorySpoke: SpokeConnector {
    let api: GraphAPI
    let settings: GraphSettings
    let excluded: Set<String>
    let logger: Logger

    /// `settings` name no mailbox: the directory is the tenant's. `http` carries the app-only auth.
    public init(settings: GraphSettings, http: HTTPClient, excluding excluded: [String] = [], logger: Logger = HTTPClient.silent) {
        self.settings = settings
        self.api = GraphAPI(http: http, settings: settings)
        self.excluded = Set(excluded.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        self.logger = logger
    }

    /// One-way: the engine never plans a create, update or delete here, whatever the options say.
    public var readOnly: Bool { true }
    public var capabilities: Set<ContactField>? {
        [.text(.givenName), .text(.familyName), .text(.displayName), .text(.title), .text(.department),
         .text(.organization), .emails, .phones, .photo]
    }
    public var maxBatch: Int { settings.batchSize }

    var firstDeltaURL: URL { api.url("users/delta", [("$select", DirectoryMapping.selected.joined(separator: ","))]) }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await pull(since: cursor, page: page, known: .none)
    }

    /// The server, as errors name it.
    var server: String { ServerName.of(settings.graphBase) }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        try await ConnectorError.naming(server: server) { try await self.pullHere(since: cursor, page: page, known: known) }
    }

    private func pullHere(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        do {
            return try await listPage(since: cursor, page: page, known: known)
        } catch let f as GraphAPI.Failure {
            throw f.status == 403
                ? ConnectorError(.unauthorized, "Microsoft Graph refused to list the directory: the app needs User.Read.All, with admin consent")
                : f.connectorError
        }
    }

    /// Which kind of listing a page token continues: a full one (absence is deletion) or an incremental one.
    enum Stage: String { case full = "F", incremental = "I" }

    private func listPage(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        var stage: Stage = cursor == nil ? .full : .incremental
        var url = cursor.flatMap { URL(string: $0.rawValue) } ?? firstDeltaURL
        if let page {
            let parts = page.rawValue.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, let s = Stage(rawValue: parts[0]), let u = URL(string: parts[1]) else {
                throw ConnectorError(.protocolViolation, "a page of the directory listing has no link")
            }
            (stage, url) = (s, u)
        }
        let listing: GraphSpoke.DeltaPage
        do {
            listing = try await delta(url)
        } catch let f as GraphAPI.Failure where f.deltaExpired {
            guard page == nil else {
                throw ConnectorError(.unavailable, "the directory's delta token expired mid-listing; the next sync lists it whole")
            }
            logger.info("directory delta token refused (\(f.status) \(f.code ?? "")); listing the directory whole")
            stage = .full
            listing = try await delta(firstDeltaURL)
        }
        let (present, gone) = Self.sort(listing.value ?? [], excluding: excluded)
        let held = try await known(present.map { RemoteID($0.id) })
        var unchanged: [RemoteID] = []
        var fresh: [(id: String, contact: Contact, version: RemoteVersion)] = []
        for p in present {
            let contact = DirectoryMapping.contact(p.user)
            let version = DirectoryMapping.version(contact)
            if held[RemoteID(p.id)] == version { unchanged.append(RemoteID(p.id)) } else { fresh.append((p.id, contact, version)) }
        }
        let (items, errors) = try await withPhotos(fresh)
        let next = listing.next.map { PageToken("\(stage.rawValue)|\($0)") }
        if next == nil && listing.delta == nil {
            throw ConnectorError(.protocolViolation, "a page of the users delta has neither a next nor a delta link")
        }
        // In a full listing a left-out user is simply absent (absence is deletion there); in an
        // incremental one, a user who turned disabled or guest is said to be gone.
        let deletions = stage == .full ? gone.removed : gone.removed + gone.skipped
        return PullPage(
            mode: stage == .full ? .full : .incremental,
            changes: items.map { .upsert($0) } + deletions.map { .delete(RemoteID($0)) }, errors: errors, next: next,
            cursor: next == nil ? listing.delta.map { SpokeCursor($0) } : nil, unchanged: unchanged)
    }

    /// A page's users in order, each at its last state (delta may send one several times):
    /// those in the directory, and the ids of those removed or left out.
    static func sort(_ values: [JSONObject], excluding excluded: Set<String>)
        -> (present: [(id: String, user: JSONObject)], gone: (removed: [String], skipped: [String]))
    {
        var order: [String] = []
        var latest: [String: JSONObject] = [:]
        for o in values {
            guard let id = o["id"]?.string else { continue }
            if latest[id] == nil { order.append(id) }
            latest[id] = o
        }
        var present: [(id: String, user: JSONObject)] = []
        var removed: [String] = []
        var skipped: [String] = []
        for id in order {
            let o = latest[id]!
            if o["@removed"] != nil { removed.append(id) }
            else if DirectoryMapping.skip(o, excluding: excluded) != nil { skipped.append(id) }
            else { present.append((id: id, user: o)) }
        }
        return (present, (removed: removed, skipped: skipped))
    }

    func delta(_ url: URL) async throws -> GraphSpoke.DeltaPage {
        try GraphAPI.decode(GraphSpoke.DeltaPage.self, try await api.get(url, prefer: ["odata.maxpagesize=\(settings.pageSize)"]),
                            "users delta")
    }

    /// The users with their photos, read in batches (404: no photo).
    func withPhotos(_ users: [(id: String, contact: Contact, version: RemoteVersion)]) async throws -> ([RemoteItem], [ItemError]) {
        guard !users.isEmpty else { return ([], []) }
        let requests = users.enumerated().map { n, u in
            BatchRequest(id: "p\(n)", method: .get, path: "users/" + GraphSettings.segment(u.id) + "/photo/$value")
        }
        let answers = try await api.batch(requests, size: settings.batchSize)
        var items: [RemoteItem] = []
        var errors: [ItemError] = []
        for (n, u) in users.enumerated() {
            var contact = u.contact
            switch BatchResponse.photo(answers["p\(n)"], whose: "the user's photo") {
            case .read(let photo?): contact.photo = photo
            case .read(nil): break
            case .unreadable(let problem):
                errors.append(ItemError(remoteID: RemoteID(u.id), message: problem))
                continue
            }
            items.append(RemoteItem(id: RemoteID(u.id), version: u.version, contact: contact))
        }
        return (items, errors)
    }

    /// Never called (`readOnly`); refuses, should a caller not ask.
    public func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        ops.map { _ in .failed(ItemError(remoteID: nil, message: "the directory is read-only: HubSync never writes to it")) }
    }

    public func fetch(_ id: RemoteID) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.fetchHere(id) }
    }

    private func fetchHere(_ id: RemoteID) async throws -> RemoteItem? {
        do {
            let o = try GraphAPI.decode(JSONObject.self, try await api.get(api.url(
                "users/" + GraphSettings.segment(id.rawValue), [("$select", DirectoryMapping.selected.joined(separator: ","))])), "user")
            guard DirectoryMapping.skip(o, excluding: excluded) == nil else { return nil }
            let contact = DirectoryMapping.contact(o)
            let (items, errors) = try await withPhotos([(id.rawValue, contact, DirectoryMapping.version(contact))])
            if let e = errors.first { throw ConnectorError(.unavailable, e.description) }
            return items.first
        } catch let f as GraphAPI.Failure where f.status == 404 {
            return nil
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    /// HubSync creates nothing in the directory.
    public func find(marker: CreateMarker) async throws -> RemoteItem? { nil }
}

extension DirectorySpoke {
    /// Setup's check: the app signs in and may list users. The tenant's first users' count as
    /// read (a page, not the whole directory).
    public static func probe(_ settings: GraphSettings, http: HTTPClient) async throws -> Int {
        let api = GraphAPI(http: http, base: settings.graphBase, budget: RequestBudget(limit: 10, per: 60))
        do {
            let page = try GraphAPI.decode(GraphAPI.Page.self,
                                           try await api.get(api.url("users", [("$select", "id"), ("$top", "100")])), "users")
            return page.value?.count ?? 0
        } catch let f as GraphAPI.Failure {
            throw f.status == 403
                ? ConnectorError(.unauthorized, "Microsoft Graph refused to list the directory: the app needs User.Read.All, with admin consent")
                : f.connectorError
        }
    }
}
