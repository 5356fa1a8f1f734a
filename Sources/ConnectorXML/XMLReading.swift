import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What one answer may hold. Protocol answers are shallow (SOAP about 15 levels, WebDAV 8);
/// the depth limit also bounds the recursion of reading and freeing a tree.
public struct XMLLimits: Sendable {
    public var maxDepth: Int
    public var maxElements: Int
    public var maxBytes: Int

    public init(maxDepth: Int = 200, maxElements: Int = 1_000_000, maxBytes: Int = 128 * 1024 * 1024) {
        self.maxDepth = maxDepth
        self.maxElements = maxElements
        self.maxBytes = maxBytes
    }
}

enum XMLReading {
    static func parse(_ data: Data, limits: XMLLimits) throws(XMLParseError) -> XMLTree {
        guard data.count <= limits.maxBytes else {
            throw XMLParseError(reason: "the answer is \(data.count / 1024 / 1024) MB of XML, more than the \(limits.maxBytes / 1024 / 1024) MB allowed")
        }
        // FoundationXML traps on a name that is not valid UTF-8 (libxml2 hands it over as is):
        // one bad byte from a server would end the process. Other declared encodings are
        // converted by libxml2 before they reach Foundation.
        if !declaresOtherEncoding(data), String(validating: data, as: UTF8.self) == nil {
            throw XMLParseError(reason: "the answer is not valid UTF-8 text")
        }
        let builder = TreeBuilder(limits: limits)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let ok = parser.parse()
        if let broken = builder.broken { throw XMLParseError(reason: broken) }
        guard ok, let root = builder.root else {
            throw XMLParseError(reason: plainWords(data, builder, line: parser.lineNumber, column: parser.columnNumber))
        }
        return root
    }

    /// A UTF-16 byte order mark, or an XML declaration naming an encoding other than UTF-8.
    static func declaresOtherEncoding(_ data: Data) -> Bool {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) { return true }
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>"),
            let enc = head[..<end.lowerBound].range(of: "encoding=")
        else { return false }
        let value = head[enc.upperBound...].dropFirst().prefix { $0 != "\"" && $0 != "'" }.lowercased()
        return value != "utf-8" && value != "utf8"
    }

    /// What went wrong, from what the parse saw (Foundation's own text is "NSXMLParserErrorDomain
    /// error 5", and on Linux its codes say little more).
    fileprivate static func plainWords(_ data: Data, _ builder: TreeBuilder, line: Int, column: Int) -> String {
        let at = "(line \(line), column \(column))"
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return "the answer is empty" }
        if builder.elements == 0 { return "the answer is not XML \(at)" }
        if !builder.stack.isEmpty { return "the XML is cut short, or an element is not closed where it should be \(at)" }
        return "the answer is not well-formed XML \(at)"
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    let limits: XMLLimits
    var stack: [XMLTree] = []
    var root: XMLTree?
    var elements = 0
    /// Set when a limit stopped the parse; the tree is then dropped.
    var broken: String?

    init(limits: XMLLimits) { self.limits = limits }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements += 1
        if stack.count >= limits.maxDepth {
            return stop(parser, "the XML is nested deeper than \(limits.maxDepth) levels (line \(parser.lineNumber))")
        }
        if elements > limits.maxElements {
            return stop(parser, "the XML holds more than \(limits.maxElements) elements")
        }
        if root != nil {
            return stop(parser, "the answer holds more than one root element")
        }
        stack.append(XMLTree(name: QName(namespaceURI ?? "", name), attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard broken == nil, let node = stack.popLast() else { return }
        if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if broken == nil, !stack.isEmpty { stack[stack.count - 1].text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        if broken == nil, !stack.isEmpty { stack[stack.count - 1].text += String(decoding: block, as: UTF8.self) }
    }

    private func stop(_ parser: XMLParser, _ reason: String) {
        guard broken == nil else { return }
        broken = reason
        parser.abortParsing()
        // The open elements are siblings in an array, not nested: freeing them is flat.
        stack.removeAll()
    }
}
