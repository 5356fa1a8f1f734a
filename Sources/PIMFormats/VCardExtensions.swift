import SyncModel

/// Properties the hub has no field for travel between vCard sources as content lines in
/// `Contact.extensions`; those that belong to one server or to the hub itself stay put.
enum VCardExtensions {
    private static let staying: Set<String> = ["PRODID", "VERSION", "REV", "UID", "CLIENTPIDMAP"]
    private static let stayingPrefixes = ["X-HUBSYNC-", "X-ADDRESSBOOKSERVER-", "X-RADICALE-"]

    static func travels(_ p: VCardProperty) -> Bool {
        !staying.contains(p.name) && !stayingPrefixes.contains { p.name.hasPrefix($0) }
    }

    /// The travelling properties of a card: those the mapping does not know, and other apps'
    /// bare `X-` properties (which the card also offers as custom fields to map).
    static func lines(_ card: VCard) -> [String] {
        var out = card.unknown.filter(travels).map(line)
        for (key, value) in card.contact.custom.sorted(by: { $0.key < $1.key })
        where !value.isEmpty && VCardWriter.isBareCustomName(key)
            && !stayingPrefixes.contains(where: { key.uppercased().hasPrefix($0) })
        {
            out.append(key + ":" + TextCoding.escape(value))
        }
        return out
    }

    /// Content lines back as properties; a line that does not parse is left out.
    static func properties(_ lines: [String]) -> [VCardProperty] {
        lines.compactMap { l in
            guard let p = try? Lexer.contentLine(LogicalLine(bytes: Array(l.utf8), line: 1)).property, travels(p) else {
                return nil
            }
            return p
        }
    }

    static func line(_ p: VCardProperty) -> String {
        var s = p.group.map { $0 + "." } ?? ""
        s += p.name
        for param in p.params {
            s += ";" + param.name + "=" + param.values.map(TextCoding.paramValue).joined(separator: ",")
        }
        return s + ":" + TextCoding.escapeLineBreaks(p.value)
    }
}

extension VCard {
    /// The card's properties with the hub's `extensions`: a travelling property the hub names is
    /// replaced by the hub's lines of that name; the card's others stay (the hub may never have
    /// seen them). A name the card writes as a custom field, or one the hub maps (`customNames`,
    /// cleared ones too), is left to that field.
    func withExtensions(_ lines: [String], customNames: some Sequence<String> = []) -> VCard {
        var card = self
        let custom = Set((Array(contact.custom.keys) + Array(customNames)).map { $0.uppercased() })
        let incoming = VCardExtensions.properties(lines).filter { !custom.contains($0.name) }
        let names = Set(incoming.map(\.name))
        card.unknown = unknown.filter { !(VCardExtensions.travels($0) && names.contains($0.name)) }
        for p in incoming where !card.unknown.contains(p) { card.unknown.append(p) }
        return card
    }
}
