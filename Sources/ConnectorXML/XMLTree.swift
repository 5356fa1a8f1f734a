import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A qualified XML name: namespace URI and local name.
public struct QName: Hashable, Sendable, CustomStringConvertible {
    public let ns: String
    public let name: String
    public init(_ ns: String, _ name: String) {
        self.ns = ns
        self.name = name
    }
    public var description: String { "{\(ns)}\(name)" }
}

/// A small element tree. Protocol answers (WebDAV multistatus, SOAP envelopes) are small enough
/// to hold whole, and a tree keeps their reading plain.
public struct XMLTree: Sendable {
    public var name: QName
    public var text = ""
    public var attributes: [String: String] = [:]
    public var children: [XMLTree] = []

    public init(name: QName, text: String = "", attributes: [String: String] = [:], children: [XMLTree] = []) {
        self.name = name
        self.text = text
        self.attributes = attributes
        self.children = children
    }

    public func child(_ n: QName) -> XMLTree? { children.first { $0.name == n } }
    public func all(_ n: QName) -> [XMLTree] { children.filter { $0.name == n } }
    public var trimmed: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
    /// The trimmed text of a child, nil when absent or empty.
    public func value(_ n: QName) -> String? { child(n).map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 } }
    /// The first element of this name anywhere below, depth first.
    public func first(_ n: QName) -> XMLTree? {
        for c in children {
            if c.name == n { return c }
            if let found = c.first(n) { return found }
        }
        return nil
    }

    /// The root element, or the reason in plain words when the bytes are not well-formed XML or
    /// break a limit. The limits keep a hostile answer from exhausting memory or the stack (a tree
    /// nested 60,000 deep overflows it when freed).
    public static func parse(_ data: Data, limits: XMLLimits = .init()) throws(XMLParseError) -> XMLTree {
        try XMLReading.parse(data, limits: limits)
    }

    /// Text and attribute values from outside (tokens, names, user data) go through here.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // Control characters are not allowed in XML 1.0 at all, not even escaped.
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            case _ where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: continue
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

public struct XMLParseError: Error, Sendable, CustomStringConvertible {
    /// Plain words, for an admin: what is wrong and where.
    public var reason: String
    public var description: String { reason }
}
