import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A tiny, immutable XML element tree: enough to read SOAP and POX requests.
/// Names are local names; `ns` is the resolved namespace URI.
public struct XNode: Sendable, Equatable {
    public var name: String
    public var ns: String
    public var attributes: [String: String]
    public var children: [XNode]
    public var text: String

    public init(name: String, ns: String = "", attributes: [String: String] = [:], children: [XNode] = [], text: String = "") {
        self.name = name
        self.ns = ns
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// First child with this local name.
    public func child(_ name: String) -> XNode? { children.first { $0.name == name } }
    /// All children with this local name.
    public func all(_ name: String) -> [XNode] { children.filter { $0.name == name } }
    /// Walks down a path of local names.
    public func path(_ names: String...) -> XNode? {
        var node: XNode? = self
        for name in names { node = node?.child(name) }
        return node
    }
    /// Attribute by local name (prefixes are dropped while parsing).
    public func attr(_ name: String) -> String? { attributes[name] }
    /// Trimmed text of a child, nil when absent.
    public func childText(_ name: String) -> String? { child(name)?.text }
    /// xs:boolean: "true" or "1".
    public static func isTrue(_ text: String?) -> Bool {
        let t = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        return t == "true" || t == "1"
    }

    /// First descendant (depth-first) with this local name.
    public func descendant(_ name: String) -> XNode? {
        for c in children {
            if c.name == name { return c }
            if let d = c.descendant(name) { return d }
        }
        return nil
    }
}

public enum XMLTreeError: Error, CustomStringConvertible {
    case malformed(String)
    public var description: String {
        switch self { case .malformed(let m): return "malformed XML: \(m)" }
    }
}

public enum XMLTree {
    /// Requests are shallow (SOAP about 15 levels); the limits also bound the recursion of
    /// reading and freeing a tree, so no request can overflow the emulator's stack.
    public static let maxDepth = 200
    public static let maxElements = 1_000_000
    public static let maxBytes = 64 * 1024 * 1024

    /// Parses a document into its root element. External entities are never resolved.
    public static func parse(_ data: Data) throws -> XNode {
        guard data.count <= maxBytes else { throw XMLTreeError.malformed("more than \(maxBytes) bytes") }
        // FoundationXML traps on names that are not valid UTF-8; requests here are UTF-8 (SOAP).
        guard data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF])
            || String(validating: data, as: UTF8.self) != nil
        else { throw XMLTreeError.malformed("not valid UTF-8") }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let builder = TreeBuilder()
        parser.delegate = builder
        let ok = parser.parse()
        if let broken = builder.broken { throw XMLTreeError.malformed(broken) }
        guard ok, let root = builder.root else {
            throw XMLTreeError.malformed(parser.parserError.map { "\($0)" } ?? "no root element")
        }
        return root
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XNode] = []
    var root: XNode?
    var elements = 0
    var broken: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements += 1
        guard broken == nil else { return }
        if stack.count >= XMLTree.maxDepth || elements > XMLTree.maxElements {
            broken = stack.count >= XMLTree.maxDepth ? "nested deeper than \(XMLTree.maxDepth) levels" : "too many elements"
            parser.abortParsing()
            stack.removeAll()
            return
        }
        var attrs: [String: String] = [:]
        for (key, value) in attributeDict {
            let local = key.split(separator: ":").last.map(String.init) ?? key
            if key.hasPrefix("xmlns") { continue }
            attrs[local] = value
        }
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(XNode(name: local, ns: namespaceURI ?? "", attributes: attrs))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard broken == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard broken == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard broken == nil, var node = stack.popLast() else { return }
        // Mixed content is not used by SOAP; keep text only for leaf elements.
        if !node.children.isEmpty, node.text.allSatisfy(\.isWhitespace) { node.text = "" }
        if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
    }
}
