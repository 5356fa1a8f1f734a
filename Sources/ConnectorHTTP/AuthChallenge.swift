/// One challenge of a WWW-Authenticate header (RFC 9110 §11.6.1): a scheme and its parameters.
struct AuthChallenge: Sendable, Hashable {
    /// Lower-cased: "basic", "digest", "bearer", "ntlm"…
    var scheme: String
    /// Parameter names lower-cased, values unquoted.
    var parameters: [String: String]
    /// The token68 form instead of parameters (`NTLM TlRMTVNTUAAC…`), as sent.
    var token68: String? = nil

    /// All challenges of all the given header values. Several challenges may share one header
    /// (`Digest realm="a", nonce="b", Basic realm="a"`), so commas alone do not split them.
    static func parse(_ values: [String]) -> [AuthChallenge] {
        var result: [AuthChallenge] = []
        for value in values {
            var scanner = Scanner(Array(value.utf8))
            while let scheme = scanner.token() {
                var challenge = AuthChallenge(scheme: scheme.lowercased(), parameters: [:])
                if let token = scanner.token68() {
                    challenge.token68 = token
                    result.append(challenge)
                    continue
                }
                // Parameters go on until a token not followed by "=" starts the next challenge.
                while true {
                    let mark = scanner.index
                    scanner.skip { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                    guard let name = scanner.token() else { break }
                    scanner.skipSpaces()
                    guard scanner.consume(UInt8(ascii: "=")) else {
                        scanner.index = mark
                        break
                    }
                    scanner.skipSpaces()
                    if let value = scanner.quoted() ?? scanner.token() {
                        challenge.parameters[name.lowercased()] = value
                    } else {
                        scanner.skip { $0 == UInt8(ascii: "=") }  // token68 padding: not a parameter
                    }
                }
                result.append(challenge)
            }
        }
        return result
    }
}

private struct Scanner {
    let bytes: [UInt8]
    var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skip(while predicate: (UInt8) -> Bool) {
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
    }
    mutating func skipSpaces() { skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// RFC 9110 tchar run (token68 characters "/" and "+" too, so a bare token68 is skipped whole).
    mutating func token() -> String? {
        skip { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let start = index
        skip { byte in
            let c = Character(UnicodeScalar(byte))
            return c.isLetter || c.isNumber || "!#$%&'*+-.^_`|~/".contains(c)
        }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    /// A token68 (RFC 9110 §11.2) that stands alone: followed by the end or a comma, so that
    /// `realm="x"` (a parameter) is not taken for one. Nothing is consumed otherwise.
    mutating func token68() -> String? {
        let mark = index
        skipSpaces()
        let start = index
        skip { byte in
            let c = Character(UnicodeScalar(byte))
            return (c.isASCII && (c.isLetter || c.isNumber)) || "-._~+/".contains(c)
        }
        let body = index
        skip { $0 == UInt8(ascii: "=") }
        let end = index
        skipSpaces()
        guard body > start, index == bytes.count || bytes[index] == UInt8(ascii: ",") else {
            index = mark
            return nil
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    mutating func quoted() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\"), index < bytes.count {
                out.append(bytes[index])
                index += 1
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
