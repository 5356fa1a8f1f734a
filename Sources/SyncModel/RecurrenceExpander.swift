/// One instance of a series inside a window.
public struct Occurrence: Hashable, Sendable {
    /// The instance's original start (what an override or EXDATE names it by).
    public var recurrenceID: EventTime
    /// Its start: the override's own when moved.
    public var start: EventTime
    public var end: EventTime?
    /// `start` in seconds since 1970 (dates and floating times read as UTC).
    public var startInstant: Int
    /// Set when the instance was changed on its own.
    public var override: EventOverride?
}

/// Expands a series over a window (PROTOCOLS.md §4): the rule in the event's own zone (so 09:00
/// stays 09:00 across DST), plus RDATEs, minus EXDATEs, overrides replacing their instances.
public struct RecurrenceExpander: Sendable {
    public var resolver: ZoneResolver
    /// A runaway series (PROTOCOLS §6, exceptions up to 2046) stops here.
    public var maxInstances: Int

    public init(resolver: ZoneResolver = ZoneResolver(), maxInstances: Int = 100_000) {
        (self.resolver, self.maxInstances) = (resolver, maxInstances)
    }

    /// Instances starting in `[from, to)` (seconds since 1970), in start order.
    public func occurrences(of event: Event, from: Int, to: Int) throws(RecurrenceError) -> [Occurrence] {
        var byID: [Int: EventOverride] = [:]
        for o in event.overrides { byID[resolver.instant(o.recurrenceID)] = o }
        var ids: [Int: EventTime] = [:]
        if let master = event.master {
            let horizon = max(to, (byID.keys.max() ?? to) + 1)
            ids = try originals(event, master, until: horizon)
            for x in event.exdates { ids[resolver.instant(x)] = nil }
        }
        // An override whose instance the rule does not yield still stands (an RDATE's, an orphan's).
        for (key, o) in byID where ids[key] == nil && !excluded(event, key) {
            ids[key] = o.recurrenceID
        }
        var out: [Occurrence] = []
        for (key, id) in ids {
            let occ: Occurrence
            if let o = byID[key] {
                let s = resolver.instant(o.fields.start)
                occ = Occurrence(recurrenceID: id, start: o.fields.start, end: end(o.fields, at: o.fields.start),
                                 startInstant: s, override: o)
            } else if let master = event.master {
                occ = Occurrence(recurrenceID: id, start: id, end: end(master, at: id), startInstant: key, override: nil)
            } else {
                continue
            }
            if occ.startInstant >= from, occ.startInstant < to { out.append(occ) }
        }
        return out.sorted { ($0.startInstant, resolver.instant($0.recurrenceID)) < ($1.startInstant, resolver.instant($1.recurrenceID)) }
    }

    private func excluded(_ event: Event, _ key: Int) -> Bool {
        event.exdates.contains { resolver.instant($0) == key }
    }

    /// DTSTART, the rule's instances up to `horizon` (or COUNT/UNTIL), and RDATEs, by instant.
    private func originals(_ event: Event, _ master: EventFields, until horizon: Int) throws(RecurrenceError) -> [Int: EventTime] {
        let start = master.start
        let clock = resolver.clock(start.zone)
        func time(_ w: CivilDateTime) -> EventTime {
            switch start {
            case .date: .date(w.date)
            case .dateTime(_, let z): .dateTime(w, z)
            }
        }
        var ids: [Int: EventTime] = [resolver.instant(start): start]
        if let rule = event.rule {
            var it = try RuleIterator(rule: rule, start: start.wall)
            var count = 0
            while let w = it.next() {
                let t = clock.instant(w)
                if case .count(let n) = rule.end, count >= n { break }
                if case .until(let u) = rule.end, past(w, t, u) { break }
                if t >= horizon || count >= maxInstances { break }
                ids[t] = time(w)
                count += 1
            }
        }
        for r in event.rdates { ids[resolver.instant(r)] = r }
        return ids
    }

    /// UNTIL is inclusive; a UTC UNTIL is compared as an instant, a date or floating one as wall time.
    private func past(_ wall: CivilDateTime, _ instant: Int, _ until: EventTime) -> Bool {
        switch until {
        case .date(let d): wall.date > d
        case .dateTime(let u, .floating): wall > u
        case .dateTime: instant > resolver.instant(until)
        }
    }

    /// The instance's end (see `EventFields.end(at:_:)`).
    private func end(_ f: EventFields, at start: EventTime) -> EventTime? { f.end(at: start, resolver) }
}
