/// An RRULE as data (RFC 5545 §3.3.10). Parts the expander does not handle (BYWEEKNO, sub-daily
/// frequencies) are still kept, so a series is never rewritten as a different one.
public struct EventRule: Hashable, Sendable, Codable {
    public enum Frequency: String, Hashable, Sendable, Codable, CaseIterable {
        case secondly = "SECONDLY", minutely = "MINUTELY", hourly = "HOURLY"
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
    }

    public enum End: Hashable, Sendable, Codable {
        case count(Int)
        /// A UTC date-time for zoned series, a date for all-day ones, floating for floating ones.
        case until(EventTime)
    }

    /// `MO`, `-1FR`, `2TU`.
    public struct Day: Hashable, Sendable, Codable {
        public var ordinal: Int?
        public var weekday: Weekday

        public init(_ weekday: Weekday, _ ordinal: Int? = nil) {
            (self.weekday, self.ordinal) = (weekday, ordinal)
        }
    }

    public var frequency: Frequency
    public var interval: Int = 1
    public var end: End?
    public var byDay: [Day] = []
    public var byMonthDay: [Int] = []
    public var byMonth: [Int] = []
    public var byYearDay: [Int] = []
    public var byWeekNo: [Int] = []
    public var byHour: [Int] = []
    public var byMinute: [Int] = []
    public var bySecond: [Int] = []
    public var bySetPos: [Int] = []
    public var weekStart: Weekday?
    /// Unknown parts (`X-NAME=value`), in the order written.
    public var extra: [Part] = []

    public struct Part: Hashable, Sendable, Codable {
        public var name: String, value: String
        public init(_ name: String, _ value: String) { (self.name, self.value) = (name, value) }
    }

    public init(_ frequency: Frequency, interval: Int = 1, end: End? = nil) {
        (self.frequency, self.interval, self.end) = (frequency, interval, end)
    }
}
