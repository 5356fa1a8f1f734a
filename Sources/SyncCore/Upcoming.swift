import SyncModel

/// One live instance of a series in a window, with the fields it shows (its override's, or the
/// master's).
public struct UpcomingOccurrence<Key: Hashable & Sendable>: Hashable, Sendable {
    public var key: Key
    public var occurrence: Occurrence
    public var fields: EventFields
    /// Its end in seconds since 1970: the start for a timed event without an end, a day later for
    /// an all-day one.
    public var endInstant: Int
}

/// The instances of a set of series that overlap a window, in start order: expanded with the
/// recurrence expander (each in its own zone), EXDATEs and cancelled overrides left out, moved
/// instances where they moved to. For the hub page's "upcoming events" and the sync window.
public struct Upcoming: Sendable {
    public var expander: RecurrenceExpander

    public init(expander: RecurrenceExpander = RecurrenceExpander()) { self.expander = expander }

    public struct Result<Key: Hashable & Sendable>: Sendable {
        public var occurrences: [UpcomingOccurrence<Key>]
        /// Series whose rule the expander cannot read (kept as data): their first instance is
        /// shown when it falls in the window, and the error says why the rest is not.
        public var unexpanded: [(Key, RecurrenceError)]
    }

    /// Instances overlapping `[from, to)` (seconds since 1970).
    public func occurrences<Key>(of events: [(Key, Event)], from: Int, to: Int) -> Result<Key> {
        var out: [UpcomingOccurrence<Key>] = []
        var failed: [(Key, RecurrenceError)] = []
        for (key, e) in events {
            for (o, f) in all(e, from: from, to: to, failed: { failed.append((key, $0)) }) where f.status != .cancelled {
                let end = endInstant(o)
                if o.startInstant < to, end > from || o.startInstant >= from {
                    out.append(UpcomingOccurrence(key: key, occurrence: o, fields: f, endInstant: end))
                }
            }
        }
        return Result(occurrences: out.sorted { $0.occurrence.startInstant < $1.occurrence.startInstant }, unexpanded: failed)
    }

    /// Whether any instance, live or cancelled, overlaps the window: a cancellation there is news
    /// to sync too. A series the expander cannot read counts as inside (copying it is safer than
    /// leaving it out).
    public func touches(_ e: Event, from: Int, to: Int) -> Bool {
        var broken = false
        let hit = all(e, from: from, to: to, failed: { _ in broken = true }).contains { o, _ in
            o.startInstant < to && (endInstant(o) > from || o.startInstant >= from)
        }
        return hit || broken
    }

    /// Every instance starting early enough to reach `from` and before `to`, with its fields.
    func all(_ e: Event, from: Int, to: Int, failed: (RecurrenceError) -> Void) -> [(Occurrence, EventFields)] {
        let reach = span(e)
        do {
            return try expander.occurrences(of: e, from: from - reach, to: to).map { o in
                (o, o.override?.fields ?? e.master ?? EventFields(start: o.start))
            }
        } catch {
            failed(error)
            // The master's own instance and the overrides still stand without the rule.
            var plain = e
            plain.rule = nil
            return ((try? expander.occurrences(of: plain, from: from - reach, to: to)) ?? []).map { o in
                (o, o.override?.fields ?? e.master ?? EventFields(start: o.start))
            }
        }
    }

    func endInstant(_ o: Occurrence) -> Int {
        if let end = o.end { return max(o.startInstant, expander.resolver.instant(end)) }
        return o.start.isDate ? o.startInstant + 86400 : o.startInstant
    }

    /// How long the longest instance may be (master or override), a day more for DST: how far
    /// before the window an instance may start and still reach into it.
    func span(_ e: Event) -> Int {
        let blocks = (e.master.map { [$0] } ?? []) + e.overrides.map(\.fields)
        return blocks.map { f -> Int in
            switch f.end {
            case .time(let t)?: max(0, expander.resolver.instant(t) - expander.resolver.instant(f.start))
            case .duration(let d)?: max(0, d.nominalDays * 86400 + d.exactSeconds)
            case nil: f.start.isDate ? 86400 : 0
            }
        }.max().map { $0 + 86400 } ?? 86400
    }
}
