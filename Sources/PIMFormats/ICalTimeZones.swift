import Foundation
import SyncModel

/// VTIMEZONE blocks for the IANA zones a calendar uses, derived from the system's zone data:
/// each DST switch of one year as a yearly rule (`BYMONTH=3;BYDAY=-1SU`), as Mozilla-style
/// writers do, so readers that ignore the TZID's name still expand later years right.
enum ICalTimeZones {
    static func used(in events: [Event]) -> Set<String> {
        var ids = Set<String>()
        func note(_ t: EventTime?) { if case .dateTime(_, .named(let id))? = t { ids.insert(id) } }
        func note(_ f: EventFields) {
            note(f.start)
            if case .time(let t)? = f.end { note(t) }
        }
        for e in events {
            if let m = e.master { note(m) }
            e.rdates.forEach(note)
            e.exdates.forEach(note)
            for o in e.overrides { note(o.recurrenceID); note(o.fields) }
        }
        return ids
    }

    /// The earliest year any event starts in (the VTIMEZONE's rules start a year before).
    static func firstYear(_ events: [Event]) -> Int {
        let years = events.flatMap { e in [e.master?.start] + e.overrides.map { $0.fields.start } }.compactMap { $0?.wall.date.year }
        return years.min() ?? 2000
    }

    static func vtimezone(_ id: String, from year: Int) -> EventComponent? {
        guard let zone = TimeZone(identifier: id) else { return nil }
        let y = year - 1
        let begin = Date(timeIntervalSince1970: TimeInterval(CivilDate(y, 1, 1).dayNumber * 86400))
        let end = Date(timeIntervalSince1970: TimeInterval(CivilDate(y + 1, 1, 1).dayNumber * 86400))
        var transitions: [Date] = []
        var cursor = begin
        while let t = zone.nextDaylightSavingTimeTransition(after: cursor), t < end, transitions.count < 4 {
            transitions.append(t)
            cursor = t
        }
        var kids: [EventComponent] = []
        if transitions.isEmpty {
            let off = zone.secondsFromGMT(for: begin)
            kids.append(observance("STANDARD", CivilDateTime(CivilDate(1970, 1, 1)), from: off, to: off, rule: nil,
                                   name: zone.abbreviation(for: begin)))
        }
        for t in transitions {
            let before = zone.secondsFromGMT(for: t.addingTimeInterval(-1)), after = zone.secondsFromGMT(for: t)
            let wall = CivilDateTime(secondsSinceEpoch: Int(t.timeIntervalSince1970) + before)
            let d = wall.date
            let ordinal = d.day > CivilDate.daysIn(d.year, d.month) - 7 ? -1 : (d.day - 1) / 7 + 1
            let rule = "FREQ=YEARLY;BYMONTH=\(d.month);BYDAY=\(ordinal)\(d.weekday.rawValue)"
            let dst = zone.isDaylightSavingTime(for: t)
            kids.append(observance(dst ? "DAYLIGHT" : "STANDARD", wall, from: before, to: after, rule: rule,
                                   name: zone.abbreviation(for: t)))
        }
        return EventComponent(name: "VTIMEZONE", properties: [EventProperty(name: "TZID", value: id)], components: kids)
    }

    private static func observance(_ kind: String, _ start: CivilDateTime, from: Int, to: Int, rule: String?, name: String?) -> EventComponent {
        var p = [EventProperty(name: "DTSTART", value: ICalValues.format(start)),
                 EventProperty(name: "TZOFFSETFROM", value: offset(from)),
                 EventProperty(name: "TZOFFSETTO", value: offset(to))]
        if let rule { p.append(EventProperty(name: "RRULE", value: rule)) }
        if let name { p.append(EventProperty(name: "TZNAME", value: name)) }
        return EventComponent(name: kind, properties: p)
    }

    private static func offset(_ s: Int) -> String {
        let a = abs(s)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return (s < 0 ? "-" : "+") + two(a / 3600) + two(a % 3600 / 60) + (a % 60 == 0 ? "" : two(a % 60))
    }
}

extension ICalendar {
    /// Zones for expanding this calendar's events: IANA ids from the system, and a custom
    /// VTIMEZONE nobody could name (Outlook's "Customized Time Zone") as its standard offset,
    /// the best a fixed reading can do (its DST rules, if any, are not applied).
    public var zoneResolver: ZoneResolver {
        var custom: [String: Int] = [:]
        for tz in timeZones {
            guard let id = tz.properties.first(where: { $0.name == "TZID" })?.value.trimmingWhitespace() else { continue }
            let observance = tz.components.first { $0.name == "STANDARD" } ?? tz.components.first
            if let to = observance?.properties.first(where: { $0.name == "TZOFFSETTO" }), let s = ICalTimeZones.seconds(to.value) {
                custom[id] = s
            }
        }
        return ZoneResolver { [custom] id in
            TimeZone(identifier: id) ?? custom[id].flatMap { TimeZone(secondsFromGMT: $0) }
        }
    }
}

extension ICalTimeZones {
    /// `+0530`, `-0800`, `+013045` → seconds east of UTC.
    static func seconds(_ raw: String) -> Int? {
        let s = raw.trimmingWhitespace()
        guard let sign = s.first, sign == "+" || sign == "-", s.count == 5 || s.count == 7,
              let n = Int(s.dropFirst()) else { return nil }
        let (h, m, sec) = s.count == 5 ? (n / 100, n % 100, 0) : (n / 10000, n / 100 % 100, n % 100)
        return (sign == "-" ? -1 : 1) * (h * 3600 + m * 60 + sec)
    }
}
