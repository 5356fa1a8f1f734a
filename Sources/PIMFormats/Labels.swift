import Foundation
import SyncModel

/// TYPE parameters and Apple `X-ABLabel`s to and from `ContactLabel`, custom label text, IM services.
enum Labels {
    /// The label from TYPE values. The most specific wins: a "work fax" is a work fax, a "home cell" a mobile.
    static func label(types: [String]) -> ContactLabel? {
        let t = Set(types.map { $0.hasPrefix("x-") ? String($0.dropFirst(2)) : $0 })
        if t.contains("fax") { return t.contains("work") ? .workFax : t.contains("home") ? .homeFax : .fax }
        if t.contains("pager") { return .pager }
        if !t.isDisjoint(with: ["cell", "mobile", "iphone"]) { return .mobile }
        for l in [ContactLabel.main, .work, .home, .school, .other] where t.contains(l.rawValue) { return l }
        return nil
    }

    /// The text of an `x-` TYPE that names no label (`TYPE=x-Cottage`): a custom label, as written.
    static func customLabel(rawTypes: [String]) -> String? {
        rawTypes.lazy.filter { $0.lowercased().hasPrefix("x-") && $0.count > 2 }
            .first { label(types: [$0.lowercased()]) == nil }.map { String($0.dropFirst(2)) }
    }

    /// An Apple label: `_$!<Mobile>!$_` or a user's free text. A known label, or the text as a
    /// custom label (Apple's own `_$!<…>!$_` names unwrapped) with no label of its own.
    static func label(apple: String) -> (label: ContactLabel?, custom: String?) {
        var s = apple.trimmingWhitespace()
        if s.hasPrefix("_$!<"), s.hasSuffix(">!$_") { s = String(s.dropFirst(4).dropLast(4)) }
        switch s.lowercased() {
        case "": return (nil, nil)
        case "otherfax", "fax": return (.fax, nil)
        case "iphone", "cell", "mobile": return (.mobile, nil)
        default: return ContactLabel(naming: s).map { ($0, nil) } ?? (nil, s)
        }
    }

    /// The TYPE values written for a label; `other` is written as no TYPE at all.
    static func types(for label: ContactLabel, version: VCardVersion) -> [String] {
        let t: [String] = switch label {
        case .home, .work, .fax, .pager, .main, .school: [label.rawValue]
        case .workFax: ["work", "fax"]
        case .homeFax: ["home", "fax"]
        case .mobile: ["cell"]
        case .other: []
        }
        return version == .v3 ? t.map { $0.uppercased() } : t
    }

    /// Preference rank: `PREF=n` (4.0) or `TYPE=pref` (3.0, 2.1); lower comes first.
    static func preference(_ line: ContentLine) -> Int {
        if let p = line.values(of: "PREF").first.flatMap({ Int($0.trimmingWhitespace()) }) { return p }
        return line.types.contains("pref") ? 1 : 101
    }

    /// Apple's `X-SERVICE-TYPE` spelling of a service token.
    static func serviceType(_ token: String) -> String {
        let names = ["aim": "AIM", "jabber": "Jabber", "msn": "MSN", "yahoo": "Yahoo", "skype": "Skype", "qq": "QQ",
                     "googletalk": "GoogleTalk", "icq": "ICQ", "facebook": "Facebook", "gadugadu": "GaduGadu"]
        return names[token] ?? token
    }

    /// An IM entry as IMPP holds it: a URI (the service's scheme added to a bare handle when the
    /// service has one), and the service only where that URI does not say it.
    static func impp(_ v: LabeledValue) -> LabeledValue {
        var out = v
        if let s = v.service, IMService.scheme(of: v.value) == nil, let scheme = IMService.scheme(forService: s) {
            out.value = scheme + ":" + v.value
        }
        if out.service == IMService.implied(by: out.value) { out.service = nil }
        return out
    }
}

/// BDAY / ANNIVERSARY values.
enum Dates {
    /// `YYYY-MM-DD`, `YYYYMMDD`, `--MMDD`, `--MM-DD`, each optionally followed by a `T` time part.
    static func parse(_ raw: String) -> PartialDate? {
        var s = Substring(raw.trimmingWhitespace())
        if let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }) { s = s[..<t] }
        let c = Array(s.utf8)
        let dash = UInt8(ascii: "-")
        func at(_ i: Int) -> UInt8? { i < c.count ? c[i] : nil }
        func num(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= c.count, c[r].allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            return Int(String(decoding: c[r], as: UTF8.self))
        }
        let yearless = at(0) == dash && at(1) == dash
        let ranges: (year: Range<Int>?, month: Range<Int>, day: Range<Int>)
        switch c.count {
        case 6 where yearless: ranges = (nil, 2..<4, 4..<6)
        case 7 where yearless && at(4) == dash: ranges = (nil, 2..<4, 5..<7)
        case 8: ranges = (0..<4, 4..<6, 6..<8)
        case 10 where at(4) == dash && at(7) == dash: ranges = (0..<4, 5..<7, 8..<10)
        default: return nil
        }
        guard let m = num(ranges.month), let d = num(ranges.day) else { return nil }
        var year: Int? = nil
        if let r = ranges.year {
            guard let y = num(r) else { return nil }
            year = y
        }
        let date = PartialDate(year: year, month: m, day: d)
        return date.isValid ? date : nil
    }

    /// 3.0 uses the extended form (`1985-03-15`, `--03-15`), 4.0 the basic one (`19850315`, `--0315`).
    static func format(_ d: PartialDate, version: VCardVersion) -> String {
        switch version {
        case .v3: return d.description
        case .v4:
            let md = String(format: "%02d%02d", d.month, d.day)
            return (d.year.map { String(format: "%04d", $0) } ?? "--") + md
        }
    }
}
