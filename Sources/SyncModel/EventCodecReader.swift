/// How the event codec reads its parts back; every count is checked against the bytes left, so a
/// damaged blob ends in an error, never in a huge allocation.
extension ContactCodec.Reader {
    typealias Error = ContactCodec.DecodingError
    typealias FieldTag = ContactCodec.Writer.FieldTag
    typealias RuleTag = ContactCodec.Writer.RuleTag
    typealias AlarmTag = ContactCodec.Writer.AlarmTag

    mutating func int() throws(Error) -> Int {
        let u = UInt(bitPattern: try varint())
        return Int(bitPattern: u >> 1) ^ -Int(bitPattern: u & 1)
    }

    /// A count of entries that each take at least one byte.
    mutating func count() throws(Error) -> Int {
        let n = try varint()
        guard n >= 0, n <= bytes.count - i else { throw Error(description: "bad count") }
        return n
    }

    mutating func block() throws(Error) -> Self { Self(bytes: Array(try slice())) }

    mutating func civilDate() throws(Error) -> CivilDate { CivilDate(try int(), try int(), try int()) }

    mutating func dateTime() throws(Error) -> CivilDateTime {
        CivilDateTime(try civilDate(), try int(), try int(), try int())
    }

    mutating func time() throws(Error) -> EventTime {
        switch try byte() {
        case 0: return .date(try civilDate())
        case 1: return .dateTime(try dateTime(), .floating)
        case 2: return .dateTime(try dateTime(), .utc)
        case 3:
            let z = try string()
            return .dateTime(try dateTime(), .named(z))
        default: throw Error(description: "bad event time")
        }
    }

    mutating func duration() throws(Error) -> EventDuration {
        let sign = try byte()
        guard sign <= 1 else { throw Error(description: "bad duration") }
        return EventDuration(negative: sign == 1, weeks: try int(), days: try int(), hours: try int(),
                             minutes: try int(), seconds: try int())
    }

    mutating func flag() throws(Error) -> Bool {
        let b = try byte()
        guard b <= 1 else { throw Error(description: "bad flag") }
        return b == 1
    }

    /// A known value by index, or `other` with its text.
    mutating func choice<T>(_ known: [T], other: (String) -> T) throws(Error) -> T {
        let b = Int(try byte())
        if b == 255 { return other(try string()) }
        guard b < known.count else { throw Error(description: "bad event value") }
        return known[b]
    }

    mutating func params() throws(Error) -> [EventParameter] {
        var out: [EventParameter] = []
        for _ in 0..<(try count()) {
            let name = try string()
            var values: [String] = []
            for _ in 0..<(try count()) { values.append(try string()) }
            out.append(EventParameter(name: name, values: values))
        }
        return out
    }

    mutating func property() throws(Error) -> EventProperty {
        let name = try string()
        let ps = try params()
        return EventProperty(name: name, params: ps, value: try string())
    }

    mutating func participant() throws(Error) -> Participant {
        let address = try string()
        return Participant(address: address, params: try params())
    }

    mutating func component(depth: Int) throws(Error) -> EventComponent {
        guard depth < EventCodec.maxDepth else { throw Error(description: "components nested too deep") }
        var c = EventComponent(name: try string())
        for _ in 0..<(try count()) { c.properties.append(try property()) }
        for _ in 0..<(try count()) { c.components.append(try component(depth: depth + 1)) }
        return c
    }

    /// A master's or an override's fields: the start first, then any others.
    mutating func fields(depth: Int) throws(Error) -> EventFields {
        guard try byte() == FieldTag.start.rawValue else { throw Error(description: "event fields without a start") }
        var f = EventFields(start: try time())
        while !atEnd {
            let raw = try byte()
            guard let tag = FieldTag(rawValue: raw), tag != .start else {
                throw Error(description: "unknown event field tag \(raw)")
            }
            switch tag {
            case .start: break
            case .endTime: f.end = .time(try time())
            case .endDuration: f.end = .duration(try duration())
            case .summary: f.summary = try string()
            case .description: f.description = try string()
            case .location: f.location = try string()
            case .url: f.url = try string()
            case .status: f.status = try choice(EventStatus.known) { .other($0) }
            case .transparency: f.transparency = try choice(Transparency.known) { .other($0) }
            case .classification: f.classification = try choice(EventClass.known) { .other($0) }
            case .category: f.categories.append(try string())
            case .alarm:
                var b = try block()
                f.alarms.append(try b.alarm())
            case .organizer: f.organizer = try participant()
            case .attendee: f.attendees.append(try participant())
            case .sequence: f.sequence = try int()
            case .stamp: f.stamp = try dateTime()
            case .created: f.created = try dateTime()
            case .lastModified: f.lastModified = try dateTime()
            case .extra: f.extra.append(try property())
            case .extraParams:
                let name = try string()
                f.extraParams[name] = try params()
            case .component: f.components.append(try component(depth: depth))
            }
        }
        return f
    }

    mutating func alarm() throws(Error) -> EventAlarm {
        var action: String?, trigger: EventAlarm.Trigger?, description: String?, extra: [EventProperty] = []
        while !atEnd {
            let raw = try byte()
            guard let tag = AlarmTag(rawValue: raw) else { throw Error(description: "unknown alarm tag \(raw)") }
            switch tag {
            case .action: action = try string()
            case .relative:
                let d = try duration()
                trigger = .relative(d, fromEnd: try flag())
            case .absolute: trigger = .absolute(try dateTime())
            case .description: description = try string()
            case .extra: extra.append(try property())
            }
        }
        guard let action, let trigger else { throw Error(description: "alarm without action or trigger") }
        return EventAlarm(action: action, trigger: trigger, description: description, extra: extra)
    }

    mutating func rule() throws(Error) -> EventRule {
        var r: EventRule?
        while !atEnd {
            let raw = try byte()
            guard let tag = RuleTag(rawValue: raw) else { throw Error(description: "unknown rule tag \(raw)") }
            if tag == .frequency {
                r = EventRule(try choice(EventRule.Frequency.allCases) { _ in .daily })
                continue
            }
            guard r != nil else { throw Error(description: "rule without a frequency") }
            switch tag {
            case .frequency: break
            case .interval: r!.interval = try int()
            case .count: r!.end = .count(try int())
            case .until: r!.end = .until(try time())
            case .byDay:
                for _ in 0..<(try count()) {
                    let w = try choice(Weekday.allCases) { _ in .monday }
                    r!.byDay.append(EventRule.Day(w, try flag() ? try int() : nil))
                }
            case .byMonthDay: r!.byMonthDay = try ints()
            case .byMonth: r!.byMonth = try ints()
            case .byYearDay: r!.byYearDay = try ints()
            case .byWeekNo: r!.byWeekNo = try ints()
            case .byHour: r!.byHour = try ints()
            case .byMinute: r!.byMinute = try ints()
            case .bySecond: r!.bySecond = try ints()
            case .bySetPos: r!.bySetPos = try ints()
            case .weekStart: r!.weekStart = try choice(Weekday.allCases) { _ in .monday }
            case .extra:
                let name = try string()
                r!.extra.append(EventRule.Part(name, try string()))
            }
        }
        guard let r else { throw Error(description: "rule without a frequency") }
        return r
    }

    mutating func ints() throws(Error) -> [Int] {
        var out: [Int] = []
        for _ in 0..<(try count()) { out.append(try int()) }
        return out
    }
}
