import Foundation
import ConnectorHTTP
import ConnectorKit
import PIMFormats
import SyncModel

extension CalDAVCalendar {
    func list(since cursor: SpokeCursor?, known: KnownVersions) async throws -> Listing {
        let last = CalendarCursor(cursor)
        switch last.token {
        case .sync(let token)?:
            // Straight to the report: a quiet calendar costs this one request.
            if let l = try await dav.syncListing(token: token, known: known, bodies: true) { return l }
            logger.notice("sync token refused by the server: listing by calendar-query", metadata: ["collection": "\(paths.collection)"])
            // Read by sync-collection until now, no window was tracked: a window listing could not
            // tell a series deleted meanwhile from one never listed, so the whole calendar is, once.
            return try await queryListing(known, window: last.window, whole: last.window.isEmpty)
        case .ctag(let tag)?:
            let c = try await describe(props: DAVBody.tokenProps)
            if c.ctag == tag { return Listing(mode: .incremental, cursor: cursor) }
            return try await queryListing(known, c, window: last.window)
        case nil:
            let c = try await describe(props: DAVBody.calendarListingProps)
            // With none of the events held (a first sync), they come with the report itself.
            if c.supportsSync, let l = try await dav.syncListing(token: nil, known: known, bodies: known.knowsNothing) { return l }
            return try await queryListing(known)
        }
    }

    /// The fallback: the events' ETags by calendar-query (RFC 4791 §7.8), within the window when
    /// one is set. The token (or ctag) is read first, so a change made meanwhile shows next time.
    /// A windowed listing is not a full one: an event outside it is not there, not deleted. But
    /// it is complete for the window: what the last one held (`window`, from the cursor) and
    /// this one lacks is asked for, and is deleted when the server has it no more; one still
    /// there left the window (or moved out of it), and is listed as any other.
    private func queryListing(
        _ known: KnownVersions, _ described: CalendarCollection? = nil, window last: [String] = [], whole: Bool = false
    ) async throws -> Listing {
        let c: CalendarCollection
        if let described { c = described } else { c = try await describe(props: DAVBody.tokenProps) }
        let range = whole ? nil : settings.window?.range(now: settings.now())
        let r = try await session.report(paths.collectionURL, depth: 1, DAVBody.calendarQuery(range: range))
        let ms = try session.multistatus(r, "REPORT calendar-query")
        var listed: [(RemoteID, String)] = []
        for resp in ms.responses where paths.isMember(resp.href) {
            guard let etag = resp.text(.d("getetag")) else { continue }
            listed.append((paths.id(resp.href), etag))
        }
        let token = c.supportsSync ? c.syncToken.map(DAVCursor.sync) : nil
        let names = range == nil ? [] : listed.map { String($0.0.rawValue.dropFirst(paths.collection.count)) }
        var l = Listing(mode: range == nil ? .full : .incremental,
                        cursor: CalendarCursor(token: token ?? c.ctag.map(DAVCursor.ctag), window: names).cursor)
        if range != nil {
            let now = Set(names)
            let missing = last.filter { !now.contains($0) && !$0.contains("/") }.map { RemoteID(paths.collection + $0) }
            for chunk in missing.chunked(max(settings.multigetBatch, 1)) {
                let raw = try await dav.multiget(Array(chunk))
                l.deleted += raw.gone
                for b in raw.bodies {
                    if let etag = b.etag { l.inline[b.id] = (b.text, etag) }
                    listed.append((b.id, b.etag ?? ""))
                }
            }
        }
        try await l.sort(listed, known: known)
        return l
    }

    /// One write; the server's refusal of this object is an item error, not the batch's.
    func apply(_ op: EventWrite, current: RawFetched, now: Date) async throws -> WriteOutcome {
        switch op {
        case .create(let event, let marker):
            let id = resource(uid: event.uid)
            let r = try await session.put(
                paths.url(id), CalendarMapping.body(event, over: nil, marker: marker, now: now), type: DAVFlavor.calendar.contentType,
                condition: ("If-None-Match", "*"))
            switch r.status {
            case 200..<300: return .created(id, r.header("ETag").map { RemoteVersion($0) })
            case 412:
                // The series is there already (an earlier try whose answer was lost, or another
                // client's copy of the same UID): linked without a version, so the next pull
                // reads it and merges, rather than taking it for what the hub wrote.
                return .created(id, nil)
            case 403 where DAVSession.snippet(r).contains("uid-conflict"), 409:
                return .failed(ItemError(remoteID: id, message: "the calendar holds the series \(event.uid) under another name already"))
            default: return DAVSession.refused(id, r, "create")
            }
        case .update(let id, let expected, let event):
            if current.gone.contains(id) { return .notFound }
            if let e = current.errors.first(where: { $0.remoteID == id }) { return .failed(e) }
            guard let b = current.bodies.first(where: { $0.id == id }) else { return .notFound }
            if let expected, let etag = b.etag, expected.rawValue != etag { return .conflict }
            guard let match = b.etag ?? expected?.rawValue else {
                return .failed(ItemError(remoteID: id, message: "the server gives no ETag: cannot update safely"))
            }
            let old: ICalendar?
            switch CalendarMapping.read(id, b.text, etag: b.etag, on: paths.server, limits: settings.limits) {
            case .event(let o, _): old = o.calendar
            case .notAnEvent: old = nil
            case .failed(let e): return .failed(e)
            }
            let r = try await session.put(
                paths.url(id), CalendarMapping.body(event, over: old, now: now), type: DAVFlavor.calendar.contentType,
                condition: ("If-Match", match))
            switch r.status {
            case 200..<300: return .updated(r.header("ETag").map { RemoteVersion($0) })
            case 412: return .conflict
            case 404: return .notFound
            default: return DAVSession.refused(id, r, "update")
            }
        case .delete(let id, let expected):
            let r = try await session.delete(paths.url(id), ifMatch: expected?.rawValue)
            switch r.status {
            case 200..<300: return .deleted
            case 404, 410: return .notFound
            case 412: return .conflict
            default: return DAVSession.refused(id, r, "delete")
            }
        }
    }

}
