/// What the field-by-field merge needs of a series beyond its flat fields: an override changed on
/// both sides merges by its RECURRENCE-ID field by field, and a cancelled instance beats an edit.
extension Event {
    /// An instance cancelled by an EXDATE one side added (with no override of its own there) beats
    /// the other side's edit of it: that override goes. A side that writes both keeps both.
    /// Instances are compared as instants, as the expander does: an EXDATE in UTC cancels the
    /// instance a RECURRENCE-ID names in the master's zone.
    public static func settle(base: Event, hub: Event, spoke: Event, merged: inout Event) {
        guard hub.exdates != base.exdates || spoke.exdates != base.exdates else { return }
        let zones = ZoneResolver()
        let old = Set(base.exdates.map(zones.instant))
        func cancels(_ side: Event) -> Set<Int> {
            let kept = Set(side.overrides.map { zones.instant($0.recurrenceID) })
            return Set(side.exdates.map(zones.instant)).subtracting(old).subtracting(kept)
        }
        let gone = cancels(hub).union(cancels(spoke))
        guard !gone.isEmpty else { return }
        merged.overrides.removeAll { gone.contains(zones.instant($0.recurrenceID)) }
    }

    /// The instance the master makes at `id` (its start there, its end as far after): what an
    /// override new on both sides is merged from, so each side's own changes to it survive.
    public func instance(at id: EventTime) -> EventFields? {
        guard var f = master else { return nil }
        let shift = id.wall.secondsSinceEpoch - f.start.wall.secondsSinceEpoch
        f.start = id
        if case .time(let t) = f.end { f.end = .time(t.shifted(by: shift)) }
        return f
    }
}

extension EventTime {
    /// The same wall clock moved by `seconds` (whole days for a date).
    func shifted(by seconds: Int) -> EventTime {
        switch self {
        case .date(let d): .date(d.adding(days: seconds / 86400))
        case .dateTime(let t, let z): .dateTime(CivilDateTime(secondsSinceEpoch: t.secondsSinceEpoch + seconds), z)
        }
    }
}

enum EventMerge {
    /// The fields an instance has of its own: the master's, without the series' shape.
    static let instanceFields = EventSchema.schema.fields.filter {
        ![EventField.rule, .rdates, .exdates, .overrides].contains($0.field)
    }

    /// One override changed on both sides, field by field by the master's rules (`FieldMerge`:
    /// attendees, categories and alarms as sets, per entry); a status of CANCELLED on either
    /// side beats the other's change of it. Kept properties are the hub's, as the master's are:
    /// they belong to the source that wrote them.
    @Sendable static func override(
        in base: Event, _ b: EventOverride?, _ h: EventOverride, _ s: EventOverride, hubWins: Bool
    ) -> (EventOverride, Bool) {
        let bf = b?.fields ?? base.instance(at: h.recurrenceID) ?? EventFields(start: h.recurrenceID)
        let eb = Event(uid: "", master: bf), eh = Event(uid: "", master: h.fields), es = Event(uid: "", master: s.fields)
        var out = eh
        var conflict = false
        for spec in instanceFields where FieldMerge.merge(spec, eb, eh, es, hubWins: hubWins, into: &out) {
            if spec.field == .status, h.fields.status == .cancelled || s.fields.status == .cancelled {
                out.master?.status = .cancelled
            } else {
                conflict = true
            }
        }
        var o = h
        o.fields = out.master ?? h.fields
        let range = b?.thisAndFuture ?? false
        if h.thisAndFuture != s.thisAndFuture {
            if h.thisAndFuture == range {
                o.thisAndFuture = s.thisAndFuture
            } else if s.thisAndFuture != range {
                conflict = true
                o.thisAndFuture = hubWins ? h.thisAndFuture : s.thisAndFuture
            }
        }
        return (o, conflict)
    }
}
