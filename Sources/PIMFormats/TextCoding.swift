import Foundation

/// Value escaping (RFC 6350 §3.4), structured-value splitting, and byte decodings.
enum TextCoding {
    // MARK: Escaping

    /// Escapes a text value or one component of a structured value.
    static func escape(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasCR = false
        for u in s.unicodeScalars {
            defer { lastWasCR = u == "\r" }
            switch u {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case ",": out.append(contentsOf: "\\,".unicodeScalars)
            case ";": out.append(contentsOf: "\\;".unicodeScalars)
            case "\r": out.append(contentsOf: "\\n".unicodeScalars)
            case "\n": if !lastWasCR { out.append(contentsOf: "\\n".unicodeScalars) }
            default: out.append(u)
            }
        }
        return String(out)
    }

    /// Resolves `\\`, `\n`/`\N`, `\,`, `\;` and the non-standard `\:`; any other backslash is kept.
    /// Raw CR LF / CR (from quoted-printable) become LF. With `uriOnly`, only the separators a
    /// sloppy writer may have escaped (`\,` `\;` `\:`) are resolved.
    static func unescape(_ s: String, uriOnly: Bool = false) -> String {
        guard s.unicodeScalars.contains(where: { $0 == "\\" || $0 == "\r" }) else { return s }
        var out = String.UnicodeScalarView()
        var it = s.unicodeScalars.makeIterator()
        var lastWasCR = false
        while let u = it.next() {
            defer { lastWasCR = u == "\r" }
            if u == "\r" { out.append("\n"); continue }
            if u == "\n", lastWasCR { continue }
            guard u == "\\" else { out.append(u); continue }
            guard let n = it.next() else { out.append(u); break }
            switch n {
            case ",", ";", ":": out.append(n)
            case "\\" where !uriOnly: out.append(n)
            case "n" where !uriOnly, "N" where !uriOnly: out.append("\n")
            default: out.append(u); out.append(n)
            }
        }
        return String(out)
    }

    /// Splits on separators not preceded by a backslash; the parts stay escaped.
    static func split(_ s: String, on sep: Unicode.Scalar) -> [String] {
        var parts: [String] = []
        var cur = String.UnicodeScalarView()
        var escaped = false
        for u in s.unicodeScalars {
            if escaped {
                escaped = false
            } else if u == "\\" {
                escaped = true
            } else if u == sep {
                parts.append(String(cur))
                cur = String.UnicodeScalarView()
                continue
            }
            cur.append(u)
        }
        parts.append(String(cur))
        return parts
    }

    /// Replaces raw line breaks with `\n`, for values stored in their escaped wire form.
    static func escapeLineBreaks(_ s: String) -> String {
        guard s.contains(where: \.isNewline) else { return s }
        return s.replacingOccurrences(of: "\r\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\n")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    // MARK: Parameter values (RFC 6868)

    static func caretDecode(_ s: String) -> String {
        guard s.contains("^") else { return s }
        var out = String.UnicodeScalarView()
        var it = s.unicodeScalars.makeIterator()
        while let u = it.next() {
            guard u == "^" else { out.append(u); continue }
            guard let n = it.next() else { out.append(u); break }
            switch n {
            case "^": out.append("^")
            case "n", "N": out.append("\n")
            case "'": out.append("\"")
            default: out.append(u); out.append(n)
            }
        }
        return String(out)
    }

    /// A parameter value ready to write: caret-encoded and quoted when it holds a separator.
    static func paramValue(_ s: String) -> String {
        var v = s.replacingOccurrences(of: "^", with: "^^").replacingOccurrences(of: "\"", with: "^'")
        v = v.replacingOccurrences(of: "\r\n", with: "^n").replacingOccurrences(of: "\n", with: "^n")
            .replacingOccurrences(of: "\r", with: "^n")
        let needsQuotes = v.isEmpty || v.unicodeScalars.contains { ":;,= \t".unicodeScalars.contains($0) }
        return needsQuotes ? "\"\(v)\"" : v
    }

    // MARK: Byte decodings

    /// Bytes in the named charset; unknown or absent charsets try UTF-8, then Windows-1252.
    static func decode(_ bytes: [UInt8], charset: String?) -> String {
        switch charset?.uppercased() {
        case "ISO-8859-1", "ISO8859-1", "LATIN1", "ISO_8859-1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case "WINDOWS-1252", "CP1252", "WIN-1252", "X-CP1252":
            return windows1252(bytes)
        default:
            return String(validating: bytes, as: UTF8.self) ?? windows1252(bytes)
        }
    }

    /// Windows-1252: Latin-1 except 0x80–0x9F; its five undefined bytes keep their C1 code points.
    static func windows1252(_ bytes: [UInt8]) -> String {
        var out = String.UnicodeScalarView()
        for b in bytes {
            if (0x80...0x9F).contains(b), let u = Unicode.Scalar(cp1252High[Int(b) - 0x80]) {
                out.append(u)
            } else {
                out.append(Unicode.Scalar(b))
            }
        }
        return String(out)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Quoted-printable (soft line breaks are already joined by the unfolder).
    /// A malformed `=XY` is kept literally rather than rejected.
    static func quotedPrintable(_ s: String) -> [UInt8] {
        let src = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(src.count)
        var i = 0
        while i < src.count {
            if src[i] == UInt8(ascii: "="), i + 2 < src.count, let h = hex(src[i + 1]), let l = hex(src[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(src[i])
                i += 1
            }
        }
        return out
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// Strict base64, tolerant only of whitespace and missing padding.
    static func base64(_ s: String) -> Data? {
        var t = Data(s.utf8.filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A })
        switch t.count % 4 {
        case 2: t.append(contentsOf: [0x3D, 0x3D])
        case 3: t.append(0x3D)
        case 1: return nil
        default: break
        }
        return Data(base64Encoded: t)
    }
}
