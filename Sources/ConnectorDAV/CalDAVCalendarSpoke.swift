import Foundation
import ConnectorHTTP
import ConnectorKit
import Logging
import SyncModel

/// A CalDAV calendar as a spoke of a calendar hub: the client (`CalDAVCalendar`) in the engine's
/// terms. Mapping only: every decision is the engine's.
public struct CalDAVCalendarSpoke: ItemConnector {
    public typealias Item = Event
    public let client: CalDAVCalendar
    public var capabilities: Set<Event.Field>? { nil }
    public let maxBatch: Int

    public init(settings: CalDAVSettings, http: HTTPClient, logger: Logger = HTTPClient.silent) throws {
        client = try CalDAVCalendar(settings: settings, http: http, logger: logger)
        maxBatch = max(settings.multigetBatch, 1)
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Event> {
        try await pull(since: cursor, page: page, known: .none)
    }

    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> ItemPullPage<Event> {
        let p = try await client.pull(since: cursor, page: page, known: known)
        return ItemPullPage<Event>(
            mode: p.mode == .full ? .full : .incremental, changes: p.upserts.map { ItemChange<Event>.upsert(Self.remote($0)) } + p.deleted.map { ItemChange<Event>.delete($0) }, errors: p.errors,
            next: p.next, cursor: p.cursor, total: p.total, unchanged: p.unchanged)
    }

    public func write(_ ops: [ItemWriteOp<Event>]) async throws -> [WriteOutcome] {
        try await client.write(ops.map { op in
            switch op {
            case .create(let e, let marker): .create(e, marker)
            case .update(let id, let v, let e): .update(id, v, e)
            case .delete(let id, let v): .delete(id, v)
            }
        })
    }

    public func fetch(_ id: RemoteID) async throws -> Remote<Event>? {
        try await client.fetch(id).map(Self.remote)
    }

    /// Creates are named after the UID and carry the marker (`ICalMarker`), which the server is
    /// asked for.
    public func find(marker: CreateMarker) async throws -> Remote<Event>? {
        try await client.find(marker: marker).map(Self.remote)
    }

    static func remote(_ o: CalendarObject) -> Remote<Event> {
        Remote(id: o.id, version: o.version, item: o.event, marker: o.marker)
    }
}
