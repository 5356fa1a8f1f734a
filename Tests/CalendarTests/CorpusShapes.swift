import SyncModel

/// A named series of the differential corpus.
struct CorpusSeries {
    var name: String
    var event: Event
}

/// Builders for corpus events.
enum Build {
    static let berlin = EventZone.named("Europe/Berlin"), newYork = EventZone.named("America/New_York")
    static let sydney = EventZone.named("Australia/Sydney")

    static func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 9, _ mi: Int = 0, _ z: EventZone) -> EventTime {
        .dateTime(CivilDateTime(CivilDate(y, m, d), h, mi), z)
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> EventTime { .date(CivilDate(y, m, d)) }

    static func rule(_ f: EventRule.Frequency, interval: Int = 1, end: EventRule.End? = nil,
                     _ edit: (inout EventRule) -> Void = { _ in }) -> EventRule {
        var r = EventRule(f, interval: interval, end: end)
        edit(&r)
        return r
    }

    static func series(_ uid: String, _ start: EventTime, hours: Int = 1, _ rule: EventRule?, summary: String? = nil) -> Event {
        var f = EventFields(start: start, summary: summary ?? uid)
        f.end = start.isDate ? .duration(EventDuration(days: 1)) : .duration(EventDuration(hours: hours))
        return Event(uid: uid, master: f, rule: rule)
    }

    static func moved(_ rid: EventTime, to start: EventTime, summary: String, cancelled: Bool = false) -> EventOverride {
        var f = EventFields(start: start, summary: summary)
        f.end = start.isDate ? .duration(EventDuration(days: 1)) : .duration(EventDuration(hours: 1))
        if cancelled { f.status = .cancelled }
        return EventOverride(recurrenceID: rid, fields: f)
    }

    static let weekdays: [EventRule.Day] = [.monday, .tuesday, .wednesday, .thursday, .friday].map { EventRule.Day($0) }
}

/// The real-world shapes issue 16 names, written by hand.
enum CorpusShapes {
    static func all() -> [CorpusSeries] {
        typealias B = Build
        var out: [CorpusSeries] = []
        func add(_ name: String, _ e: Event) { out.append(CorpusSeries(name: name, event: e)) }

        add("every-weekday-berlin", B.series("every-weekday-berlin", B.at(2024, 3, 25, 9, 0, B.berlin),
            B.rule(.weekly, end: .until(B.at(2024, 11, 29, 8, 0, .utc))) { $0.byDay = B.weekdays }))
        add("last-workday-ny", B.series("last-workday-ny", B.at(2024, 1, 31, 16, 0, B.newYork),
            B.rule(.monthly) { $0.byDay = B.weekdays; $0.bySetPos = [-1] }))
        add("last-workday-count", B.series("last-workday-count", B.day(2024, 1, 31),
            B.rule(.monthly, end: .count(18)) { $0.byDay = B.weekdays; $0.bySetPos = [-1] }))
        add("first-workday-sydney", B.series("first-workday-sydney", B.at(2024, 2, 1, 8, 30, B.sydney),
            B.rule(.monthly) { $0.byDay = B.weekdays; $0.bySetPos = [1] }))
        add("feb29-yearly", B.series("feb29-yearly", B.day(2024, 2, 29), B.rule(.yearly)))
        add("feb29-bymonthday", B.series("feb29-bymonthday", B.at(2024, 2, 29, 12, 0, B.berlin),
            B.rule(.yearly) { $0.byMonth = [2]; $0.byMonthDay = [29] }))
        add("berlin-0230-daily", B.series("berlin-0230-daily", B.at(2024, 3, 28, 2, 30, B.berlin),
            B.rule(.daily, end: .count(220))))
        add("ny-0130-weekly-sunday", B.series("ny-0130-weekly-sunday", B.at(2024, 2, 25, 1, 30, B.newYork),
            B.rule(.weekly, end: .count(60))))
        add("sydney-0230-sunday", B.series("sydney-0230-sunday", B.at(2024, 3, 3, 2, 30, B.sydney),
            B.rule(.weekly, end: .until(B.at(2025, 6, 1, 0, 0, .utc)))))
        add("monthly-31st", B.series("monthly-31st", B.at(2024, 1, 31, 10, 0, B.berlin), B.rule(.monthly)))
        add("monthly-last-day", B.series("monthly-last-day", B.day(2024, 1, 31), B.rule(.monthly) { $0.byMonthDay = [-1] }))
        add("thanksgiving", B.series("thanksgiving", B.day(2024, 11, 28),
            B.rule(.yearly) { $0.byMonth = [11]; $0.byDay = [EventRule.Day(.thursday, 4)] }))
        add("biweekly-tu-th-wkst-su", B.series("biweekly-tu-th-wkst-su", B.at(2024, 8, 6, 9, 0, B.newYork),
            B.rule(.weekly, interval: 2, end: .count(8)) { $0.byDay = [EventRule.Day(.tuesday), EventRule.Day(.sunday)]; $0.weekStart = .sunday }))
        add("biweekly-tu-su-wkst-mo", B.series("biweekly-tu-su-wkst-mo", B.at(2024, 8, 6, 9, 0, B.newYork),
            B.rule(.weekly, interval: 2, end: .count(8)) { $0.byDay = [EventRule.Day(.tuesday), EventRule.Day(.sunday)] }))
        add("floating-daily", B.series("floating-daily", B.at(2024, 10, 20, 7, 0, .floating), B.rule(.daily, end: .count(30))))
        add("utc-weekly", B.series("utc-weekly", B.at(2024, 1, 5, 15, 0, .utc), B.rule(.weekly, interval: 3)))
        add("single-berlin", B.series("single-berlin", B.at(2025, 3, 30, 2, 30, B.berlin), nil))

        // Moved and cancelled instances: an override moved later, one into the next day, one
        // cancelled by STATUS, one EXDATE; and an RDATE.
        var team = B.series("team-moved-cancelled", B.at(2024, 10, 1, 10, 0, B.berlin),
                            B.rule(.weekly, end: .count(20)) { $0.byDay = [EventRule.Day(.tuesday), EventRule.Day(.thursday)] })
        team.exdates = [B.at(2024, 10, 8, 10, 0, B.berlin)]
        team.rdates = [B.at(2024, 10, 12, 11, 0, B.berlin)]
        team.overrides = [
            B.moved(B.at(2024, 10, 3, 10, 0, B.berlin), to: B.at(2024, 10, 3, 14, 0, B.berlin), summary: "later"),
            B.moved(B.at(2024, 10, 29, 10, 0, B.berlin), to: B.at(2024, 10, 30, 10, 0, B.berlin), summary: "next day"),
            B.moved(B.at(2024, 11, 5, 10, 0, B.berlin), to: B.at(2024, 11, 5, 10, 0, B.berlin), summary: "off", cancelled: true),
        ]
        add("team-moved-cancelled", team)
        var holiday = B.series("allday-moved", B.day(2024, 1, 1), B.rule(.monthly, end: .count(12)))
        holiday.exdates = [B.day(2024, 5, 1)]
        holiday.overrides = [B.moved(B.day(2024, 7, 1), to: B.day(2024, 7, 3), summary: "moved")]
        add("allday-moved", holiday)
        return out
    }
}
