import Foundation

/// vCard 2.1 output, for a spoke that writes a card back in the version it was read in (an old
/// phone's export stays readable by that phone). The card is written as 3.0, then each line is
/// recast: bare TYPE parameters, BASE64, and quoted-printable UTF-8 for text that is not plain
/// ASCII or holds line breaks (2.1 has no `\n` escape).
public enum VCard21 {
    public static func write(_ card: VCard) -> String {
        let v3 = Array(VCardWriter.write(card, version: .v3).utf8)
        var out = ""
        for logical in Lexer.logicalLines(v3) {
            guard let line = try? Lexer.contentLine(logical) else {
                // A line the card was read with but could not be read (kept as it was).
                out += String(decoding: logical.bytes, as: UTF8.self) + "\r\n"
                continue
            }
            out += recast(line)
        }
        return out
    }

    private static func recast(_ l: ContentLine) -> String {
        if l.name == "VERSION" { return "VERSION:2.1\r\n" }
        var head = (l.group.map { $0 + "." } ?? "") + l.rawName
        var binary = false
        for p in l.params {
            switch p.name {
            case "TYPE":
                for t in p.values.flatMap({ $0.split(separator: ",") }) { head += ";" + t.uppercased() }
            case "ENCODING" where p.values.first?.lowercased() == "b":
                head += ";ENCODING=BASE64"
                binary = true
            default:
                head += ";" + p.name + "=" + p.values.map(quoteIfNeeded).joined(separator: ",")
            }
        }
        if binary {
            // 2.1 readers expect folded base64 ended by a blank line.
            var text = head + ":"
            var rest = Substring(l.value)
            while !rest.isEmpty {
                text += (text.hasSuffix(":") ? "" : "\r\n ") + rest.prefix(72)
                rest = rest.dropFirst(72)
            }
            return text + "\r\n\r\n"
        }
        let value = plain(l.value)
        guard value.unicodeScalars.contains(where: { $0.value > 0x7E || $0.value < 0x20 })
        else { return fold(head + ":" + value) }
        return quotedPrintable(head + ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:", value)
    }

    /// 3.0 escapes as 2.1 writes them: `\,` is a plain comma, `\n` a real line break; `\;` (a
    /// structured value's literal semicolon) and `\\` stay, as 2.1 readers resolve them.
    private static func plain(_ v: String) -> String {
        var out = ""
        var it = v.unicodeScalars.makeIterator()
        while let u = it.next() {
            guard u == "\\", let n = it.next() else { out.unicodeScalars.append(u); continue }
            switch n {
            case ",", ":": out.unicodeScalars.append(n)
            case "n", "N": out += "\r\n"
            default: out.unicodeScalars.append(u); out.unicodeScalars.append(n)
            }
        }
        return out
    }

    private static func quoteIfNeeded(_ s: String) -> String {
        s.contains(where: { $0 == ";" || $0 == ":" || $0 == "," }) ? "\"" + s + "\"" : s
    }

    /// Soft line breaks (`=` at the end) keep lines under 76 octets; an encoded octet is never split.
    private static func quotedPrintable(_ head: String, _ value: String) -> String {
        var out = head
        var width = head.utf8.count
        for b in value.utf8 {
            let printable = (0x21...0x7E).contains(b) && b != UInt8(ascii: "=") || b == 0x20
            let piece = printable ? String(UnicodeScalar(b)) : String(format: "=%02X", b)
            if width + piece.count > 75 {
                out += "=\r\n"
                width = 0
            }
            out += piece
            width += piece.count
        }
        // A trailing blank would be lost: encode it.
        if out.hasSuffix(" ") { out.removeLast(); out += "=20" }
        return out + "\r\n"
    }

    /// Folds at 75 octets with a leading space, as 2.1 readers unfold too.
    private static func fold(_ line: String) -> String {
        var out = "", count = 0
        for u in line.unicodeScalars {
            if count >= 75 { out += "\r\n "; count = 1 }
            out.unicodeScalars.append(u)
            count += 1
        }
        return out + "\r\n"
    }
}
