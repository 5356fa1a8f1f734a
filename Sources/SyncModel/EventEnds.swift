/// DTEND and DURATION say the same thing two ways: an event written with either is one event
/// (one hash, no merge conflict, nothing to sync), while each source keeps the form it wrote.
extension EventFields {
    /// The end of the instance starting at `start`, in `start`'s zone: the same wall-clock length
    /// as this block's in one zone (a 09:00–10:00 meeting stays so across DST), else the exact
    /// length; a DURATION's days are calendar days. At its own start, what the block means by
    /// its end, whichever way it is written.
    public func end(at start: EventTime, _ resolver: ZoneResolver) -> EventTime? {
        guard let e = end else { return nil }
        let clock = resolver.clock(start.zone)
        switch e {
        case .duration(let d):
            if case .date(let day) = start { return .date(day.adding(days: d.nominalDays)) }
            var w = start.wall
            w.date = w.date.adding(days: d.nominalDays)
            return Self.retime(start, clock.wall(clock.instant(w) + d.exactSeconds))
        case .time(let t):
            switch (self.start, t) {
            case (.date(let a), .date(let b)):
                if case .date(let s) = start { return .date(s.adding(days: b.dayNumber - a.dayNumber)) }
                return nil
            case (.dateTime(let a, let za), .dateTime(let b, let zb)) where za == zb:
                return Self.retime(start, CivilDateTime(secondsSinceEpoch: start.wall.secondsSinceEpoch
                    + b.secondsSinceEpoch - a.secondsSinceEpoch))
            default:
                let length = resolver.instant(t) - resolver.instant(self.start)
                return Self.retime(start, clock.wall(resolver.instant(start) + length))
            }
        }
    }

    /// What the end means: the time this block ends at, in its start's zone. With no end at all,
    /// RFC 5545's (§3.6.1): a day for an all-day event, else the start itself.
    public var endTime: EventTime? {
        guard let end else {
            if case .date(let d) = start { return .date(d.adding(days: 1)) }
            return start
        }
        // Written in the start's own zone: itself, with no zone to look up (the hash's common case).
        if case .time(let t) = end, t.zone == start.zone { return t }
        return self.end(at: start, ZoneResolver())
    }

    static func retime(_ like: EventTime, _ w: CivilDateTime) -> EventTime {
        switch like {
        case .date: .date(w.date)
        case .dateTime(_, let z): .dateTime(w, z)
        }
    }
}

/// An end as the merge compares it: by what it means (`EventFields.endTime`), carrying the form
/// a source wrote, so DTEND on one side and the same DURATION (or no end, where that means the
/// same) on the other is no change.
struct WrittenEnd: Equatable, Sendable {
    var end: EventEnd?
    var time: EventTime?

    init(_ f: EventFields?) { (end, time) = (f?.end, f?.endTime) }

    static func == (a: Self, b: Self) -> Bool { a.time == b.time }
}

extension Event {
    /// This series with its ends written as `other` writes them wherever that form means the same
    /// here (the master, and each override by RECURRENCE-ID): what a spoke that wrote `other`
    /// keeps, so an end nobody changed goes back to it as it wrote it.
    public func endsWritten(as other: Event) -> Event {
        var out = self
        func kept(_ mine: EventFields, _ theirs: EventFields?) -> EventFields {
            guard let theirs, theirs.end != mine.end else { return mine }
            var f = mine
            f.end = theirs.end
            return f.endTime == mine.endTime ? f : mine
        }
        if let m = master { out.master = kept(m, other.master) }
        let theirs = Dictionary(other.overrides.map { (EventCanon.time($0.recurrenceID), $0.fields) }, uniquingKeysWith: { a, _ in a })
        for i in out.overrides.indices {
            out.overrides[i].fields = kept(out.overrides[i].fields, theirs[EventCanon.time(out.overrides[i].recurrenceID)])
        }
        return out
    }
}
