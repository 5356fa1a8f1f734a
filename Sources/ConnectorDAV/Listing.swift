import Foundation
import ConnectorKit
import PIMFormats
import SyncModel

/// The spoke's cursor: a sync-collection token, or (servers without one) the ctag, which at
/// least makes a quiet collection one request.
enum DAVCursor: Hashable {
    case sync(String)
    case ctag(String)

    init?(_ c: SpokeCursor) {
        let s = c.rawValue
        if s.hasPrefix("sync:") { self = .sync(String(s.dropFirst(5))) }
        else if s.hasPrefix("ctag:") { self = .ctag(String(s.dropFirst(5))) }
        else { return nil }
    }

    var cursor: SpokeCursor {
        switch self {
        case .sync(let t): SpokeCursor("sync:" + t)
        case .ctag(let t): SpokeCursor("ctag:" + t)
        }
    }
}

/// What one pull found out before fetching bodies.
struct Listing: Sendable {
    var mode: PullPage.Mode
    /// Resources whose body is needed, by path: from `inline` when it came with the listing,
    /// else with a multiget. Pages go through it in order.
    var fetch: [RemoteID] = []
    var deleted: [RemoteID] = []
    /// Listed at the version the hub holds.
    var unchanged: [RemoteID] = []
    /// Cards that came with the listing (an incremental sync-collection, or a first one), unparsed
    /// until their page: most incremental ones are our own writes coming back, skipped by version
    /// without reading them.
    var inline: [RemoteID: (text: String, etag: String)] = [:]
    var cursor: SpokeCursor?

    func batch(_ index: Int, size: Int) -> [RemoteID] {
        let start = min(index * size, fetch.count)
        return Array(fetch[start..<min(start + size, fetch.count)])
    }

    /// Splits the listed (id, etag) pairs into those the hub holds (our own writes coming back
    /// among them), those that came with the listing, and those to fetch.
    mutating func sort(_ listed: [(RemoteID, String)], known: KnownVersions) async throws {
        var linked: [RemoteID: RemoteVersion] = [:]
        for chunk in listed.map(\.0).chunked(1000) { linked.merge(try await known(Array(chunk))) { a, _ in a } }
        for (id, etag) in listed {
            if linked[id].map({ DAVVersion($0).etag }) == etag {
                unchanged.append(id)
                inline[id] = nil
            } else {
                fetch.append(id)
            }
        }
    }
}

/// Cards read with a multiget.
struct Fetched: Sendable {
    var cards: [RemoteID: (VCard, String?)] = [:]
    /// Each card's text as the server sent it, so an update can keep its bytes (`VCardPatch`).
    var texts: [RemoteID: String] = [:]
    var gone: [RemoteID] = []
    var errors: [ItemError] = []
    /// Lines skipped in cards that were read: reported, not failed.
    var skipped: [ItemError] = []

    mutating func merge(_ o: Fetched) {
        cards.merge(o.cards) { a, _ in a }
        texts.merge(o.texts) { a, _ in a }
        gone += o.gone
        errors += o.errors
        skipped += o.skipped
    }
}

extension CardDAVSpoke {
    func list(since cursor: SpokeCursor?, known: KnownVersions) async throws -> Listing {
        switch cursor.flatMap(DAVCursor.init) {
        case .sync(let token)?:
            // Straight to the report: a quiet address book costs this one request.
            if let l = try await syncListing(token: token, known: known) { return l }
            logger.notice("sync token refused by the server: full reconcile", metadata: ["collection": "\(paths.collection)"])
            return try await fullListing(known, describe())
        case .ctag(let tag)?:
            let b = try await describe()
            if b.ctag == tag { return Listing(mode: .incremental, cursor: cursor) }
            return try await fullListing(known, b)
        case nil:
            return try await firstListing(known)
        }
    }

    /// No cursor: the collection check and the sync-collection report go out together (the
    /// check only decides when the report is refused), and when the hub holds none of the
    /// cards they come with the report: one request for the whole book instead of a listing
    /// and a multiget per batch (adopting two books that agree reads each once).
    private func firstListing(_ known: KnownVersions) async throws -> Listing {
        async let described = describe(props: DAVBody.listingProps)
        let report: Result<Listing?, any Error>
        do {
            report = .success(try await syncListing(token: nil, known: known))
        } catch {
            report = .failure(error)
        }
        // The check first: a URL that is no address book is said so, whatever the report did.
        let b = try await described
        guard b.supportsSync else { return try await fullListing(known, b, light: true, triedSync: true) }
        switch report {
        case .success(let l?):
            return l
        case .success(nil):
            return try await fullListing(known, b, light: true, triedSync: true)
        case .failure(let e as ConnectorError) where known.knowsNothing && e.kind != .unauthorized:
            // Every card in one answer can be too much (a big book with photos, past the size
            // or time an answer may take): the names alone, then bounded multigets.
            logger.notice(
                "the first listing with cards failed; listing names only",
                metadata: ["collection": "\(paths.collection)", "error": "\(e.message)"])
            if let l = try await syncListing(token: nil, known: known, cards: false) { return l }
            return try await fullListing(known, b, light: true, triedSync: true)
        case .failure(let e):
            throw e
        }
    }

    /// `light`: `b` was read without its ctag, which only a server without sync-collection needs.
    /// `triedSync`: the report was just refused, so it is not asked again.
    private func fullListing(
        _ known: KnownVersions, _ b: AddressBook, light: Bool = false, triedSync: Bool = false
    ) async throws -> Listing {
        if b.supportsSync, !triedSync, let l = try await syncListing(token: nil, known: known) { return l }
        let b = light ? try await describe() : b
        let listed = try await dav.memberETags()
        // The ctag read before the listing: a change in between shows next time.
        var l = Listing(mode: .full, cursor: b.ctag.map { DAVCursor.ctag($0).cursor })
        try await l.sort(listed, known: known)
        return l
    }

    /// RFC 6578 (see `DAVCollection.syncListing`). A full listing names every card: bodies then
    /// come in bounded multigets, and only those the hub does not hold. When it holds none (a
    /// first sync), or after a token, when changes are few, they come inline.
    func syncListing(token start: String?, known: KnownVersions, cards wanted: Bool = true) async throws -> Listing? {
        try await dav.syncListing(token: start, known: known, bodies: wanted && (start != nil || known.knowsNothing))
    }
}

extension Fetched {
    /// A card as read, with its text (an update patches that text: see `VCardPatch`).
    mutating func add(
        _ id: RemoteID, _ parsed: (card: Result<VCard, ItemError>, skipped: [ItemError]), etag: String?, text: String
    ) {
        switch parsed.card {
        case .success(let c):
            cards[id] = (c, etag)
            texts[id] = text
        case .failure(let e): errors.append(e)
        }
        skipped += parsed.skipped
    }
}
