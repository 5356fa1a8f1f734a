/// The wall times one RRULE yields from DTSTART, in order (RFC 5545 §3.3.10, read as python-dateutil
/// reads it): each period (year, month, week or day, stepped by INTERVAL) gives its days after the
/// BYxxx filters, times those days by BYHOUR/BYMINUTE/BYSECOND, then BYSETPOS picks by position.
/// Hand-written because Foundation's RecurrenceRule gets multi-weekday BYSETPOS wrong (PROTOCOLS §4).
struct RuleIterator {
    let rule: EventRule
    let start: CivilDateTime
    private let byMonth: [Int], byMonthDay: [Int], byDay: [EventRule.Day]
    private let hours: [Int], minutes: [Int], seconds: [Int]
    private var period = 0
    private var pending: [CivilDateTime] = []
    private var emptyPeriods = 0

    init(rule: EventRule, start: CivilDateTime) throws(RecurrenceError) {
        guard rule.interval >= 1 else { throw .invalid("INTERVAL must be at least 1") }
        switch rule.frequency {
        case .daily, .weekly, .monthly, .yearly: break
        case .hourly, .minutely, .secondly: throw .unsupported("FREQ=\(rule.frequency.rawValue)")
        }
        guard rule.byWeekNo.isEmpty else { throw .unsupported("BYWEEKNO") }
        (self.rule, self.start) = (rule, start)
        // Defaults from DTSTART, as dateutil fills them.
        var byMonth = rule.byMonth, byMonthDay = rule.byMonthDay, byDay = rule.byDay
        if rule.byYearDay.isEmpty, byMonthDay.isEmpty, byDay.isEmpty {
            switch rule.frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [start.date.month] }
                byMonthDay = [start.date.day]
            case .monthly: byMonthDay = [start.date.day]
            case .weekly: byDay = [EventRule.Day(start.date.weekday)]
            default: break
            }
        }
        (self.byMonth, self.byMonthDay, self.byDay) = (byMonth, byMonthDay, byDay)
        hours = rule.byHour.isEmpty ? [start.hour] : rule.byHour.sorted()
        minutes = rule.byMinute.isEmpty ? [start.minute] : rule.byMinute.sorted()
        seconds = rule.bySecond.isEmpty ? [start.second] : rule.bySecond.sorted()
    }

    /// The next wall time at or after DTSTART, or nil once 10,000 periods in a row gave nothing
    /// (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30` never happens).
    mutating func next() -> CivilDateTime? {
        while pending.isEmpty {
            guard emptyPeriods < 10_000 else { return nil }
            pending = candidates(period).filter { $0 >= start }.reversed()
            emptyPeriods = pending.isEmpty ? emptyPeriods + 1 : 0
            period += 1
        }
        return pending.popLast()
    }

    private func candidates(_ k: Int) -> [CivilDateTime] {
        let step = k * rule.interval
        let days: [CivilDate]
        switch rule.frequency {
        case .yearly:
            let y = start.date.year + step
            days = (0..<(CivilDate.isLeap(y) ? 366 : 365)).map { CivilDate(y, 1, 1).adding(days: $0) }
        case .monthly:
            let m0 = start.date.year * 12 + start.date.month - 1 + step
            let (y, m) = (m0 >= 0 ? m0 / 12 : (m0 - 11) / 12, ((m0 % 12) + 12) % 12 + 1)
            days = (1...CivilDate.daysIn(y, m)).map { CivilDate(y, m, $0) }
        case .weekly:
            let wkst = (rule.weekStart ?? .monday).index
            let back = (start.date.weekday.index - wkst + 7) % 7
            let first = start.date.adding(days: -back + 7 * step)
            days = (0..<7).map { first.adding(days: $0) }
        default:
            days = [start.date.adding(days: step)]
        }
        let chosen = days.filter(matches)
        var times: [CivilDateTime] = []
        for d in chosen {
            for h in hours { for mi in minutes { for s in seconds { times.append(CivilDateTime(d, h, mi, s)) } } }
        }
        guard !rule.bySetPos.isEmpty else { return times }
        var picked = Set<CivilDateTime>()
        for p in rule.bySetPos {
            let i = p > 0 ? p - 1 : times.count + p
            if p != 0, times.indices.contains(i) { picked.insert(times[i]) }
        }
        return picked.sorted()
    }

    private func matches(_ d: CivilDate) -> Bool {
        if !byMonth.isEmpty, !byMonth.contains(d.month) { return false }
        let dim = CivilDate.daysIn(d.year, d.month)
        if !byMonthDay.isEmpty, !byMonthDay.contains(where: { $0 == d.day || $0 == d.day - dim - 1 }) { return false }
        if !rule.byYearDay.isEmpty {
            let diy = CivilDate.isLeap(d.year) ? 366 : 365
            if !rule.byYearDay.contains(where: { $0 == d.dayOfYear || $0 == d.dayOfYear - diy - 1 }) { return false }
        }
        if !byDay.isEmpty, !byDay.contains(where: { dayMatches($0, d) }) { return false }
        return true
    }

    /// `2TU` counts within the month for MONTHLY (and YEARLY with BYMONTH), else within the year.
    private func dayMatches(_ bd: EventRule.Day, _ d: CivilDate) -> Bool {
        guard bd.weekday == d.weekday else { return false }
        guard let n = bd.ordinal, rule.frequency == .monthly || rule.frequency == .yearly else { return true }
        let inMonth = rule.frequency == .monthly || !byMonth.isEmpty
        let (index, total): (Int, Int)
        if inMonth {
            (index, total) = (d.day, CivilDate.daysIn(d.year, d.month))
        } else {
            (index, total) = (d.dayOfYear, CivilDate.isLeap(d.year) ? 366 : 365)
        }
        let fromStart = (index - 1) / 7 + 1, fromEnd = -((total - index) / 7 + 1)
        return n == fromStart || n == fromEnd
    }
}

public enum RecurrenceError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalid(String)
    /// Kept as data and written back, but not expanded.
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalid(let m): "invalid recurrence: \(m)"
        case .unsupported(let m): "recurrence not supported by the expander: \(m)"
        }
    }
}
