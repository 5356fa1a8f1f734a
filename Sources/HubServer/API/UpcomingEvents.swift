import Foundation
import Hummingbird
import SyncCore
import SyncModel

/// One instance on a calendar hub's "upcoming events": when, what, and the sources it lives in.
struct UpcomingEventDTO: ResponseCodable {
    var item: String
    var summary: String
    var start: Date
    var end: Date
    /// All-day: `day` is the date ("2026-05-01"), shown as such in every zone.
    var allDay: Bool
    var day: String?
    var location: String?
    var recurring: Bool
    /// An instance of a series moved away from its rule's time.
    var moved: Bool
    /// Private or confidential: shown to the admin, copied by each source's option.
    var privateEvent: Bool
    var sources: [String]
}

struct UpcomingPage: ResponseCodable {
    var from: Date
    var to: Date
    var events: [UpcomingEventDTO]
    /// Series whose rule could not be expanded (their first instance is shown, when in range).
    var unexpanded: Int
}

/// The upcoming instances of a hub's series, `days` ahead of `now`, at most `limit` of them.
enum UpcomingList {
    struct Series {
        var item: ItemID
        var event: Event
    }

    /// `sources` names the sources of the series shown, asked once for the page's series only
    /// (a hub's links are many; a page shows a few).
    static func page(
        _ series: [Series], now: Int, days: Int, limit: Int, upcoming: Upcoming = Upcoming(),
        sources: ([ItemID]) throws -> [ItemID: [String]]
    ) rethrows -> UpcomingPage {
        let to = now + max(1, days) * 86400
        let found = upcoming.occurrences(of: series.enumerated().map { ($0.offset, $0.element.event) }, from: now, to: to)
        let shown = found.occurrences.prefix(max(0, limit))
        let names = try sources(Array(Set(shown.map { series[$0.key].item })))
        let events = shown.map { o -> UpcomingEventDTO in
            let s = series[o.key]
            let f = o.fields
            let text = Normalize.text(f.summary)
            return UpcomingEventDTO(
                item: s.item.rawValue, summary: text ?? "(no title)",
                start: Date(timeIntervalSince1970: Double(o.occurrence.startInstant)),
                end: Date(timeIntervalSince1970: Double(o.endInstant)),
                allDay: o.occurrence.start.isDate,
                day: o.occurrence.start.isDate ? String(format: "%04d-%02d-%02d", o.occurrence.start.wall.date.year,
                                                        o.occurrence.start.wall.date.month, o.occurrence.start.wall.date.day) : nil,
                location: Normalize.text(f.location), recurring: s.event.isRecurring,
                moved: o.occurrence.override != nil && o.occurrence.start != o.occurrence.recurrenceID,
                privateEvent: f.classification == .private || f.classification == .confidential,
                sources: names[s.item] ?? [])
        }
        return UpcomingPage(from: Date(timeIntervalSince1970: Double(now)), to: Date(timeIntervalSince1970: Double(to)),
                            events: Array(events), unexpanded: found.unexpanded.count)
    }
}
