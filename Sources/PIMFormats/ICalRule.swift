import SyncModel

/// RRULE text ↔ `EventRule` (RFC 5545 §3.3.10). Unknown parts are kept; a rule without FREQ,
/// or with a value out of range, is refused (the series then keeps its RRULE line as data).
enum ICalRule {
    static func parse(_ text: String, zone: EventZone?) -> EventRule? {
        var parts: [(String, String)] = []
        for p in text.trimmingWhitespace().split(separator: ";") where !p.isEmpty {
            let kv = p.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { return nil }
            parts.append((kv[0].trimmingWhitespace().uppercased(), kv[1].trimmingWhitespace()))
        }
        guard let f = parts.first(where: { $0.0 == "FREQ" }), let freq = EventRule.Frequency(rawValue: f.1.uppercased()) else {
            return nil
        }
        var r = EventRule(freq)
        func ints(_ v: String, _ range: ClosedRange<Int>, nonZero: Bool = true) -> [Int]? {
            let list = v.split(separator: ",").map { Int($0.trimmingWhitespace()) }
            guard list.allSatisfy({ $0.map { range.contains($0) && (!nonZero || $0 != 0) } ?? false }) else { return nil }
            return list.compactMap { $0 }
        }
        for (k, v) in parts {
            switch k {
            case "FREQ": continue
            case "INTERVAL":
                guard let n = Int(v), n >= 1 else { return nil }
                r.interval = n
            case "COUNT":
                guard let n = Int(v), n >= 1 else { return nil }
                r.end = .count(n)
            case "UNTIL":
                guard let t = ICalValues.time(v, zone: zone == .utc ? .utc : .floating, dateOnly: false) else { return nil }
                r.end = .until(t)
            case "BYDAY":
                var days: [EventRule.Day] = []
                for item in v.uppercased().split(separator: ",") {
                    let s = item.trimmingWhitespace()
                    guard s.count >= 2, let wd = Weekday(rawValue: String(s.suffix(2))) else { return nil }
                    let n = s.dropLast(2)
                    if n.isEmpty { days.append(EventRule.Day(wd)); continue }
                    guard let o = Int(n), o != 0, abs(o) <= 53 else { return nil }
                    days.append(EventRule.Day(wd, o))
                }
                r.byDay = days
            case "BYMONTHDAY": guard let l = ints(v, -31...31) else { return nil }; r.byMonthDay = l
            case "BYMONTH": guard let l = ints(v, 1...12) else { return nil }; r.byMonth = l
            case "BYYEARDAY": guard let l = ints(v, -366...366) else { return nil }; r.byYearDay = l
            case "BYWEEKNO": guard let l = ints(v, -53...53) else { return nil }; r.byWeekNo = l
            case "BYHOUR": guard let l = ints(v, 0...23, nonZero: false) else { return nil }; r.byHour = l
            case "BYMINUTE": guard let l = ints(v, 0...59, nonZero: false) else { return nil }; r.byMinute = l
            case "BYSECOND": guard let l = ints(v, 0...60, nonZero: false) else { return nil }; r.bySecond = l
            case "BYSETPOS": guard let l = ints(v, -366...366) else { return nil }; r.bySetPos = l
            case "WKST":
                guard let wd = Weekday(rawValue: v.uppercased()) else { return nil }
                r.weekStart = wd
            default: r.extra.append(EventRule.Part(k, v))
            }
        }
        return r
    }

    static func format(_ r: EventRule) -> String {
        var out = ["FREQ=\(r.frequency.rawValue)"]
        func list(_ k: String, _ l: [Int]) { if !l.isEmpty { out.append(k + "=" + l.map(String.init).joined(separator: ",")) } }
        switch r.end {
        case .count(let n)?: out.append("COUNT=\(n)")
        case .until(let t)?: out.append("UNTIL=" + ICalValues.format(t))
        case nil: break
        }
        if r.interval != 1 { out.append("INTERVAL=\(r.interval)") }
        list("BYSECOND", r.bySecond)
        list("BYMINUTE", r.byMinute)
        list("BYHOUR", r.byHour)
        if !r.byDay.isEmpty {
            out.append("BYDAY=" + r.byDay.map { ($0.ordinal.map(String.init) ?? "") + $0.weekday.rawValue }.joined(separator: ","))
        }
        list("BYMONTHDAY", r.byMonthDay)
        list("BYYEARDAY", r.byYearDay)
        list("BYWEEKNO", r.byWeekNo)
        list("BYMONTH", r.byMonth)
        list("BYSETPOS", r.bySetPos)
        if let w = r.weekStart { out.append("WKST=\(w.rawValue)") }
        out += r.extra.map { "\($0.name)=\($0.value)" }
        return out.joined(separator: ";")
    }
}
