import Foundation

/// JSON answers are decoded within limits: a size, and a nesting depth checked by a flat scan
/// before any recursive decoding starts (Foundation's own limit, 512, is deeper than any API
/// answer needs and is not part of its contract).
public enum BoundedJSON {
    public static let maxDepth = 100
    public static let maxBytes = 64 * 1024 * 1024

    /// Why `data` may not be decoded, in plain words; nil when it is within the limits.
    public static func violation(_ data: Data, maxDepth: Int = maxDepth, maxBytes: Int = maxBytes) -> String? {
        if data.count > maxBytes {
            return "the answer is \(data.count / 1024 / 1024) MB of JSON, more than the \(maxBytes / 1024 / 1024) MB allowed"
        }
        var depth = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > maxDepth { return "the JSON is nested deeper than \(maxDepth) levels" }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return nil
    }

    /// Decodes `type`, or says in plain words why not: which field was missing or of the wrong kind,
    /// never the decoder's internal text.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(BoundedJSONError) -> T {
        if let reason = violation(data) { throw BoundedJSONError(reason: reason) }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw BoundedJSONError(reason: plainWords(error))
        } catch {
            throw BoundedJSONError(reason: "the answer is not JSON")
        }
    }

    static func plainWords(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            let p = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : " at \(p.hasPrefix(".") ? String(p.dropFirst()) : p)"
        }
        switch error {
        case .dataCorrupted(let c) where c.codingPath.isEmpty: return "the answer is not JSON"
        case .dataCorrupted(let c): return "an unreadable value\(at(c.codingPath))"
        case .keyNotFound(let key, let c): return "the field \(key.stringValue) is missing\(at(c.codingPath))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "a value of the wrong kind\(at(c.codingPath))"
        @unknown default: return "the answer is not the JSON expected"
        }
    }
}

public struct BoundedJSONError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
