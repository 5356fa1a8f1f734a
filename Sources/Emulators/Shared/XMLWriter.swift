/// Builds XML text. Every text and attribute value goes through `XMLWriter.escape`.
public struct XMLWriter: Sendable {
    public private(set) var output: String = ""

    public init(declaration: Bool = false) {
        if declaration { output = "<?xml version=\"1.0\" encoding=\"utf-8\"?>" }
    }

    /// Escapes markup characters and drops characters XML 1.0 cannot carry.
    public static func escape(_ text: String, attribute: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&apos;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                let allowed = (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
                if allowed { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    private mutating func startTag(_ name: String, _ attrs: [(String, String?)]) {
        output += "<" + name
        for (key, value) in attrs {
            guard let value else { continue }
            output += " " + key + "=\"" + XMLWriter.escape(value, attribute: true) + "\""
        }
    }

    /// `<name attrs>` … body … `</name>`.
    public mutating func element(_ name: String, _ attrs: [(String, String?)] = [], _ body: (inout XMLWriter) -> Void) {
        startTag(name, attrs)
        output += ">"
        body(&self)
        output += "</" + name + ">"
    }

    /// `<name attrs>text</name>`; nothing when `text` is nil.
    public mutating func leaf(_ name: String, _ text: String?, _ attrs: [(String, String?)] = []) {
        guard let text else { return }
        startTag(name, attrs)
        output += ">" + XMLWriter.escape(text) + "</" + name + ">"
    }

    /// `<name attrs/>`.
    public mutating func empty(_ name: String, _ attrs: [(String, String?)] = []) {
        startTag(name, attrs)
        output += "/>"
    }

    /// Appends already well-formed XML.
    public mutating func raw(_ xml: String) { output += xml }
}
