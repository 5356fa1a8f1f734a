/// A line after unfolding, as valid UTF-8, with the 1-based physical line it starts on.
struct LogicalLine {
    var bytes: [UInt8]
    var line: Int
}

/// `group.NAME;PARAM=a,b:value`, with quoted-printable already decoded.
struct ContentLine {
    var group: String?
    /// Upper-cased.
    var name: String
    /// As written; custom X- keys keep their spelling.
    var rawName: String
    var params: [VCardParameter]
    /// The wire value, still vCard-escaped.
    var value: String
    var line: Int

    func values(of param: String) -> [String] {
        params.filter { $0.name == param }.flatMap(\.values)
    }

    /// TYPE values, lower-cased, with quoted lists (`TYPE="work,voice"`) split too.
    var types: [String] {
        values(of: "TYPE").flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace().lowercased() }
    }

    var property: VCardProperty {
        VCardProperty(group: group, name: name, params: params, value: TextCoding.escapeLineBreaks(value))
    }
}

enum Lexer {
    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let colon = UInt8(ascii: ":"), semicolon = UInt8(ascii: ";")
    private static let comma = UInt8(ascii: ","), equals = UInt8(ascii: "="), quote = UInt8(ascii: "\"")

    /// Splits on CRLF, LF or CR; unfolds continuation lines (leading space or tab), quoted-printable
    /// soft breaks (`=` at the end of the line, next line not indented — Outlook, old Android) and
    /// unindented base64 continuation lines (vCard 2.1 writers). Each logical line is decoded as
    /// UTF-8, or as Windows-1252 when it is not valid UTF-8.
    static func logicalLines(_ input: [UInt8]) -> [LogicalLine] {
        var physical: [ArraySlice<UInt8>] = []
        var start = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var i = start
        while i < input.count {
            let b = input[i]
            if b == lf || b == cr {
                physical.append(input[start..<i])
                i += (b == cr && i + 1 < input.count && input[i + 1] == lf) ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        if start < input.count { physical.append(input[start..<input.count]) }

        var out: [LogicalLine] = []
        var cur: [UInt8] = []
        var hasCur = false
        var curLine = 0
        var isQP = false, isBase64 = false, sawBlank = false
        for (n, line) in physical.enumerated() {
            if line.isEmpty { sawBlank = true; continue }
            if hasCur {
                if isQP, !sawBlank, let eq = softBreak(cur) {
                    cur.removeSubrange(eq...)
                    cur.append(contentsOf: line)
                    continue
                }
                if let f = line.first, f == space || f == tab {
                    cur.append(contentsOf: line.dropFirst())
                    continue
                }
                if isBase64, !sawBlank, !line.contains(colon) {
                    cur.append(contentsOf: line)
                    continue
                }
                out.append(LogicalLine(bytes: normalizedUTF8(cur), line: curLine))
            }
            cur = Array(line)
            hasCur = true
            curLine = n + 1
            sawBlank = false
            let h = header(line).map { String(decoding: $0, as: UTF8.self).uppercased() } ?? ""
            isQP = h.contains("QUOTED-PRINTABLE")
            isBase64 = h.contains("BASE64") || h.contains("ENCODING=B;") || h.hasSuffix("ENCODING=B")
        }
        if hasCur { out.append(LogicalLine(bytes: normalizedUTF8(cur), line: curLine)) }
        return out
    }

    /// The index of a trailing soft-break `=` (trailing blanks after it are ignored).
    private static func softBreak(_ c: [UInt8]) -> Int? {
        var j = c.count - 1
        while j >= 0, c[j] == space || c[j] == tab { j -= 1 }
        return j >= 0 && c[j] == equals ? j : nil
    }

    /// The part before the first unquoted colon, or nil if there is none.
    private static func header(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var inQuote = false
        for i in line.indices {
            if line[i] == quote { inQuote.toggle() } else if line[i] == colon, !inQuote { return line[..<i] }
        }
        return nil
    }

    private static func normalizedUTF8(_ bytes: [UInt8]) -> [UInt8] {
        if String(validating: bytes, as: UTF8.self) != nil { return bytes }
        return Array(TextCoding.windows1252(bytes).utf8)
    }

    /// Splits a logical line into group, name, parameters and value.
    static func contentLine(_ l: LogicalLine) throws(VCardError) -> ContentLine {
        let b = l.bytes
        let malformed = VCardError("malformed content line", line: l.line)
        func text(_ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
        var i = 0
        while i < b.count, b[i] != semicolon, b[i] != colon { i += 1 }
        guard i < b.count else { throw malformed }
        let full = text(0..<i).trimmingWhitespace()
        var parts = full.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let rawName = parts.removeLast()
        guard isName(rawName), parts.allSatisfy(isName) else { throw malformed }

        var params: [VCardParameter] = []
        while i < b.count, b[i] == semicolon {
            i += 1
            let ns = i
            while i < b.count, b[i] != equals, b[i] != semicolon, b[i] != colon { i += 1 }
            guard i < b.count else { throw malformed }
            let pname = text(ns..<i).trimmingWhitespace()
            guard b[i] == equals else {
                if !pname.isEmpty { params.append(bareParameter(pname)) }
                continue
            }
            i += 1
            var values: [String] = []
            while true {
                if i < b.count, b[i] == quote {
                    let vs = i + 1
                    i = vs
                    while i < b.count, b[i] != quote { i += 1 }
                    guard i < b.count else { throw VCardError("unterminated quoted parameter value", line: l.line) }
                    values.append(text(vs..<i))
                    while i < b.count, b[i] != comma, b[i] != semicolon, b[i] != colon { i += 1 }
                } else {
                    let vs = i
                    while i < b.count, b[i] != comma, b[i] != semicolon, b[i] != colon { i += 1 }
                    values.append(text(vs..<i).trimmingWhitespace())
                }
                guard i < b.count else { throw malformed }
                guard b[i] == comma else { break }
                i += 1
            }
            params.append(VCardParameter(name: pname, values: values.map(TextCoding.caretDecode)))
        }
        guard i < b.count, b[i] == colon else { throw malformed }
        var value = text((i + 1)..<b.count)
        // Trailing blanks are writer noise (hub contacts are trimmed anyway); vCard cannot escape them.
        while let last = value.last, last == " " || last == "\t" { value.removeLast() }

        // The value is re-encoded as UTF-8 on write, so CHARSET (and a decoded ENCODING) go.
        let encoding = params.filter { $0.name == "ENCODING" }.flatMap(\.values).first?.uppercased()
        if encoding == "QUOTED-PRINTABLE" {
            let charset = params.first { $0.name == "CHARSET" }?.values.first
            value = TextCoding.decode(TextCoding.quotedPrintable(value), charset: charset)
            params.removeAll { $0.name == "ENCODING" }
        }
        params.removeAll { $0.name == "CHARSET" }
        return ContentLine(
            group: parts.isEmpty ? nil : parts.joined(separator: "."), name: rawName.uppercased(),
            rawName: rawName, params: params, value: value, line: l.line)
    }

    private static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { c in
            (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
                || c == 0x2D || c == 0x5F
        }
    }

    /// vCard 2.1 bare parameters: `;WORK;PREF` is a TYPE, `;QUOTED-PRINTABLE` an ENCODING.
    private static func bareParameter(_ name: String) -> VCardParameter {
        switch name.uppercased() {
        case "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT": VCardParameter(name: "ENCODING", values: [name])
        default: VCardParameter(name: "TYPE", values: [name])
        }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
