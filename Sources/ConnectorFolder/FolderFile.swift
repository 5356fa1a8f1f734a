import ConnectorKit
import Foundation
import PIMFormats
import SyncModel

/// One `.vcf` file as cards with ids, versions and byte spans. A file with one card is the
/// item named like the file, versioned by a hash of the whole file (as always). A file with
/// several (an "export all" file) gives one item per card, named `file.vcf#UID` (the card's
/// position, `#n3`, when it has no UID or shares one), versioned by a hash of the card's own
/// bytes: an edit of one card is no conflict for the others.
struct FolderFile {
    struct Entry {
        var id: RemoteID
        var version: RemoteVersion
        var parsed: ParsedCard
        /// The card's bytes in `bytes` (BEGIN to the end of the END line).
        var span: Range<Int>
    }

    let name: String
    /// UTF-8 (a UTF-16 file is converted, and written back as UTF-8).
    let bytes: [UInt8]
    let entries: [Entry]

    init(name: String, data: Data) {
        self.name = name
        let parsed = VCardParser.read(data: data)
        let bytes: [UInt8]
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]), let s = String(data: data, encoding: .utf16) {
            bytes = Array(s.utf8)
        } else {
            bytes = Array(data)
        }
        self.bytes = bytes
        let starts = Self.lineStarts(bytes)
        func span(_ lines: ClosedRange<Int>) -> Range<Int> {
            let from = lines.lowerBound - 1 < starts.count ? starts[lines.lowerBound - 1] : bytes.count
            let to = lines.upperBound < starts.count ? starts[lines.upperBound] : bytes.count
            return min(from, to)..<to
        }
        // Lines outside any card (junk between cards) are reported by the parser too: not items.
        let cards = parsed.filter { p in
            if case .failure(let e) = p.result, e.message.hasPrefix("expected BEGIN") || e.message.hasPrefix("END:VCARD without") {
                return false
            }
            return true
        }
        if cards.count <= 1 {
            entries = cards.map { Entry(id: RemoteID(name), version: FolderSpoke.version(of: data), parsed: $0, span: span($0.lines)) }
            return
        }
        var used = Set<String>()
        var out: [Entry] = []
        for (i, p) in cards.enumerated() {
            let s = span(p.lines)
            let uid = Self.uid(in: bytes[s])
            let key = uid.flatMap { used.contains($0) ? nil : $0 } ?? "n\(i + 1)"
            used.insert(key)
            out.append(Entry(id: RemoteID("\(name)#\(key)"), version: FolderSpoke.version(of: Data(bytes[s])), parsed: p, span: s))
        }
        entries = out
    }

    var isMultiCard: Bool { entries.count > 1 }

    func entry(_ id: RemoteID) -> Entry? { entries.first { $0.id == id } }

    /// The file with one card's bytes replaced (nil: removed); the other cards stay byte for byte.
    func replacing(_ entry: Entry, with card: [UInt8]?) -> Data {
        var out = Array(bytes[..<entry.span.lowerBound])
        if let card { out += card }
        out += bytes[entry.span.upperBound...]
        return Data(out)
    }

    /// The file part of an id (`a.vcf#UID` → `a.vcf`).
    static func fileName(of id: RemoteID) -> String {
        guard let r = id.rawValue.range(of: ".vcf#", options: [.caseInsensitive]) else { return id.rawValue }
        return String(id.rawValue[..<r.lowerBound]) + id.rawValue[r.lowerBound...].prefix(4)
    }

    /// The byte offset each physical line starts at, split as the vCard lexer splits (CRLF, LF, CR).
    static func lineStarts(_ b: [UInt8]) -> [Int] {
        var starts = [b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0]
        var i = starts[0]
        while i < b.count {
            if b[i] == 0x0A || b[i] == 0x0D {
                i += (b[i] == 0x0D && i + 1 < b.count && b[i + 1] == 0x0A) ? 2 : 1
                if i < b.count { starts.append(i) }
            } else {
                i += 1
            }
        }
        return starts
    }

    /// The UID of a card by a plain scan (a card that does not parse still has one).
    static func uid(in card: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: card, as: UTF8.self)
        for line in text.split(whereSeparator: \.isNewline) {
            let upper = line.uppercased()
            guard upper.hasPrefix("UID:") || upper.hasPrefix("UID;"), let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
