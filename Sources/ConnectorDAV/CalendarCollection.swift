import Foundation
import ConnectorHTTP
import ConnectorKit
import PIMFormats

/// A calendar found on a server, to pick from.
public struct CalendarCollection: Hashable, Sendable {
    public var url: URL
    public var displayName: String?
    public var description: String?
    /// RFC 6578 sync-collection: incremental pulls cost what changed.
    public var supportsSync: Bool
    /// supported-calendar-component-set, upper-cased (empty: the server does not say, so any).
    public var components: [String]
    /// The collection's current sync token and CalendarServer ctag, when it gives them.
    var syncToken: String?
    var ctag: String?

    init(url: URL, _ r: DAVResponse) {
        self.url = url
        displayName = r.text(.d("displayname"))
        description = r.text(.cal("calendar-description"))
        supportsSync = r.names(in: .d("supported-report-set")).contains(.d("sync-collection"))
        components = (r.props[.cal("supported-calendar-component-set")]?.all(.cal("comp")) ?? []).compactMap {
            $0.attributes["name"]?.uppercased()
        }
        syncToken = r.text(.d("sync-token"))
        ctag = r.text(DAVName(DAVName.cs, "getctag"))
    }

    /// Where events can live (a task list or a journal cannot hold them).
    public var holdsEvents: Bool { components.isEmpty || components.contains("VEVENT") }

    static func isCalendar(_ r: DAVResponse) -> Bool {
        r.names(in: .d("resourcetype")).contains(.cal("calendar"))
    }
}

extension DAVBody {
    static let calendarProps = propfind([
        "d:resourcetype", "d:displayname", "d:current-user-principal", "cal:calendar-home-set",
        "cal:calendar-description", "cal:supported-calendar-component-set", "d:supported-report-set", "d:sync-token",
        "cs:getctag",
    ])
    /// The check before a first listing: what the calendar is, not its token (see `listingProps`).
    static let calendarListingProps = propfind([
        "d:resourcetype", "cal:supported-calendar-component-set", "d:supported-report-set",
    ])
    /// After a refused token: a new token (or ctag) to go on from, read before the listing.
    static let tokenProps = propfind(["d:resourcetype", "d:supported-report-set", "d:sync-token", "cs:getctag"])

    /// RFC 4791 §9.7.2: the events whose marker property holds `marker`.
    static func markerQuery(_ marker: String) -> Data {
        Data(
            """
            \(head)<cal:calendar-query \(namespaces)><d:prop><d:getetag/></d:prop><cal:filter>\
            <cal:comp-filter name="VCALENDAR"><cal:comp-filter name="VEVENT">\
            <cal:prop-filter name="\(ICalMarker.property)"><cal:text-match collation="i;octet">\(escape(marker))</cal:text-match>\
            </cal:prop-filter></cal:comp-filter></cal:comp-filter></cal:filter></cal:calendar-query>
            """.utf8)
    }

    /// RFC 4791 §7.8: the events' ETags, within `range` when given (UTC, `20261207T000000Z`).
    static func calendarQuery(range: (start: String, end: String)?) -> Data {
        let time = range.map { #"<cal:time-range start="\#($0.start)" end="\#($0.end)"/>"# } ?? ""
        return Data(
            """
            \(head)<cal:calendar-query \(namespaces)><d:prop><d:getetag/></d:prop><cal:filter>\
            <cal:comp-filter name="VCALENDAR"><cal:comp-filter name="VEVENT">\(time)</cal:comp-filter></cal:comp-filter>\
            </cal:filter></cal:calendar-query>
            """.utf8)
    }
}

extension DAVHome {
    static let calendars = DAVHome(
        homeSet: .cal("calendar-home-set"), wellKnown: "/.well-known/caldav", props: DAVBody.calendarProps,
        noun: "calendar", isCollection: CalendarCollection.isCalendar)
}

extension Discovery {
    /// The calendars that hold events, from a plain URL (the calendar itself, a principal, a
    /// home, or the server): current-user-principal → calendar-home-set → collections.
    public static func calendars(at url: URL, http: HTTPClient) async throws -> [CalendarCollection] {
        try await collections(at: url, DAVSession(http: http), .calendars)
            .map { CalendarCollection(url: $0.0, $0.1) }.filter(\.holdsEvents)
    }

    static func describeCalendar(_ url: URL, _ s: DAVSession, props: Data = DAVBody.calendarProps) async throws -> CalendarCollection {
        let c = CalendarCollection(url: url, try await describeCollection(url, s, props: props, .calendars))
        guard c.holdsEvents else {
            throw ConnectorError(
                .misconfigured, "\(url.path) holds no events (only \(c.components.joined(separator: ", ")))", server: ServerName.of(url))
        }
        return c
    }
}
