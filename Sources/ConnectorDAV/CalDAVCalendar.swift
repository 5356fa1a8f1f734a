import Foundation
import ConnectorHTTP
import ConnectorKit
import Logging
import PIMFormats
import SyncModel

public struct CalDAVSettings: Sendable {
    /// The calendar (see `Discovery.calendars` to find it from a server URL).
    public var url: URL
    /// Objects per calendar-multiget.
    public var multigetBatch: Int
    /// When the server cannot list its changes (no sync-collection, or a token it no longer
    /// knows), the events of these days are listed instead of the whole calendar; nil: all.
    public var window: DAVTimeWindow?
    /// Bounds on one calendar object (a hostile or broken server).
    public var limits: ICalLimits
    /// The clock the window and a missing DTSTAMP are read from (tests set it).
    public var now: @Sendable () -> Date

    public init(
        url: URL, multigetBatch: Int = 100, window: DAVTimeWindow? = nil, limits: ICalLimits = .default,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        (self.url, self.multigetBatch, self.window, self.limits, self.now) = (url, multigetBatch, window, limits, now)
    }
}

/// One page of a calendar's changes (see `PullPage`, whose meaning it has).
public struct CalendarPage: Sendable {
    public var mode: PullPage.Mode
    public var upserts: [CalendarObject]
    public var deleted: [RemoteID]
    public var errors: [ItemError]
    public var next: PageToken?
    public var cursor: SpokeCursor?
    public var total: Int?
    public var unchanged: [RemoteID]
}

public enum EventWrite: Hashable, Sendable {
    /// With the hub's marker, which the series carries (`find(marker:)`).
    case create(Event, CreateMarker? = nil)
    case update(RemoteID, RemoteVersion?, Event)
    case delete(RemoteID, RemoteVersion?)
}

/// A CalDAV calendar (RFC 4791) as a source of events: remote ids are resource paths, versions
/// ETags, and each series is one resource named after its UID. Pulls use sync-collection
/// (RFC 6578), else (no token, or one the server forgot) a calendar-query over the window,
/// which never reads an event outside it as deleted; only bodies whose ETag moved are fetched,
/// in bounded calendar-multigets.
public actor CalDAVCalendar {
    let settings: CalDAVSettings
    let session: DAVSession
    let paths: DAVPaths
    let logger: Logger
    var pages = ListingPages()
    var dav: DAVCollection { DAVCollection(session: session, paths: paths, flavor: .calendar) }
    nonisolated var server: String { ServerName.of(settings.url) }

    public init(settings: CalDAVSettings, http: HTTPClient, logger: Logger = HTTPClient.silent) throws {
        self.settings = settings
        self.session = DAVSession(http: http)
        self.paths = try DAVPaths(collection: settings.url)
        self.logger = logger
    }

    /// The resource a series lives in when the hub creates it.
    public nonisolated func resource(uid: String) -> RemoteID { paths.resource(named: ICalNames.baseName(uid: uid) + ".ics") }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> CalendarPage {
        try await ConnectorError.naming(server: server) { try await self.pullHere(since: cursor, page: page, known: known) }
    }

    private func pullHere(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> CalendarPage {
        let (gen, index) = if let page {
            try pages.position(of: page)
        } else {
            (pages.start(try await list(since: cursor, known: known)), 0)
        }
        let listing = pages[gen]
        let batch = listing.batch(index, size: max(settings.multigetBatch, 1))
        var raw = try await dav.multiget(batch.filter { listing.inline[$0] == nil })
        for id in batch {
            guard let b = listing.inline[id] else { continue }
            raw.bodies.append((id, b.text, b.etag))
            pages.dropInline(id, gen: gen)
        }
        var page = CalendarPage(
            mode: listing.mode, upserts: [], deleted: index == 0 ? listing.deleted : [], errors: raw.errors, cursor: listing.cursor,
            total: listing.fetch.count, unchanged: index == 0 ? listing.unchanged : [])
        for b in raw.bodies {
            switch CalendarMapping.read(b.id, b.text, etag: b.etag, on: paths.server, limits: settings.limits) {
            case .event(let o, let skipped):
                page.upserts.append(o)
                page.errors += skipped
            case .notAnEvent: continue
            case .failed(let e): page.errors.append(e)
            }
        }
        // Gone between the listing and the fetch: in a full listing, absence says it already.
        if listing.mode == .incremental { page.deleted += raw.gone }
        page.next = pages.next(after: index, gen: gen, batch: max(settings.multigetBatch, 1))
        return page
    }

    public func write(_ ops: [EventWrite]) async throws -> [WriteOutcome] {
        try await ConnectorError.naming(server: server) { try await self.writeHere(ops) }
    }

    private func writeHere(_ ops: [EventWrite]) async throws -> [WriteOutcome] {
        // An update rewrites the whole object, keeping what the hub does not hold (the object's
        // calendar properties, custom zones, tasks beside the event): read them first, in batches.
        let updates = ops.compactMap { op -> RemoteID? in if case .update(let id, _, _) = op { id } else { nil } }
        var current = RawFetched()
        for chunk in updates.chunked(max(settings.multigetBatch, 1)) { current.merge(try await dav.multiget(Array(chunk))) }
        let now = settings.now()
        let fetched = current
        return try await withThrowingTaskGroup(of: (Int, WriteOutcome).self) { group in
            for (i, op) in ops.enumerated() {
                group.addTask { (i, try await self.apply(op, current: fetched, now: now)) }
            }
            var out = [WriteOutcome](repeating: .notFound, count: ops.count)
            for try await (i, outcome) in group { out[i] = outcome }
            return out
        }
    }

    /// One object now (nil: gone).
    public func fetch(_ id: RemoteID) async throws -> CalendarObject? {
        try await ConnectorError.naming(server: server) {
            let raw = try await self.dav.multiget([id])
            if let e = raw.errors.first { throw ConnectorError(.protocolViolation, e.description) }
            guard let b = raw.bodies.first else { return nil }
            switch CalendarMapping.read(id, b.text, etag: b.etag, on: self.paths.server, limits: self.settings.limits) {
            case .event(let o, _): return o
            case .notAnEvent: return nil
            case .failed(let e): throw ConnectorError(.protocolViolation, e.description)
            }
        }
    }

    /// The series a create of this UID made, if any: after a crash mid-create.
    public func find(uid: String) async throws -> CalendarObject? { try await fetch(resource(uid: uid)) }

    /// The series a create with this marker made, if any: after a crash mid-create. Asked of
    /// the server by a calendar-query on the marker property (RFC 4791 §9.7.2); a server that
    /// refuses that filter is read whole instead. Each answer is checked, so a server that
    /// ignores the filter finds no wrong series.
    public func find(marker: CreateMarker) async throws -> CalendarObject? {
        try await ConnectorError.naming(server: server) {
            var r = try await self.session.report(self.paths.collectionURL, depth: 1, DAVBody.markerQuery(marker.description))
            if !(200..<300).contains(r.status) {
                r = try await self.session.report(self.paths.collectionURL, depth: 1, DAVBody.calendarQuery(range: nil))
            }
            let ms = try self.session.multistatus(r, "REPORT calendar-query")
            let ids = ms.responses.filter { self.paths.isMember($0.href) }.map { self.paths.id($0.href) }
            for chunk in ids.chunked(max(self.settings.multigetBatch, 1)) {
                for b in try await self.dav.multiget(Array(chunk)).bodies {
                    if case .event(let o, _) = CalendarMapping.read(b.id, b.text, etag: b.etag, on: self.paths.server, limits: self.settings.limits),
                       o.marker == marker { return o }
                }
            }
            return nil
        }
    }

    /// The calendar as the server describes it.
    public func describe() async throws -> CalendarCollection {
        try await ConnectorError.naming(server: server) { try await self.describe(props: DAVBody.calendarProps) }
    }

    func describe(props: Data) async throws -> CalendarCollection {
        try await Discovery.describeCalendar(paths.collectionURL, session, props: props)
    }
}
