import Foundation
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import PIMFormats
import SyncModel
import TestSupport

/// Calendars on the real servers (Radicale, Xandikos), made the way another client would.
extension DAVServer {
    /// Where new calendars go.
    var calendarHome: URL {
        switch kind {
        case .radicale: base.appendingPathComponent("alice/")
        case .xandikos: base.appendingPathComponent("user/calendars/")
        }
    }

    /// A new, empty calendar (MKCALENDAR, RFC 4791 §5.3.1) for `components`.
    func makeCalendar(_ name: String = "cal-\(UUID().uuidString.prefix(8))", components: [String] = ["VEVENT"]) async throws -> URL {
        let url = calendarHome.appendingPathComponent(name + "/")
        let comps = components.map { #"<C:comp name="\#($0)"/>"# }.joined()
        let body = """
            <?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">\
            <D:set><D:prop><D:displayname>\(name)</D:displayname>\
            <C:supported-calendar-component-set>\(comps)</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>
            """
        let r = try await client().send(HTTPRequest(
            HTTPMethod(rawValue: "MKCALENDAR"), url, headers: [("Content-Type", "application/xml")], body: Data(body.utf8)))
        guard r.status == 201 else { throw ServerError("MKCALENDAR \(url.path): \(r.status)\n\(process.output().suffix(2000))") }
        return url
    }

    func calendar(_ url: URL, batch: Int = 100, window: DAVTimeWindow? = nil, now: @escaping @Sendable () -> Date = { Date() }) throws
        -> CalDAVCalendar
    {
        try CalDAVCalendar(settings: CalDAVSettings(url: url, multigetBatch: batch, window: window, now: now), http: client())
    }
}

/// A series the way calendar apps write them: weekly, one instance moved, one cancelled.
enum SampleEvents {
    static let moved = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//Other App//EN\r
        BEGIN:VEVENT\r
        UID:%UID%\r
        DTSTAMP:20261201T090000Z\r
        DTSTART;TZID=Europe/Berlin:20261207T100000\r
        DTEND;TZID=Europe/Berlin:20261207T110000\r
        RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10\r
        EXDATE;TZID=Europe/Berlin:20261221T100000\r
        SUMMARY:%SUMMARY%\r
        LOCATION:Room 4\r
        CATEGORIES:Team\r
        ORGANIZER;CN=Ann:mailto:ann@example.com\r
        ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@example.com\r
        X-OTHER-APP-COLOR:teal\r
        BEGIN:VALARM\r
        ACTION:DISPLAY\r
        TRIGGER:-PT15M\r
        DESCRIPTION:Standup\r
        END:VALARM\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:%UID%\r
        DTSTAMP:20261201T090000Z\r
        RECURRENCE-ID;TZID=Europe/Berlin:20261214T100000\r
        DTSTART;TZID=Europe/Berlin:20261215T140000\r
        DTEND;TZID=Europe/Berlin:20261215T150000\r
        SUMMARY:%SUMMARY% (moved)\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    static func text(uid: String, summary: String = "Standup") -> String {
        moved.replacingOccurrences(of: "%UID%", with: uid).replacingOccurrences(of: "%SUMMARY%", with: summary)
    }

    static func event(uid: String, summary: String = "Standup") throws -> Event {
        try ICalParser.parse(text(uid: uid, summary: summary)).events[0]
    }

    /// A one-off event on a day.
    static func single(uid: String, summary: String, day: CivilDate, hour: Int = 9) -> Event {
        var f = EventFields(
            start: .dateTime(CivilDateTime(day, hour), .named("Europe/Berlin")),
            end: .time(.dateTime(CivilDateTime(day, hour + 1), .named("Europe/Berlin"))), summary: summary)
        f.stamp = CivilDateTime(CivilDate(2026, 12, 1), 9)
        return Event(uid: uid, master: f)
    }
}

extension CalDAVCalendar {
    /// Every page of one pull.
    func pullAll(since cursor: SpokeCursor? = nil, known: KnownVersions = .none) async throws -> (pages: [CalendarPage], cursor: SpokeCursor?) {
        var pages: [CalendarPage] = []
        var token: PageToken?
        repeat {
            let p = try await pull(since: cursor, page: token, known: known)
            pages.append(p)
            token = p.next
        } while token != nil
        return (pages, pages.last?.cursor)
    }

    /// Creates the events; each created series' id and ETag, as the hub would hold them.
    func created(_ events: [Event]) async throws -> [RemoteID: RemoteVersion] {
        Dictionary(uniqueKeysWithValues: try await write(events.map { .create($0) }).compactMap { o -> (RemoteID, RemoteVersion)? in
            if case .created(let id, let v?) = o { (id, v) } else { nil }
        })
    }
}

extension KnownVersions {
    /// What a hub holding exactly these versions knows.
    static func holding(_ versions: [RemoteID: RemoteVersion]) -> KnownVersions {
        KnownVersions { ids in versions.filter { ids.contains($0.key) } }
    }
}
