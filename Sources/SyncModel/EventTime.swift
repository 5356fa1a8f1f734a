/// A calendar date with no zone (an all-day event's day; a floating event's date).
public struct CivilDate: Hashable, Sendable, Codable, Comparable {
    public var year: Int, month: Int, day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public var isValid: Bool { (1...12).contains(month) && day >= 1 && day <= Self.daysIn(year, month) }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    public var weekday: Weekday { Weekday.allCases[((dayNumber % 7) + 11) % 7] }  // 1970-01-01 was a Thursday

    public var dayOfYear: Int { dayNumber - CivilDate(year, 1, 1).dayNumber + 1 }
}

/// A wall-clock date and time, without a zone of its own.
public struct CivilDateTime: Hashable, Sendable, Codable, Comparable {
    public var date: CivilDate
    public var hour: Int, minute: Int, second: Int

    public init(_ date: CivilDate, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) {
        (self.date, self.hour, self.minute, self.second) = (date, hour, minute, second)
    }

    public static func < (a: Self, b: Self) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    /// Read as if it were UTC: what zone conversions start from.
    public var secondsSinceEpoch: Int { date.dayNumber * 86400 + hour * 3600 + minute * 60 + second }

    public init(secondsSinceEpoch s: Int) {
        let days = s >= 0 ? s / 86400 : (s - 86399) / 86400
        let rest = s - days * 86400
        self.init(CivilDate(dayNumber: days), rest / 3600, rest % 3600 / 60, rest % 60)
    }

    public var isValid: Bool { date.isValid && (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second) }
}

/// Sunday first, as RFC 5545 lists them.
public enum Weekday: String, Hashable, Sendable, Codable, CaseIterable {
    case sunday = "SU", monday = "MO", tuesday = "TU", wednesday = "WE", thursday = "TH", friday = "FR", saturday = "SA"

    /// 0 for Sunday … 6 for Saturday.
    public var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// Where a date-time's wall clock is read.
public enum EventZone: Hashable, Sendable, Codable {
    /// The same wall time everywhere (no TZID, no Z).
    case floating
    case utc
    /// An IANA id; a TZID nobody could map (a custom VTIMEZONE) is kept as written.
    case named(String)
}

/// DTSTART, DTEND, RECURRENCE-ID, EXDATE, RDATE: a whole day, or a wall time in a zone.
public enum EventTime: Hashable, Sendable, Codable, Comparable {
    case date(CivilDate)
    case dateTime(CivilDateTime, EventZone)

    public var isDate: Bool { if case .date = self { true } else { false } }

    public var wall: CivilDateTime {
        switch self {
        case .date(let d): CivilDateTime(d)
        case .dateTime(let t, _): t
        }
    }

    public var zone: EventZone? {
        if case .dateTime(_, let z) = self { z } else { nil }
    }

    /// Wall-time order; only meaningful between times in one zone (a series' own).
    public static func < (a: Self, b: Self) -> Bool { a.wall < b.wall }
}

/// An RFC 5545 duration (`-P1W`, `PT15M`, `P1DT2H`), kept in the units it was written in: a day
/// is a calendar day (23 or 25 hours across DST), the rest exact.
public struct EventDuration: Hashable, Sendable, Codable {
    public var negative: Bool
    public var weeks: Int, days: Int, hours: Int, minutes: Int, seconds: Int

    public init(negative: Bool = false, weeks: Int = 0, days: Int = 0, hours: Int = 0, minutes: Int = 0, seconds: Int = 0) {
        (self.negative, self.weeks, self.days, self.hours, self.minutes, self.seconds) =
            (negative, weeks, days, hours, minutes, seconds)
    }

    /// Signed calendar days, then signed exact seconds.
    public var nominalDays: Int { (negative ? -1 : 1) * (weeks * 7 + days) }
    public var exactSeconds: Int { (negative ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds) }
}
