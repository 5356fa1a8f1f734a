import SyncModel

/// Writes iCalendar (RFC 5545): CRLF, lines folded at 75 octets, UTF-8; a VTIMEZONE for every
/// zone used (TZIDs are IANA ids), overrides after their master with RECURRENCE-ID in the
/// master's zone, and every kept property and parameter back where the model holds it.
public enum ICalWriter {
    /// `stampIfMissing` fills a missing DTSTAMP (RFC 5545 requires one; the model keeps none invented).
    public static func write(_ cal: ICalendar, stampIfMissing: CivilDateTime? = nil) -> String {
        var sink = LineSink()
        sink.add("BEGIN", value: "VCALENDAR")
        let props = cal.properties
        if !props.contains(where: { $0.name == "VERSION" }) { sink.add("VERSION", value: "2.0") }
        if !props.contains(where: { $0.name == "PRODID" }) { sink.add("PRODID", value: "-//HubSync//HubSync//EN") }
        for p in props { add(&sink, p) }
        let custom = Set(cal.timeZones.compactMap { $0.properties.first { $0.name == "TZID" }?.value })
        for id in ICalTimeZones.used(in: cal.events).subtracting(custom).sorted() {
            if let block = ICalTimeZones.vtimezone(id, from: ICalTimeZones.firstYear(cal.events)) { component(&sink, block) }
        }
        for tz in cal.timeZones { component(&sink, tz) }
        for e in cal.events { event(&sink, e, stampIfMissing) }
        for o in cal.others { component(&sink, o) }
        sink.add("END", value: "VCALENDAR")
        return String(decoding: sink.out, as: UTF8.self)
    }

    /// One series as a whole file (the `.ics` folder spoke, a CalDAV resource).
    public static func write(_ event: Event, stampIfMissing: CivilDateTime? = nil) -> String {
        write(ICalendar(events: [event]), stampIfMissing: stampIfMissing)
    }

    private static func event(_ sink: inout LineSink, _ e: Event, _ stamp: CivilDateTime?) {
        if let m = e.master {
            vevent(&sink, e.uid, m, stamp) { s in
                if let r = e.rule { s.add("RRULE", value: ICalRule.format(r)) }
                for t in e.rdates { time(&s, "RDATE", t, []) }
                for t in e.exdates { time(&s, "EXDATE", t, []) }
            }
        }
        let resolver = ZoneResolver()
        for o in e.overrides {
            let rid = e.master.map { ICalParser.inZone(of: $0.start, o.recurrenceID, resolver) } ?? o.recurrenceID
            vevent(&sink, e.uid, o.fields, stamp) { s in
                time(&s, "RECURRENCE-ID", rid, o.thisAndFuture ? [EventParameter(name: "RANGE", values: ["THISANDFUTURE"])] : [])
            }
        }
    }

    private static func vevent(_ s: inout LineSink, _ uid: String, _ f: EventFields, _ stamp: CivilDateTime?,
                               series: (inout LineSink) -> Void) {
        func extra(_ name: String) -> [EventParameter] { f.extraParams[name] ?? [] }
        func text(_ name: String, _ v: String?) {
            if let v { add(&s, EventProperty(name: name, params: extra(name), value: TextCoding.escape(v))) }
        }
        s.add("BEGIN", value: "VEVENT")
        s.add("UID", value: uid)
        for (name, t) in [("DTSTAMP", f.stamp ?? stamp), ("CREATED", f.created), ("LAST-MODIFIED", f.lastModified)] {
            if let t { add(&s, EventProperty(name: name, params: extra(name), value: ICalValues.format(t) + "Z")) }
        }
        if let n = f.sequence { add(&s, EventProperty(name: "SEQUENCE", params: extra("SEQUENCE"), value: String(n))) }
        series(&s)
        time(&s, "DTSTART", f.start, extra("DTSTART"))
        switch f.end {
        case .time(let t)?: time(&s, "DTEND", t, extra("DTEND"))
        case .duration(let d)?: add(&s, EventProperty(name: "DURATION", params: extra("DURATION"), value: ICalValues.format(d)))
        case nil: break
        }
        text("SUMMARY", f.summary)
        text("DESCRIPTION", f.description)
        text("LOCATION", f.location)
        if let u = f.url { add(&s, EventProperty(name: "URL", params: extra("URL"), value: u)) }
        text("STATUS", f.status.map { switch $0 { case .tentative: "TENTATIVE"; case .confirmed: "CONFIRMED"; case .cancelled: "CANCELLED"; case .other(let v): v } })
        text("TRANSP", f.transparency.map { switch $0 { case .opaque: "OPAQUE"; case .transparent: "TRANSPARENT"; case .other(let v): v } })
        text("CLASS", f.classification.map { switch $0 { case .public: "PUBLIC"; case .private: "PRIVATE"; case .confidential: "CONFIDENTIAL"; case .other(let v): v } })
        if !f.categories.isEmpty {
            add(&s, EventProperty(name: "CATEGORIES", params: extra("CATEGORIES"), value: f.categories.map(TextCoding.escape).joined(separator: ",")))
        }
        if let o = f.organizer { add(&s, EventProperty(name: "ORGANIZER", params: o.params, value: o.address)) }
        for a in f.attendees { add(&s, EventProperty(name: "ATTENDEE", params: a.params, value: a.address)) }
        for p in f.extra { add(&s, p) }
        for a in f.alarms { alarm(&s, a) }
        for c in f.components { component(&s, c) }
        s.add("END", value: "VEVENT")
    }

    private static func alarm(_ s: inout LineSink, _ a: EventAlarm) {
        s.add("BEGIN", value: "VALARM")
        s.add("ACTION", value: a.action)
        switch a.trigger {
        case .relative(let d, let fromEnd): s.add("TRIGGER", params: fromEnd ? [("RELATED", ["END"])] : [], value: ICalValues.format(d))
        case .absolute(let w): s.add("TRIGGER", params: [("VALUE", ["DATE-TIME"])], value: ICalValues.format(w) + "Z")
        }
        if let d = a.description { s.add("DESCRIPTION", value: TextCoding.escape(d)) }
        for p in a.extra { add(&s, p) }
        s.add("END", value: "VALARM")
    }

    /// DATE values say so; zoned ones carry their TZID (UTC ones end in Z instead).
    private static func time(_ s: inout LineSink, _ name: String, _ t: EventTime, _ extra: [EventParameter]) {
        var params: [EventParameter] = []
        switch t {
        case .date: params.append(EventParameter(name: "VALUE", values: ["DATE"]))
        case .dateTime(_, .named(let id)): params.append(EventParameter(name: "TZID", values: [id]))
        case .dateTime: break
        }
        add(&s, EventProperty(name: name, params: params + extra, value: ICalValues.format(t)))
    }

    static func component(_ s: inout LineSink, _ c: EventComponent) {
        s.add("BEGIN", value: c.name)
        for p in c.properties { add(&s, p) }
        for child in c.components { component(&s, child) }
        s.add("END", value: c.name)
    }

    private static func add(_ s: inout LineSink, _ p: EventProperty) {
        // A kept value is still escaped; only raw line breaks (which cannot be on one line) are fixed.
        s.add(p.name, params: p.params.map { ($0.name, $0.values) }, value: TextCoding.escapeLineBreaks(p.value))
    }
}
