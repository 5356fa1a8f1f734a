import Foundation
import ConnectorKit
import PIMFormats
import SyncModel

/// The days around now a calendar is read in when it cannot list its changes (PROTOCOLS §3.6).
public struct DAVTimeWindow: Hashable, Sendable {
    public var pastDays: Int
    public var futureDays: Int
    public init(pastDays: Int = 30, futureDays: Int = 365) {
        (self.pastDays, self.futureDays) = (pastDays, futureDays)
    }

    /// The calendar-query time-range (RFC 4791 §9.9: UTC date-times).
    func range(now: Date) -> (start: String, end: String) {
        let day = 86_400.0
        return (Self.utc(now.addingTimeInterval(-Double(pastDays) * day)), Self.utc(now.addingTimeInterval(Double(futureDays) * day)))
    }

    static func utc(_ d: Date) -> String {
        let t = CivilDateTime(secondsSinceEpoch: Int(d.timeIntervalSince1970.rounded(.down)))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return String(format: "%04d", t.date.year) + two(t.date.month) + two(t.date.day) + "T" + two(t.hour) + two(t.minute)
            + two(t.second) + "Z"
    }
}

/// One calendar object resource (RFC 4791 §4.1: one series, master and overrides, under one UID)
/// as read: the series, and the rest of the object (calendar properties, custom zones, what is
/// not an event), which an update writes back as it was.
public struct CalendarObject: Hashable, Sendable {
    public var id: RemoteID
    /// The ETag.
    public var version: RemoteVersion?
    public var event: Event
    /// The hub's mark, on a series the hub created (`ICalMarker`); not part of `event`.
    public var marker: CreateMarker?
    var calendar: ICalendar

    public init(id: RemoteID, version: RemoteVersion?, event: Event) {
        (self.id, self.version, self.event) = (id, version, event)
        calendar = ICalendar(events: [event])
    }

    init(id: RemoteID, version: RemoteVersion?, calendar: ICalendar) {
        (self.id, self.version, self.calendar) = (id, version, calendar)
        let (e, m) = ICalMarker.split(calendar.events[0])
        (event, marker) = (e, m.flatMap(CreateMarker.init(parsing:)))
    }
}

/// Pure mapping between what a CalDAV server holds and events.
enum CalendarMapping {
    enum Read {
        case event(CalendarObject, skipped: [ItemError])
        /// A task, a journal, a free/busy block: not the hub's, neither an item nor an error.
        case notAnEvent
        case failed(ItemError)
    }

    static func read(_ id: RemoteID, _ text: String, etag: String?, on server: String, limits: ICalLimits) -> Read {
        let unreadable = "the calendar object on \(server) cannot be read"
        let cal: ICalendar
        do {
            cal = try ICalParser.parse(text, limits: limits)
        } catch {
            return .failed(ItemError(remoteID: id, message: "\(unreadable): \(error.description)"))
        }
        let problems = cal.problems.map {
            ItemError(remoteID: nil, message: "the calendar object \(id.rawValue) on \(server): \($0.description) (skipped)")
        }
        switch cal.events.count {
        case 0 where cal.problems.isEmpty: return .notAnEvent
        case 0: return .failed(ItemError(remoteID: id, message: "\(unreadable): \(cal.problems[0].description)"))
        case 1: return .event(CalendarObject(id: id, version: etag.map { RemoteVersion($0) }, calendar: cal), skipped: problems)
        default:
            // RFC 4791 §4.1 allows one UID per resource; which series would be the item is a guess.
            let uids = cal.events.map(\.uid).joined(separator: ", ")
            return .failed(ItemError(remoteID: id, message: "the calendar object on \(server) holds several series (\(uids)) where one was expected"))
        }
    }

    /// The object to PUT: the series in the object as it was (its calendar properties, custom
    /// zones and other components kept), or alone in a new one; no METHOD, and nobody invited or
    /// told (`ICalOutbound`: SCHEDULE-AGENT=CLIENT, PROTOCOLS §3.5).
    /// A create carries the hub's `marker`; an update keeps the one the object had.
    static func body(_ event: Event, over old: ICalendar?, marker: CreateMarker? = nil, now: Date) -> Data {
        var cal = old ?? ICalendar()
        cal.events = [ICalMarker.writing(event, over: old?.events.first, marker: marker?.description)]
        cal.problems = []
        let stamp = CivilDateTime(secondsSinceEpoch: Int(now.timeIntervalSince1970))
        return Data(ICalWriter.write(ICalOutbound.prepare(cal), stampIfMissing: stamp).utf8)
    }
}
