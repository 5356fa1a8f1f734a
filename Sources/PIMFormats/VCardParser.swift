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
            throw VCardError("expected one vCard, found \(results.count); use parseAll")
        }
        return try first.get()
    }

    private static func parseAll(bytes: [UInt8]) -> [Result<VCard, VCardError>] {
        var results: [Result<VCard, VCardError>] = []
        var card: [LogicalLine]? = nil
        var cardStart = 0
        var inGarbage = false
        for l in Lexer.logicalLines(bytes) {
            let text = String(decoding: l.bytes, as: UTF8.self)
            guard !text.allSatisfy(\.isWhitespace) else { continue }
            switch marker(text) {
            case .begin?:
                if card != nil {
                    results.append(.failure(unterminated(cardStart)))
                }
                card = []
                cardStart = l.line
                inGarbage = false
            case .end?:
                if let lines = card {
                    results.append(Result { () throws(VCardError) in try read(lines) })
                    card = nil
                } else if !inGarbage {
                    results.append(.failure(VCardError("END:VCARD without BEGIN:VCARD", line: l.line)))
                    inGarbage = true
                }
            case nil:
                if card != nil {
                    card?.append(l)
                } else if !inGarbage {
                    results.append(.failure(VCardError("expected BEGIN:VCARD", line: l.line)))
                    inGarbage = true
                }
            }
        }
        if card != nil { results.append(.failure(unterminated(cardStart))) }
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

    private static func read(_ lines: [LogicalLine]) throws(VCardError) -> VCard {
        var content: [ContentLine] = []
        content.reserveCapacity(lines.count)
        for l in lines {
            let c = try Lexer.contentLine(l)
            if c.name == "BEGIN" || c.name == "END" {
                throw VCardError("unexpected \(c.name):\(c.value) inside a vCard", line: l.line)
            }
            content.append(c)
        }
        return try CardReader.read(content)
    }
}
