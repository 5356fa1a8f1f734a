/// The content hash of a series: FNV-1a over tagged canonical texts (the contact's scheme), the
/// entries of a set fed sorted so their order is not content. Identity (the UID) and bookkeeping
/// (SEQUENCE, DTSTAMP, CREATED, LAST-MODIFIED, which servers bump on every write) are not
/// content; kept extra properties, parameters and components are. The tags and texts are what
/// stored hashes were computed with: they never change.
extension Event {
    /// The hash of the normalised series.
    public var contentHash: ContentHash { normalized().rawContentHash }

    /// The hash of this series as it is; call on a series already normalised.
    public var rawContentHash: ContentHash {
        var h = FNV1a()
        if let m = master { EventCanon.feed(m, into: &h) }
        if let r = rule { h.field(21, EventCanon.rule(r)) }
        h.list(22, rdates.map(EventCanon.time))
        h.list(23, exdates.map(EventCanon.time))
        h.list(24, overrides.map { o in
            var sub = FNV1a()
            EventCanon.feed(o.fields, into: &sub)
            return EventCanon.time(o.recurrenceID) + (o.thisAndFuture ? ";THISANDFUTURE" : "") + "\u{1F}"
                + ContentHash(sub.state).description
        })
        return ContentHash(h.state)
    }
}

/// Canonical texts of the model's parts, iCalendar-like, for the hash and for keys.
enum EventCanon {
    static func feed(_ f: EventFields, into h: inout FNV1a) {
        h.field(1, time(f.start))
        // What the end means, so DTEND and the same DURATION hash alike.
        if let t = f.endTime { h.field(2, time(t)) }
        for (tag, v) in [(UInt8(3), f.summary), (4, f.description), (5, f.location), (6, f.url),
                         (7, f.status?.keyword), (8, f.transparency?.keyword), (9, f.classification?.keyword)] {
            if let v { h.field(tag, v) }
        }
        h.list(10, f.categories.map { $0.lowercased() })
        h.list(11, f.alarms.map(alarm))
        if let o = f.organizer { h.field(12, participant(o)) }
        h.list(13, f.attendees.map(participant))
        h.list(14, f.extra.map(property))
        h.list(15, f.extraParams.map { "\($0.key)\u{1F}" + params($0.value) })
        h.list(16, f.components.map(component))
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n.magnitude)  // abs(Int.min) would trap on a damaged value
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func date(_ d: CivilDate) -> String { pad(d.year, 4) + pad(d.month, 2) + pad(d.day, 2) }

    static func dateTime(_ t: CivilDateTime) -> String {
        date(t.date) + "T" + pad(t.hour, 2) + pad(t.minute, 2) + pad(t.second, 2)
    }

    /// `20260302`, `20260302T090000` (floating), `…Z`, `TZID=Europe/Berlin:…`.
    static func time(_ t: EventTime) -> String {
        switch t {
        case .date(let d): date(d)
        case .dateTime(let c, .floating): dateTime(c)
        case .dateTime(let c, .utc): dateTime(c) + "Z"
        case .dateTime(let c, .named(let z)): "TZID=\(z):" + dateTime(c)
        }
    }

    /// Wall-time order, then the text, so sorting is total and the same everywhere.
    static func before(_ a: EventTime, _ b: EventTime) -> Bool {
        a.wall != b.wall ? a.wall < b.wall : time(a) < time(b)
    }

    /// Every unit written, as it was: `P1W` and `P7D` are kept apart, as a source wrote them.
    static func duration(_ d: EventDuration) -> String {
        (d.negative ? "-" : "") + "P\(d.weeks)W\(d.days)DT\(d.hours)H\(d.minutes)M\(d.seconds)S"
    }

    static func params(_ ps: [EventParameter]) -> String {
        ps.map { "\($0.name)=" + $0.values.joined(separator: ",") }.sorted().joined(separator: ";")
    }

    static func participant(_ p: Participant) -> String { p.address + "\u{1F}" + params(p.params) }

    static func property(_ p: EventProperty) -> String { "\(p.name);\(params(p.params)):\(p.value)" }

    static func component(_ c: EventComponent) -> String {
        "BEGIN:\(c.name)\u{1E}" + (c.properties.map(property) + c.components.map(component)).sorted()
            .joined(separator: "\u{1E}") + "\u{1E}END:\(c.name)"
    }

    static func alarm(_ a: EventAlarm) -> String {
        let trigger = switch a.trigger {
        case .relative(let d, let fromEnd): (fromEnd ? "END:" : "START:") + duration(d)
        case .absolute(let t): dateTime(t) + "Z"
        }
        return ([a.action, trigger, a.description ?? ""] + a.extra.map(property).sorted()).joined(separator: "\u{1F}")
    }

    static func day(_ d: EventRule.Day) -> String { (d.ordinal.map(String.init) ?? "") + d.weekday.rawValue }

    /// The rule as RRULE text with every part in a fixed order, lists sorted.
    static func rule(_ r: EventRule) -> String {
        var parts = ["FREQ=\(r.frequency.rawValue)", "INTERVAL=\(r.interval)"]
        switch r.end {
        case .count(let n)?: parts.append("COUNT=\(n)")
        case .until(let t)?: parts.append("UNTIL=" + time(t))
        case nil: break
        }
        if !r.byDay.isEmpty { parts.append("BYDAY=" + r.byDay.map(day).sorted().joined(separator: ",")) }
        for (name, list) in [("BYMONTHDAY", r.byMonthDay), ("BYMONTH", r.byMonth), ("BYYEARDAY", r.byYearDay),
                             ("BYWEEKNO", r.byWeekNo), ("BYHOUR", r.byHour), ("BYMINUTE", r.byMinute),
                             ("BYSECOND", r.bySecond), ("BYSETPOS", r.bySetPos)] where !list.isEmpty {
            parts.append(name + "=" + list.sorted().map(String.init).joined(separator: ","))
        }
        if let w = r.weekStart { parts.append("WKST=" + w.rawValue) }
        parts += r.extra.map { "\($0.name)=\($0.value)" }
        return parts.joined(separator: ";")
    }
}
