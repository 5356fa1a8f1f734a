/// How the event codec writes its parts. Signed numbers are zigzag varints: a BYSETPOS of -1 or
/// a year before 1 stays one or two bytes.
extension ContactCodec.Writer {
    /// Field tags inside a master's or an override's block.
    enum FieldTag: UInt8 {
        case start = 1, endTime, endDuration, summary, description, location, url, status, transparency
        case classification, category, alarm, organizer, attendee, sequence, stamp, created, lastModified
        case extra, extraParams, component
    }

    /// Rule tags inside a rule's block; each list of numbers is one tag with a count.
    enum RuleTag: UInt8 {
        case frequency = 1, interval, count, until, byDay, byMonthDay, byMonth, byYearDay, byWeekNo
        case byHour, byMinute, bySecond, bySetPos, weekStart, extra
    }

    /// Alarm tags inside an alarm's block.
    enum AlarmTag: UInt8 {
        case action = 1, relative, absolute, description, extra
    }

    mutating func int(_ v: Int) { varint((v << 1) ^ (v >> (Int.bitWidth - 1))) }

    /// A length-prefixed block written by `body`.
    mutating func block(_ body: (inout Self) -> Void) {
        var inner = Self()
        body(&inner)
        varint(inner.bytes.count)
        bytes.append(contentsOf: inner.bytes)
    }

    mutating func tag(_ t: FieldTag) { tag(t.rawValue) }

    mutating func date(_ d: CivilDate) { int(d.year); int(d.month); int(d.day) }

    mutating func dateTime(_ t: CivilDateTime) { date(t.date); int(t.hour); int(t.minute); int(t.second) }

    mutating func time(_ t: EventTime) {
        switch t {
        case .date(let d): bytes.append(0); date(d)
        case .dateTime(let c, .floating): bytes.append(1); dateTime(c)
        case .dateTime(let c, .utc): bytes.append(2); dateTime(c)
        case .dateTime(let c, .named(let z)): bytes.append(3); string(z); dateTime(c)
        }
    }

    mutating func duration(_ d: EventDuration) {
        bytes.append(d.negative ? 1 : 0)
        for v in [d.weeks, d.days, d.hours, d.minutes, d.seconds] { int(v) }
    }

    /// A known value as its index, anything else as the last index and its text.
    mutating func choice(_ index: Int?, other: String?) {
        if let index { bytes.append(UInt8(index)) } else { bytes.append(255); string(other ?? "") }
    }

    mutating func params(_ ps: [EventParameter]) {
        varint(ps.count)
        for p in ps {
            string(p.name)
            varint(p.values.count)
            for v in p.values { string(v) }
        }
    }

    mutating func property(_ p: EventProperty) { string(p.name); params(p.params); string(p.value) }

    mutating func participant(_ p: Participant) { string(p.address); params(p.params) }

    mutating func component(_ c: EventComponent) {
        string(c.name)
        varint(c.properties.count)
        for p in c.properties { property(p) }
        varint(c.components.count)
        for s in c.components { component(s) }
    }

    mutating func fields(_ f: EventFields) {
        tag(.start); time(f.start)
        switch f.end {
        case .time(let t)?: tag(.endTime); time(t)
        case .duration(let d)?: tag(.endDuration); duration(d)
        case nil: break
        }
        for (t, v) in [(FieldTag.summary, f.summary), (.description, f.description), (.location, f.location), (.url, f.url)] {
            if let v { tag(t); string(v) }
        }
        if let s = f.status { tag(.status); choice(s.codecIndex, other: s.otherText) }
        if let s = f.transparency { tag(.transparency); choice(s.codecIndex, other: s.otherText) }
        if let s = f.classification { tag(.classification); choice(s.codecIndex, other: s.otherText) }
        for c in f.categories { tag(.category); string(c) }
        for a in f.alarms { tag(.alarm); block { $0.alarm(a) } }
        if let o = f.organizer { tag(.organizer); participant(o) }
        for a in f.attendees { tag(.attendee); participant(a) }
        if let s = f.sequence { tag(.sequence); int(s) }
        for (t, v) in [(FieldTag.stamp, f.stamp), (.created, f.created), (.lastModified, f.lastModified)] {
            if let v { tag(t); dateTime(v) }
        }
        for p in f.extra { tag(.extra); property(p) }
        // By property name, so equal events encode equally.
        for name in f.extraParams.keys.sorted() { tag(.extraParams); string(name); params(f.extraParams[name]!) }
        for c in f.components { tag(.component); component(c) }
    }

    mutating func alarm(_ a: EventAlarm) {
        tag(AlarmTag.action.rawValue); string(a.action)
        switch a.trigger {
        case .relative(let d, let fromEnd): tag(AlarmTag.relative.rawValue); duration(d); bytes.append(fromEnd ? 1 : 0)
        case .absolute(let t): tag(AlarmTag.absolute.rawValue); dateTime(t)
        }
        if let d = a.description { tag(AlarmTag.description.rawValue); string(d) }
        for p in a.extra { tag(AlarmTag.extra.rawValue); property(p) }
    }

    mutating func rule(_ r: EventRule) {
        tag(RuleTag.frequency.rawValue); bytes.append(UInt8(EventRule.Frequency.allCases.firstIndex(of: r.frequency)!))
        tag(RuleTag.interval.rawValue); int(r.interval)
        switch r.end {
        case .count(let n)?: tag(RuleTag.count.rawValue); int(n)
        case .until(let t)?: tag(RuleTag.until.rawValue); time(t)
        case nil: break
        }
        if !r.byDay.isEmpty {
            tag(RuleTag.byDay.rawValue)
            varint(r.byDay.count)
            for d in r.byDay {
                bytes.append(UInt8(d.weekday.index))
                if let o = d.ordinal { bytes.append(1); int(o) } else { bytes.append(0) }
            }
        }
        for (t, list) in [(RuleTag.byMonthDay, r.byMonthDay), (.byMonth, r.byMonth), (.byYearDay, r.byYearDay),
                          (.byWeekNo, r.byWeekNo), (.byHour, r.byHour), (.byMinute, r.byMinute),
                          (.bySecond, r.bySecond), (.bySetPos, r.bySetPos)] where !list.isEmpty {
            tag(t.rawValue)
            varint(list.count)
            for v in list { int(v) }
        }
        if let w = r.weekStart { tag(RuleTag.weekStart.rawValue); bytes.append(UInt8(w.index)) }
        for p in r.extra { tag(RuleTag.extra.rawValue); string(p.name); string(p.value) }
    }
}

/// The codec's index of each known value; nil for `.other`.
extension EventStatus {
    static let known: [EventStatus] = [.tentative, .confirmed, .cancelled]
    var codecIndex: Int? { Self.known.firstIndex(of: self) }
    var otherText: String? { if case .other(let s) = self { s } else { nil } }
}

extension Transparency {
    static let known: [Transparency] = [.opaque, .transparent]
    var codecIndex: Int? { Self.known.firstIndex(of: self) }
    var otherText: String? { if case .other(let s) = self { s } else { nil } }
}

extension EventClass {
    static let known: [EventClass] = [.public, .private, .confidential]
    var codecIndex: Int? { Self.known.firstIndex(of: self) }
    var otherText: String? { if case .other(let s) = self { s } else { nil } }
}
