import Foundation

public enum VCardParser {
    /// Parses text holding exactly one vCard.
    public static func parse(_ text: String) throws(VCardError) -> VCard {
        try single(parseAll(bytes: Array(text.utf8)))
    }

    /// Parses bytes holding exactly one vCard: UTF-8 (or UTF-16 with a BOM); lines that are not
    /// valid UTF-8 are read as Windows-1252, the superset of ISO-8859-1 that old exports use.
    public static func parse(data: Data) throws(VCardError) -> VCard {
        try single(parseAll(data: data))
    }

    /// Parses every card of a multi-card file; each succeeds or fails on its own.
    public static func parseAll(_ text: String) -> [Result<VCard, VCardError>] {
        parseAll(bytes: Array(text.utf8))
    }

    public static func parseAll(data: Data) -> [Result<VCard, VCardError>] {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]),
            let s = String(data: data, encoding: .utf16)
        {
            return parseAll(s)
        }
        return parseAll(bytes: Array(data))
    }

    private static func single(_ results: [Result<VCard, VCardError>]) throws(VCardError) -> VCard {
        guard let first = results.first else { throw VCardError("no vCard found") }
        if case .failure(let e) = results.first(where: { if case .failure = $0 { true } else { false } }) {
            throw e
        }
        guard results.count == 1 else {
            throw VCardError("found \(results.count) vCards where one was expected")
        }
        return try first.get()
    }

    private static func parseAll(bytes: [UInt8]) -> [Result<VCard, VCardError>] {
        read(bytes: bytes).map(\.result)
    }

    /// Every card of a file with where it lies and what was skipped in it: the form a spoke that
    /// keeps several cards per file, and reports bad lines, needs.
    public static func read(data: Data) -> [ParsedCard] {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]),
            let s = String(data: data, encoding: .utf16)
        {
            return read(bytes: Array(s.utf8))
        }
        return read(bytes: Array(data))
    }

    static func read(bytes: [UInt8]) -> [ParsedCard] {
        var results: [ParsedCard] = []
        var card: [LogicalLine]? = nil
        var cardStart = 0
        var cardBytes = 0
        // A card past the limits: its lines are dropped as they come, and it fails at its END.
        var oversize: VCardError?
        var inGarbage = false
        func failed(_ e: VCardError, _ first: Int, _ last: Int) -> ParsedCard {
            ParsedCard(result: .failure(e), lines: first...max(first, last))
        }
        for l in Lexer.logicalLines(bytes) {
            let text = String(decoding: l.bytes, as: UTF8.self)
            guard !text.allSatisfy(\.isWhitespace) else { continue }
            switch marker(text) {
            case .begin?:
                if card != nil {
                    results.append(failed(oversize ?? unterminated(cardStart), cardStart, l.line - 1))
                }
                card = []
                cardStart = l.line
                cardBytes = 0
                oversize = nil
                inGarbage = false
            case .end?:
                if let lines = card {
                    var parsed = oversize.map { ParsedCard(result: .failure($0), lines: 0...0) } ?? read(lines)
                    parsed.lines = cardStart...l.line
                    results.append(parsed)
                    card = nil
                } else if !inGarbage {
                    results.append(failed(VCardError("END:VCARD without BEGIN:VCARD", line: l.line), l.line, l.line))
                    inGarbage = true
                }
            case nil:
                if card != nil {
                    cardBytes += l.bytes.count
                    oversize = oversize ?? VCardLimits.check(l, cardBytes: cardBytes, cardLines: card!.count + 1)
                    if oversize == nil { card?.append(l) } else { card = [] }
                } else if !inGarbage {
                    results.append(failed(VCardError("expected BEGIN:VCARD", line: l.line), l.line, l.line))
                    inGarbage = true
                }
            }
        }
        if card != nil {
            results.append(failed(oversize ?? unterminated(cardStart), cardStart, card?.last?.line ?? cardStart))
        }
        return results
    }

    private static func unterminated(_ start: Int) -> VCardError {
        VCardError("vCard is not terminated (missing END:VCARD)", line: start)
    }

    private enum Marker { case begin, end }

    private static func marker(_ line: String) -> Marker? {
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[1].trimmingWhitespace().uppercased() == "VCARD" else { return nil }
        switch parts[0].trimmingWhitespace().uppercased() {
        case "BEGIN": return .begin
        case "END": return .end
        default: return nil
        }
    }

    /// A line the lexer cannot read (no colon, an empty group, a control byte in a name) is
    /// skipped and reported, and the rest of the card is read: one bad line of another app's
    /// export must not hold back the whole contact.
    private static func read(_ lines: [LogicalLine]) -> ParsedCard {
        var content: [ContentLine] = []
        var skipped: [VCardSkippedLine] = []
        content.reserveCapacity(lines.count)
        for l in lines {
            do {
                let c = try Lexer.contentLine(l)
                if c.name == "BEGIN" || c.name == "END" {
                    return ParsedCard(
                        result: .failure(VCardError("unexpected \(c.name):\(c.value) inside a vCard", line: l.line)), lines: 0...0)
                }
                content.append(c)
            } catch {
                skipped.append(VCardSkippedLine(error: error, raw: String(decoding: l.bytes, as: UTF8.self)))
            }
        }
        let version = content.first { $0.name == "VERSION" }?.value.trimmingWhitespace()
        let result = Result { () throws(VCardError) in
            var card = try CardReader.read(content)
            card.skipped = skipped.map(\.raw)
            return card
        }
        return ParsedCard(result: result, lines: 0...0, skipped: skipped, writtenVersion: version)
    }
}

/// One card of a file as read: the card or why not, the physical lines it spans (BEGIN to END),
/// the lines skipped in it, and its VERSION as written ("2.1" reads as 3.0 but is written back as
/// 2.1 by a spoke that keeps files as they were).
public struct ParsedCard: Sendable {
    public var result: Result<VCard, VCardError>
    public var lines: ClosedRange<Int>
    public var skipped: [VCardSkippedLine] = []
    public var writtenVersion: String?
}

/// A line of a card that could not be read, with the reason (and its line) and its text.
public struct VCardSkippedLine: Sendable, Hashable {
    public var error: VCardError
    /// The logical line (unfolded), to write back unchanged.
    public var raw: String

    public init(error: VCardError, raw: String) {
        self.error = error
        self.raw = raw
    }
}

/// How large a card may be. Real cards are a few KB, a few MB with a photo; past these a card is
/// refused on its own (the other cards of the file or answer are read), so a huge or hostile card
/// cannot take the memory and time of the whole sync.
public enum VCardLimits {
    /// One logical (unfolded) line: a photo of about 7 MB, base64-encoded.
    public static let maxLineBytes = 10 * 1024 * 1024
    /// One card, BEGIN to END.
    public static let maxCardBytes = 16 * 1024 * 1024
    /// Lines of one card: thousands of emails or phones are no person.
    public static let maxCardLines = 10_000

    static func check(_ l: LogicalLine, cardBytes: Int, cardLines: Int) -> VCardError? {
        if l.bytes.count > maxLineBytes {
            return VCardError("line \(l.line) is longer than \(maxLineBytes / 1024 / 1024) MB: the card is not read", line: l.line)
        }
        if cardBytes > maxCardBytes {
            return VCardError("the card is larger than \(maxCardBytes / 1024 / 1024) MB: it is not read", line: l.line)
        }
        if cardLines > maxCardLines {
            return VCardError("the card has more than \(maxCardLines) lines: it is not read", line: l.line)
        }
        return nil
    }
}
