import SyncModel

/// One VEVENT as read: the fields, plus what belongs to the series (rule, dates) or names it.
struct ICalEventPart {
    var uid: String?
    var recurrenceID: EventTime?
    var thisAndFuture = false
    var fields: EventFields
    var rule: EventRule?
    var rdates: [EventTime] = []
    var exdates: [EventTime] = []
}

/// Maps a VEVENT's lines onto `EventFields`; what it does not map goes to `extra`, untouched.
struct ICalEventReader {
    /// TZID → its zone, decided once per calendar (VTIMEZONE X-LIC-LOCATION helps).
    let zone: (String) -> EventZone

    func read(_ node: ICalNode) throws(ICalError) -> ICalEventPart {
        guard let startLine = node.lines.first(where: { $0.name == "DTSTART" }) else {
            throw ICalError("VEVENT without DTSTART", line: node.line)
        }
        guard let start = time(startLine) else { throw ICalError("bad DTSTART \(startLine.value)", line: startLine.line) }
        var part = ICalEventPart(fields: EventFields(start: start))
        var f = EventFields(start: start)
        var seen = Set<String>()
        for l in node.lines {
            let first = seen.insert(l.name).inserted
            let text = TextCoding.unescape(l.value)
            var rest = l.params
            func keep(_ consumed: Set<String>) {
                rest.removeAll { consumed.contains($0.name) }
                if !rest.isEmpty { f.extraParams[l.name, default: []] += rest }
            }
            switch l.name {
            case "DTSTART" where first: keep(["TZID", "VALUE"])
            case "UID" where first: part.uid = l.value.trimmingWhitespace()
            case "DTEND" where first && f.end == nil:
                if let t = time(l) { f.end = .time(t); keep(["TZID", "VALUE"]) } else { f.extra.append(l.property) }
            case "DURATION" where first && f.end == nil:
                if let d = ICalValues.duration(l.value) { f.end = .duration(d); keep(["VALUE"]) } else { f.extra.append(l.property) }
            case "RECURRENCE-ID" where first:
                guard let t = time(l) else { throw ICalError("bad RECURRENCE-ID \(l.value)", line: l.line) }
                part.recurrenceID = t
                part.thisAndFuture = l.param("RANGE")?.uppercased() == "THISANDFUTURE"
                keep(["TZID", "VALUE", "RANGE"])
            case "RRULE" where part.rule == nil:
                if let r = ICalRule.parse(l.value, zone: start.zone) { part.rule = r; keep([]) } else { f.extra.append(l.property) }
            case "RDATE", "EXDATE":
                let dates = l.value.split(separator: ",").map { v in
                    time(l, String(v.split(separator: "/").first ?? v))  // PERIOD: its start
                }
                if dates.isEmpty || dates.contains(where: { $0 == nil }) || l.params.contains(where: { !["TZID", "VALUE"].contains($0.name) }) {
                    f.extra.append(l.property)
                } else if l.name == "RDATE" {
                    part.rdates += dates.compactMap { $0 }
                } else {
                    part.exdates += dates.compactMap { $0 }
                }
            case "SUMMARY" where first: f.summary = text; keep([])
            case "DESCRIPTION" where first: f.description = text; keep([])
            case "LOCATION" where first: f.location = text; keep([])
            case "URL" where first: f.url = TextCoding.unescape(l.value, uriOnly: true); keep(["VALUE"])
            case "STATUS" where first:
                let v = text.trimmingWhitespace()
                f.status = switch v.uppercased() {
                case "TENTATIVE": .tentative
                case "CONFIRMED": .confirmed
                case "CANCELLED": .cancelled
                default: .other(v)
                }
                keep([])
            case "TRANSP" where first:
                let v = text.trimmingWhitespace()
                f.transparency = switch v.uppercased() {
                case "OPAQUE": .opaque
                case "TRANSPARENT": .transparent
                default: .other(v)
                }
                keep([])
            case "CLASS" where first:
                let v = text.trimmingWhitespace()
                f.classification = switch v.uppercased() {
                case "PUBLIC": .public
                case "PRIVATE": .private
                case "CONFIDENTIAL": .confidential
                default: .other(v)
                }
                keep([])
            case "CATEGORIES":
                f.categories += TextCoding.split(l.value, on: ",").map { TextCoding.unescape($0).trimmingWhitespace() }
                    .filter { !$0.isEmpty }
                keep([])
            case "SEQUENCE" where first:
                if let n = Int(l.value.trimmingWhitespace()) { f.sequence = n; keep([]) } else { f.extra.append(l.property) }
            case "DTSTAMP" where first, "CREATED" where first, "LAST-MODIFIED" where first:
                guard case .dateTime(let w, .utc)? = ICalValues.time(l.value, zone: .utc, dateOnly: false) else {
                    f.extra.append(l.property); continue
                }
                switch l.name {
                case "DTSTAMP": f.stamp = w
                case "CREATED": f.created = w
                default: f.lastModified = w
                }
                keep(["VALUE"])
            case "ORGANIZER" where first: f.organizer = Participant(address: l.value.trimmingWhitespace(), params: l.params)
            case "ATTENDEE": f.attendees.append(Participant(address: l.value.trimmingWhitespace(), params: l.params))
            default: f.extra.append(l.property)
            }
        }
        for c in node.children {
            if c.name == "VALARM", let a = alarm(c) { f.alarms.append(a) } else { f.components.append(c.kept) }
        }
        part.fields = f
        return part
    }

    private func time(_ l: ICalLine, _ value: String? = nil) -> EventTime? {
        let z = l.param("TZID").map(zone) ?? .floating
        return ICalValues.time(value ?? l.value, zone: z, dateOnly: l.param("VALUE")?.uppercased() == "DATE")
    }

    private func alarm(_ node: ICalNode) -> EventAlarm? {
        guard let action = node.lines.first(where: { $0.name == "ACTION" }),
              let tl = node.lines.first(where: { $0.name == "TRIGGER" }) else { return nil }
        let trigger: EventAlarm.Trigger
        if tl.param("VALUE")?.uppercased() == "DATE-TIME" {
            guard case .dateTime(let w, _)? = ICalValues.time(tl.value, zone: .utc, dateOnly: false) else { return nil }
            trigger = .absolute(w)
        } else {
            guard let d = ICalValues.duration(tl.value) else { return nil }
            trigger = .relative(d, fromEnd: tl.param("RELATED")?.uppercased() == "END")
        }
        // Only the typed parameters may go; anything else keeps the alarm whole.
        let known: Set<String> = ["VALUE", "RELATED"]
        guard tl.params.allSatisfy({ known.contains($0.name) }), action.params.isEmpty,
              node.children.isEmpty else { return nil }
        let desc = node.lines.first { $0.name == "DESCRIPTION" && $0.params.isEmpty }
        var extra = node.lines.filter { $0.name != "ACTION" && $0.name != "TRIGGER" }
        if desc != nil, let i = extra.firstIndex(where: { $0.name == "DESCRIPTION" && $0.params.isEmpty }) { extra.remove(at: i) }
        return EventAlarm(action: action.value.trimmingWhitespace().uppercased(), trigger: trigger,
                          description: desc.map { TextCoding.unescape($0.value) }, extra: extra.map(\.property))
    }
}
