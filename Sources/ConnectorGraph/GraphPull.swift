import ConnectorHTTP
import ConnectorKit
import Foundation
import SyncModel

/// Pulling a folder. Contact delta tells what changed and what went, but takes no `$expand`
/// (Graph answers 500 to it, docs-contrib#7929, #8029), and the marker, the phones Graph has no
/// property for and the photo flag are extended properties. So:
/// - a full listing walks one delta round for its deltaLink (ids only, 200 a page), then lists
///   the folder with `$select` and `$expand`, 1,000 whole items a page; the round told how many
///   items there are, so those pages go together in `$batch`es (`$top`/`$skip`, as Graph's own
///   nextLinks page contacts), `listPagesPerBatch` at a time;
/// - an incremental pull reads a delta page and then only the items whose version moved, with
///   their extended properties, in one listing filtered by modification time when it can;
/// - photos are read only for items whose photo flag says they have one.
extension GraphSpoke {
    /// Page tokens: `L <deltaLink> <next listing page>` (a full listing), `B <deltaLink> <skip>
    /// <count>` (a full listing in batches, from item `skip` of the `count` the round named), or
    /// `I <delta nextLink>`.
    private enum Token {
        case list(delta: String, next: String)
        case batches(delta: String, skip: Int, count: Int)
        case incremental(String)

        init?(_ t: PageToken) {
            let parts = t.rawValue.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            switch parts.first {
            case "L" where parts.count == 3: self = .list(delta: parts[1], next: parts[2])
            case "B" where parts.count == 4:
                guard let skip = Int(parts[2]), let count = Int(parts[3]), skip >= 0, count >= skip else { return nil }
                self = .batches(delta: parts[1], skip: skip, count: count)
            case "I" where parts.count == 2: self = .incremental(parts[1])
            default: return nil
            }
        }
        var token: PageToken {
            switch self {
            case .list(let d, let n): PageToken("L \(d) \(n)")
            case .batches(let d, let skip, let count): PageToken("B \(d) \(skip) \(count)")
            case .incremental(let n): PageToken("I \(n)")
            }
        }
    }

    func pullPage(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        if let page {
            switch Token(page) {
            case .list(let delta, let next)?:
                guard let url = URL(string: next) else { break }
                return try await listing(url, delta: delta, known: known)
            case .batches(let delta, let skip, let count)?:
                return try await batchedListing(delta: delta, skip: skip, count: count, known: known)
            case .incremental(let next)?:
                guard let url = URL(string: next) else { break }
                do {
                    return try await incremental(url, known: known)
                } catch let f as GraphAPI.Failure where f.deltaExpired {
                    throw ConnectorError(.unavailable, "the folder's delta token expired mid-listing; the next sync lists it whole")
                }
            case nil:
                break
            }
            throw ConnectorError(.protocolViolation, "a page of the Graph listing has no link")
        }
        if let raw = cursor?.rawValue, let url = URL(string: raw) {
            do {
                return try await incremental(url, known: known)
            } catch let f as GraphAPI.Failure where f.deltaExpired {
                // Never "everything is new" and never a wipe: a full listing, matched by id and marker.
                logger.info("delta token refused (\(f.status) \(f.code ?? "")); listing the folder whole")
            }
        }
        // The delta round first: whatever changes after its deltaLink comes in the next pull, so
        // the listing that follows cannot miss a change.
        var url = firstDeltaURL
        var ids: Set<String> = []
        while true {
            let page = try await delta(url)
            for o in page.value ?? [] {
                guard let id = o["id"]?.string else { continue }
                if o["@removed"] != nil { ids.remove(id) } else { ids.insert(id) }
            }
            if let next = page.next.flatMap(URL.init(string:)) { url = next; continue }
            guard let link = page.delta else {
                throw ConnectorError(.protocolViolation, "a page of the Graph delta has neither a next nor a delta link")
            }
            // One page: a plain read. More: the pages together, in batches.
            if ids.count <= settings.listPageSize { return try await listing(firstListURL, delta: link, known: known) }
            return try await batchedListing(delta: link, skip: 0, count: ids.count, known: known)
        }
    }

    /// Up to `listPagesPerBatch` pages of the whole folder in one `$batch`, from item `skip` of
    /// the `count` the delta round named. Past the last batch, a folder that grew meanwhile goes
    /// on by the last page's nextLink; the deltaLink is the cursor after that.
    private func batchedListing(delta: String, skip: Int, count: Int, known: KnownVersions) async throws -> PullPage {
        let size = settings.listPageSize
        let pages = max(1, min(settings.listPagesPerBatch, (count - skip + size - 1) / size))
        let requests = (0..<pages).map { k in
            BatchRequest(id: "l\(k)", method: .get, path: settings.contactsPath,
                         query: Self.readQuery + [("$top", "\(size)"), ("$skip", "\(skip + k * size)")])
        }
        let answers = try await api.batch(requests, size: pages)
        var objects: [JSONObject] = []
        var lastNext: String?
        for k in 0..<pages {
            guard let r = answers["l\(k)"] else {
                throw ConnectorError(.unavailable, "Microsoft Graph gave no answer for a page of the folder's listing")
            }
            guard r.isSuccess, let o = r.body?.object else {
                throw r.failure ?? GraphAPI.Failure(status: r.status, code: nil, message: "cannot list the folder")
            }
            objects += (o["value"]?.array ?? []).compactMap(\.object)
            if k == pages - 1 { lastNext = o["@odata.nextLink"]?.string }
        }
        let after = skip + pages * size
        let next: Token? = after < count ? .batches(delta: delta, skip: after, count: count)
            : lastNext.map { .list(delta: delta, next: $0) }
        return try await fullPage(objects, delta: delta, next: next, known: known)
    }

    /// One page of the whole folder, whole items; the deltaLink is the cursor after the last page.
    private func listing(_ url: URL, delta: String, known: KnownVersions) async throws -> PullPage {
        let page = try GraphAPI.decode(GraphAPI.Page.self, try await api.get(url), "contacts")
        return try await fullPage(page.value ?? [], delta: delta, next: page.next.map { .list(delta: delta, next: $0) },
                                  known: known)
    }

    /// Whole items of a full listing as a page: known versions skipped, the rest read with
    /// their photos; the deltaLink is the cursor when no page follows.
    private func fullPage(_ all: [JSONObject], delta: String, next token: Token?, known: KnownVersions) async throws -> PullPage {
        let objects = all.filter { $0["id"]?.string != nil }
        let held = try await known(objects.map { RemoteID($0["id"]!.string!) })
        var unchanged: [RemoteID] = []
        var fresh: [JSONObject] = []
        for o in objects {
            let id = RemoteID(o["id"]!.string!)
            if let v = held[id], v == Self.version(o) { unchanged.append(id) } else { fresh.append(o) }
        }
        let (items, errors) = try await remoteItems(fresh)
        let next = token?.token
        return PullPage(mode: .full, changes: items.map { .upsert($0) }, errors: errors, next: next,
                        cursor: next == nil ? SpokeCursor(delta) : nil, unchanged: unchanged)
    }

    /// One delta page: the removals, and the items whose version moved, read whole.
    private func incremental(_ url: URL, known: KnownVersions) async throws -> PullPage {
        let listing = try await delta(url)
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
        let present = order.compactMap { latest[$0] }
        let held = try await known(present.map { RemoteID($0["id"]!.string!) })
        var unchanged: [RemoteID] = []
        var moved: [JSONObject] = []
        for o in present {
            let id = RemoteID(o["id"]!.string!)
            if let v = held[id], v == Self.version(o) { unchanged.append(id) } else { moved.append(o) }
        }
        let (items, errors) = try await remoteItems(try await bodies(moved))
        let next = listing.next.map { Token.incremental($0).token }
        if next == nil && listing.delta == nil {
            throw ConnectorError(.protocolViolation, "a page of the Graph delta has neither a next nor a delta link")
        }
        return PullPage(
            mode: .incremental, changes: items.map { .upsert($0) } + removed.map { .delete(RemoteID($0)) }, errors: errors,
            next: next, cursor: next == nil ? listing.delta.map { SpokeCursor($0) } : nil, unchanged: unchanged)
    }

    func delta(_ url: URL) async throws -> DeltaPage {
        try GraphAPI.decode(DeltaPage.self, try await api.get(url, prefer: ["odata.maxpagesize=\(settings.pageSize)"]), "contacts delta")
    }

    static func version(_ o: JSONObject) -> RemoteVersion? {
        (o["@odata.etag"]?.text ?? o["changeKey"]?.text.map { "W/\"\($0)\"" }).map { RemoteVersion($0) }
    }

    /// The items delta named, read whole. Several at once: one listing of the folder filtered by
    /// the oldest one's modification time (one request for the usual handful of edits); what it
    /// does not bring (more than a page changed since, or a server that refuses the filter) is
    /// read one by one in batches. An item gone since delta named it is left out: the next
    /// round reports its removal.
    func bodies(_ named: [JSONObject]) async throws -> [JSONObject] {
        guard !named.isEmpty else { return [] }
        let ids = named.compactMap { $0["id"]?.string }
        var found: [String: JSONObject] = [:]
        let times = named.compactMap { $0["lastModifiedDateTime"]?.text }
        if ids.count > 1, times.count == named.count, let oldest = times.compactMap(Self.instant).min() {
            let since = ISO8601DateFormatter().string(from: oldest.addingTimeInterval(-1))
            let query = Self.readQuery + [("$filter", "lastModifiedDateTime ge \(since)"), ("$top", "\(settings.listPageSize)")]
            do {
                let page = try GraphAPI.decode(GraphAPI.Page.self, try await api.get(api.url(settings.contactsPath, query)), "contacts")
                let wanted = Set(ids)
                for o in page.value ?? [] { if let id = o["id"]?.string, wanted.contains(id) { found[id] = o } }
            } catch let f as GraphAPI.Failure where f.status == 400 {
                logger.debug("modification-time filter refused (\(f.code ?? "400")); reading the items one by one")
            }
        }
        let rest = ids.filter { found[$0] == nil }
        if !rest.isEmpty {
            let answers = try await api.batch(rest.enumerated().map { n, id in
                BatchRequest(id: "g\(n)", method: .get, path: item(id), query: Self.readQuery)
            }, size: settings.batchSize)
            for (n, id) in rest.enumerated() {
                guard let r = answers["g\(n)"] else { continue }
                if r.isSuccess, let o = r.body?.object { found[id] = o; continue }
                if r.status == 404 { continue }
                throw r.failure ?? GraphAPI.Failure(status: r.status, code: nil, message: "cannot read a contact")
            }
        }
        return ids.compactMap { found[$0] }
    }

    /// Whole items (read with `readQuery`) as remote items, with the photos of those whose
    /// photo flag says they have one, read in batches.
    func remoteItems(_ objects: [JSONObject]) async throws -> ([RemoteItem], [ItemError]) {
        guard !objects.isEmpty else { return ([], []) }
        var requests: [BatchRequest] = []
        for (n, o) in objects.enumerated() {
            guard let id = o["id"]?.string, Self.mayHavePhoto(o) else { continue }
            requests.append(BatchRequest(id: "p\(n)", method: .get, path: item(id) + "/photo/$value"))
        }
        let answers = try await api.batch(requests, size: settings.batchSize)
        var items: [RemoteItem] = []
        var errors: [ItemError] = []
        for (n, o) in objects.enumerated() {
            guard let id = o["id"]?.string else { continue }
            var contact = ContactMapping.contact(o)
            if Self.mayHavePhoto(o) {
                switch BatchResponse.photo(answers["p\(n)"], whose: "its photo") {
                case .read(let photo?): contact.photo = photo
                case .read(nil): break
                case .unreadable(let problem):
                    errors.append(ItemError(remoteID: RemoteID(id), message: problem))
                    continue
                }
            }
            let modified = o["lastModifiedDateTime"]?.text.flatMap(Self.instant)
            items.append(RemoteItem(id: RemoteID(id), version: Self.version(o), contact: contact, modifiedAt: modified,
                                    marker: Marker.read(o)))
        }
        return (items, errors)
    }

    /// A photo is read only for an item whose photo flag (read with it, `readQuery`) is set:
    /// Graph may leave the expanded properties out altogether when an item has none of them.
    static func mayHavePhoto(_ o: JSONObject) -> Bool {
        ExtendedProperties.hasPicture(o) == true
    }

    public func fetch(_ id: RemoteID) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.fetchHere(id) }
    }

    private func fetchHere(_ id: RemoteID) async throws -> RemoteItem? {
        do {
            let o = try GraphAPI.decode(JSONObject.self, try await api.get(api.url(item(id.rawValue), Self.readQuery)), "contact")
            let (items, errors) = try await remoteItems([o])
            if let e = errors.first { throw ConnectorError(.unavailable, e.description) }
            return items.first
        } catch let f as GraphAPI.Failure where f.status == 404 {
            return nil
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    /// The item a create with this marker made, found by `$filter` on the extended property.
    public func find(marker: CreateMarker) async throws -> RemoteItem? {
        try await ConnectorError.naming(server: server) { try await self.findHere(marker: marker) }
    }

    private func findHere(marker: CreateMarker) async throws -> RemoteItem? {
        do {
            let query = Self.readQuery + [("$filter", Marker.filter(marker)), ("$top", "1")]
            let found = try GraphAPI.decode(GraphAPI.Page.self, try await api.get(api.url(settings.contactsPath, query)), "contacts")
            guard let o = found.value?.first else { return nil }
            let (items, errors) = try await remoteItems([o])
            if let e = errors.first { throw ConnectorError(.unavailable, e.description) }
            return items.first
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    /// Moves the deltaLink past the pass's own writes, so the next pull does not read them back:
    /// only when everything the round since `cursor` holds is ours (each item at the version we
    /// wrote, each removal ours). Otherwise nil, and the next pull skips our writes by version.
    /// Without a cursor (the engine keeps none after listing an empty folder, which the hub then
    /// filled) the round starts from scratch: it lists the whole folder, which must then be ours.
    public func cursor(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        try await ConnectorError.naming(server: server) { try await self.cursorHere(after: cursor, writes: writes) }
    }

    private func cursorHere(after cursor: SpokeCursor?, writes: [RemoteID: RemoteVersion?]) async throws -> SpokeCursor? {
        guard !writes.isEmpty, var url = cursor.map({ URL(string: $0.rawValue) }) ?? firstDeltaURL else { return nil }
        while true {
            let page: DeltaPage
            do {
                page = try await delta(url)
            } catch is GraphAPI.Failure {
                return nil  // an expired token: the next pull lists the folder whole anyway
            }
            for o in page.value ?? [] {
                guard let id = o["id"]?.string else { continue }
                if o["@removed"] != nil {
                    guard case .some(.none) = writes[RemoteID(id)] else { return nil }
                } else {
                    guard case .some(.some(let written)) = writes[RemoteID(id)], written == Self.version(o) else { return nil }
                }
            }
            if let next = page.next.flatMap(URL.init(string:)) {
                url = next
            } else {
                return page.delta.map { SpokeCursor($0) }
            }
        }
    }
}
