/// A series moved on one side (the master's DTSTART changed) while the other side edited its
/// instances: RECURRENCE-IDs and EXDATEs name an instance by its start as the series made it
/// (RFC 5545 §3.8.4.4), so the other side's keys, written against the old start, name no
/// instance of the moved series. They move by the same shift, as calendar clients do when the
/// whole series is moved (Nextcloud shifts every exception's RECURRENCE-ID with the master).
/// The side that moved the series is taken as it sent it: a source that moved its own
/// overrides along (or dropped them, as Outlook does) has said what it means.
extension Event {
    public static func align(base: inout Event, hub: inout Event, spoke: inout Event) {
        guard let old = base.master?.start, let h = hub.master?.start, let s = spoke.master?.start else { return }
        // Moved on both sides: each side's keys are its own (a conflict on the start settles it).
        if h != old, s == old, let move = SeriesMove(from: old, to: h) {
            move.apply(to: &spoke)
            move.apply(to: &base)
        } else if s != old, h == old, let move = SeriesMove(from: old, to: s) {
            move.apply(to: &hub)
            move.apply(to: &base)
        }
    }
}

/// The shift of a series' start, applied to what names its instances.
struct SeriesMove {
    let old: EventTime, new: EventTime
    let zones = ZoneResolver()

    /// Nil when nothing moves, or when the series changed between all-day and timed (its
    /// instances are other instances, not the same ones shifted).
    init?(from old: EventTime, to new: EventTime) {
        guard old != new, old.isDate == new.isDate else { return nil }
        (self.old, self.new) = (old, new)
    }

    /// The wall-clock shift (whole days for all-day series): a weekly 09:00 moved to 10:00 is
    /// 10:00 in summer and winter alike.
    var shift: Int { new.wall.secondsSinceEpoch - old.wall.secondsSinceEpoch }

    /// An instance's start moved with the series, in the form it was written (the series' zone
    /// for one written in it, else the same zone as before).
    func moved(_ t: EventTime) -> EventTime {
        switch t {
        case .date(let d): return .date(d.adding(days: shift / 86400))
        case .dateTime(let w, let z) where z == old.zone:
            return .dateTime(CivilDateTime(secondsSinceEpoch: w.secondsSinceEpoch + shift), new.zone ?? z)
        case .dateTime(_, let z):
            // Another zone (an EXDATE in UTC): read in the series' zone, moved there, written back.
            let wall = zones.clock(old.zone).wall(zones.instant(t))
            let instant = zones.clock(new.zone).instant(CivilDateTime(secondsSinceEpoch: wall.secondsSinceEpoch + shift))
            return .dateTime(zones.clock(z).wall(instant), z)
        }
    }

    /// The side's EXDATEs and overrides re-keyed; an instance not moved on its own (its start
    /// its RECURRENCE-ID) moves with the series, its end along. RDATEs are times of their own,
    /// and what names one of them stays.
    func apply(to e: inout Event) {
        let extra = Set(e.rdates.map(zones.instant))
        func rdate(_ t: EventTime) -> Bool { extra.contains(zones.instant(t)) }
        e.exdates = e.exdates.map { rdate($0) ? $0 : moved($0) }
        e.overrides = e.overrides.map { o in
            guard !rdate(o.recurrenceID) else { return o }
            var o = o
            if o.fields.start == o.recurrenceID {
                if case .time(let t)? = o.fields.end { o.fields.end = .time(moved(t)) }
                o.fields.start = moved(o.fields.start)
            }
            o.recurrenceID = moved(o.recurrenceID)
            return o
        }
    }
}
