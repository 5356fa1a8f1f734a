import Foundation

/// Wall time ↔ instant in one zone, the way RFC 5545 and Python's zoneinfo (fold=0) read it: a
/// wall time skipped by a DST jump takes the offset from before the jump (02:30 → 03:30 summer
/// time), a repeated one its first occurrence.
public struct ZoneClock: Sendable {
    /// Nil reads wall times as UTC (floating times and all-day dates).
    public let zone: TimeZone?

    public init(_ zone: TimeZone?) { self.zone = zone }

    public func instant(_ wall: CivilDateTime) -> Int {
        let t = wall.secondsSinceEpoch
        guard let zone else { return t }
        let before = offset(zone, t - 43200), after = offset(zone, t + 43200)
        let first = t - before
        if offset(zone, first) == before { return first }  // also the earlier of two when repeated
        let second = t - after
        if offset(zone, second) == after { return second }
        return first  // in the gap
    }

    public func wall(_ instant: Int) -> CivilDateTime {
        guard let zone else { return CivilDateTime(secondsSinceEpoch: instant) }
        return CivilDateTime(secondsSinceEpoch: instant + offset(zone, instant))
    }

    private func offset(_ zone: TimeZone, _ t: Int) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
    }
}

/// Finds the Foundation zone for an `EventZone`; a named zone nobody knows reads as UTC.
public struct ZoneResolver: Sendable {
    private let lookup: @Sendable (String) -> TimeZone?

    public init(_ lookup: @escaping @Sendable (String) -> TimeZone? = { TimeZone(identifier: $0) }) {
        self.lookup = lookup
    }

    public func clock(_ zone: EventZone?) -> ZoneClock {
        switch zone {
        case .named(let id)?: ZoneClock(lookup(id) ?? TimeZone(identifier: "UTC"))
        case .utc?: ZoneClock(TimeZone(identifier: "UTC"))
        case .floating?, nil: ZoneClock(nil)
        }
    }

    /// Seconds since 1970 for a time; dates and floating times as if in UTC.
    public func instant(_ t: EventTime) -> Int { clock(t.zone).instant(t.wall) }
}
