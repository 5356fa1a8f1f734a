import Foundation
import SyncModel

/// DATE, DATE-TIME and DURATION values (RFC 5545 §3.3), read tolerantly, written strictly.
enum ICalValues {
    /// `20240131`, `20240131T090000`, `20240131T090000Z`; also `2024-01-31T09:00:00Z` (sloppy writers).
    static func time(_ raw: String, zone: EventZone, dateOnly: Bool) -> EventTime? {
        let s = raw.trimmingWhitespace().filter { $0 != "-" && $0 != ":" }
        let digits = Array(s.utf8)
        func num(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= digits.count, r.allSatisfy({ (0x30...0x39).contains(digits[$0]) }) else { return nil }
            return r.reduce(0) { $0 * 10 + Int(digits[$1] - 0x30) }
        }
        guard let y = num(0..<4), let m = num(4..<6), let d = num(6..<8) else { return nil }
        let date = CivilDate(y, m, d)
        guard date.isValid else { return nil }
        if digits.count == 8 || dateOnly { return .date(date) }
        guard digits.count >= 15, digits[8] == UInt8(ascii: "T") || digits[8] == UInt8(ascii: "t"),
              let h = num(9..<11), let mi = num(11..<13), let se = num(13..<15) else { return nil }
        let wall = CivilDateTime(date, h, mi, min(se, 59))
        guard wall.isValid else { return nil }
        let rest = String(decoding: digits[15...], as: UTF8.self)
        if rest.uppercased() == "Z" { return .dateTime(wall, .utc) }
        guard rest.isEmpty || rest.allSatisfy({ $0 == "0" || $0 == "." }) else { return nil }  // fractional seconds
        return .dateTime(wall, zone)
    }

    static func format(_ t: EventTime) -> String {
        switch t {
        case .date(let d): format(d)
        case .dateTime(let w, let z): format(w) + (z == .utc ? "Z" : "")
        }
    }

    static func format(_ d: CivilDate) -> String {
        pad(d.year, 4) + pad(d.month, 2) + pad(d.day, 2)
    }

    static func format(_ w: CivilDateTime) -> String {
        format(w.date) + "T" + pad(w.hour, 2) + pad(w.minute, 2) + pad(w.second, 2)
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `-P1W`, `PT15M`, `P1DT2H30M`, `P0D`.
    static func duration(_ raw: String) -> EventDuration? {
        var s = Substring(raw.trimmingWhitespace().uppercased())
        var d = EventDuration()
        if s.first == "-" { d.negative = true; s.removeFirst() } else if s.first == "+" { s.removeFirst() }
        guard s.first == "P" else { return nil }
        s.removeFirst()
        var inTime = false, num = "", any = false
        for c in s {
            if c.isASCII, c.isNumber { num.append(c); continue }
            if c == "T" { inTime = true; continue }
            guard let n = Int(num) else { return nil }
            num = ""
            any = true
            switch (c, inTime) {
            case ("W", false): d.weeks = n
            case ("D", false): d.days = n
            case ("H", true): d.hours = n
            case ("M", true): d.minutes = n
            case ("S", true): d.seconds = n
            default: return nil
            }
        }
        return any && num.isEmpty ? d : nil
    }

    static func format(_ d: EventDuration) -> String {
        var s = d.negative ? "-P" : "P"
        if d.weeks > 0 { s += "\(d.weeks)W" }
        if d.days > 0 { s += "\(d.days)D" }
        if d.hours > 0 || d.minutes > 0 || d.seconds > 0 {
            s += "T"
            if d.hours > 0 { s += "\(d.hours)H" }
            if d.minutes > 0 { s += "\(d.minutes)M" }
            if d.seconds > 0 { s += "\(d.seconds)S" }
        }
        return s == "P" || s == "-P" ? s + "0D" : s
    }
}

/// TZID → a zone: IANA ids as they are, Windows names through CLDR (PROTOCOLS §3.6), Mozilla-style
/// prefixed ids (`/mozilla.org/20050126_1/Europe/Berlin`), a VTIMEZONE's X-LIC-LOCATION; anything
/// else stays as written (its VTIMEZONE is kept and written back).
enum ICalZones {
    static func resolve(_ tzid: String, location: String? = nil) -> EventZone {
        let id = tzid.trimmingCharacters(in: CharacterSet(charactersIn: "\"").union(.whitespaces))
        for candidate in [id, location ?? ""] where !candidate.isEmpty {
            if let known = known(candidate) { return .named(known) }
        }
        return .named(id)
    }

    private static func known(_ id: String) -> String? {
        if let iana = WindowsZones.iana[id] { return iana }
        if TimeZone(identifier: id) != nil { return id }
        let parts = id.split(separator: "/")
        for n in [3, 2] where parts.count > n {
            let tail = parts.suffix(n).joined(separator: "/")
            if TimeZone(identifier: tail) != nil { return tail }
        }
        return nil
    }
}
