import Foundation
import SyncModel

public enum VCardWriter {
    /// Cards written since entries have a preferred flag: PREF means "preferred" on them.
    public static let productID = "-//HubSync//Contacts 2//EN"
    /// Cards written before, whose PREF on the first of several entries only kept their order.
    static let legacyProductID = "-//HubSync//EN"

    /// Writes the card in its own version.
    public static func write(_ card: VCard) -> String { write(card, version: card.version) }

    /// CRLF line endings, lines folded at 75 octets, UTF-8.
    public static func write(_ card: VCard, version: VCardVersion) -> String {
        let c = card.contact
        let esc = TextCoding.escape
        var w = LineSink(taken: Set(card.unknown.compactMap { $0.group?.uppercased() }))
        w.add("BEGIN", value: "VCARD")
        w.add("VERSION", value: version.rawValue)
        w.add("PRODID", value: productID)
        if let uid = card.uid?.nonEmpty { w.add("UID", value: oneLine(uid)) }
        if let rev = card.revision?.nonEmpty { w.add("REV", value: oneLine(rev)) }
        if let marker = card.marker?.nonEmpty { w.add("X-HUBSYNC-MARKER", value: oneLine(marker)) }
        w.add("FN", value: esc(c.vCardFormattedName))
        let n = [c.familyName, c.givenName, c.middleName, c.namePrefix, c.nameSuffix].map { esc($0 ?? "") }
        if version == .v3 || n.contains(where: { !$0.isEmpty }) { w.add("N", value: n.joined(separator: ";")) }
        if let v = c.nickname?.nonEmpty { w.add("NICKNAME", value: esc(v)) }
        if c.organization?.nonEmpty != nil || c.department?.nonEmpty != nil {
            let dept = c.department?.nonEmpty.map { ";" + esc($0) } ?? ""
            w.add("ORG", value: esc(c.organization ?? "") + dept)
        }
        if let v = c.title?.nonEmpty { w.add("TITLE", value: esc(v)) }
        if let d = c.birthday, d.isValid { w.add("BDAY", value: Dates.format(d, version: version)) }
        if let d = c.anniversary, d.isValid {
            w.add(version == .v4 ? "ANNIVERSARY" : "X-ANNIVERSARY", value: Dates.format(d, version: version))
        }
        if let v = c.notes?.nonEmpty { w.add("NOTE", value: esc(v)) }
        labeled(&w, "EMAIL", c.emails, version, esc)
        labeled(&w, "TEL", c.phones, version, esc)
        for a in c.addresses {
            w.add("ADR", params: params(a.label, pref: a.preferred, version), value: a.components.map(esc).joined(separator: ";"),
                  customLabel: a.customLabel)
        }
        labeled(&w, "URL", c.websites, version, oneLine)
        labeled(&w, "IMPP", c.ims.map(Labels.impp), version, oneLine)
        let categories = c.categories.filter { !$0.isEmpty }
        if !categories.isEmpty { w.add("CATEGORIES", value: categories.map(esc).joined(separator: ",")) }
        if let p = c.photo, !p.data.isEmpty { photo(&w, p, version) }
        for (key, value) in c.custom.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
            if isBareCustomName(key) {
                w.add(key, value: esc(value))
            } else {
                w.add("X-HUBSYNC-FIELD", params: [("X-NAME", [key])], value: esc(value))
            }
        }
        for p in card.unknown where !["BEGIN", "END", "VERSION", "PRODID"].contains(p.name.uppercased()) {
            w.add(p.name.uppercased(), group: p.group, params: p.params.map { ($0.name, $0.values) },
                  value: TextCoding.escapeLineBreaks(p.value))
        }
        for raw in card.skipped { w.out += Array(raw.utf8) + [0x0D, 0x0A] }
        w.add("END", value: "VCARD")
        return String(decoding: w.out, as: UTF8.self)
    }

    private static func labeled(
        _ w: inout LineSink, _ name: String, _ values: [LabeledValue], _ version: VCardVersion,
        _ encode: (String) -> String
    ) {
        for v in values where !v.value.isEmpty {
            var p = params(v.label, pref: v.preferred, version)
            if let s = v.service { p.append(("X-SERVICE-TYPE", [Labels.serviceType(s)])) }
            w.add(name, params: p, value: encode(v.value), customLabel: v.customLabel)
        }
    }

    /// TYPE for the label, and PREF for a preferred entry (readers put it first).
    private static func params(_ label: ContactLabel, pref: Bool, _ version: VCardVersion) -> [(String, [String])] {
        var types = Labels.types(for: label, version: version)
        var out: [(String, [String])] = []
        if pref, version == .v3 { types.append("PREF") }
        if !types.isEmpty { out.append(("TYPE", types)) }
        if pref, version == .v4 { out.append(("PREF", ["1"])) }
        return out
    }

    private static func photo(_ w: inout LineSink, _ p: Photo, _ version: VCardVersion) {
        let b64 = p.data.base64EncodedString()
        let media = p.mediaType.lowercased()
        switch version {
        case .v3:
            let type = media.hasPrefix("image/") ? String(media.dropFirst(6)).uppercased() : media
            w.add("PHOTO", params: [("ENCODING", ["b"]), ("TYPE", [type])], value: b64)
        case .v4:
            w.add("PHOTO", value: "data:\(media);base64,\(b64)")
        }
    }

    /// A custom key that can be its own property: `X-` plus name characters, and not a name the
    /// reader would interpret as something else.
    static func isBareCustomName(_ key: String) -> Bool {
        let upper = key.uppercased()
        guard upper.hasPrefix("X-"), upper.count > 2, !VCardNames.reserved.contains(upper) else { return false }
        return key.utf8.allSatisfy { c in
            (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x2D
        }
    }

    /// For values that are not escaped text (URIs, UID, REV): line breaks cannot be kept.
    private static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

/// Collects content lines as UTF-8, folded.
struct LineSink {
    var out: [UInt8] = []
    /// Groups in use (kept properties'), so an Apple label group is never one of them.
    var taken: Set<String>
    private var nextGroup = 1

    init(taken: Set<String> = []) { self.taken = taken }

    /// A property with a custom label: in an `itemN` group with the label as its `X-ABLabel`,
    /// the form Apple and most CardDAV clients read.
    mutating func add(_ name: String, params: [(String, [String])], value: String, customLabel: String?) {
        guard let customLabel else { return add(name, params: params, value: value) }
        var group = "item\(nextGroup)"
        while taken.contains(group.uppercased()) { nextGroup += 1; group = "item\(nextGroup)" }
        taken.insert(group.uppercased())
        add(name, group: group, params: params, value: value)
        add("X-ABLabel", group: group, value: TextCoding.escape(customLabel))
    }

    mutating func add(_ name: String, group: String? = nil, params: [(String, [String])] = [], value: String) {
        var line = group.map { $0 + "." } ?? ""
        line += name
        for (n, values) in params {
            line += ";" + n + "=" + values.map(TextCoding.paramValue).joined(separator: ",")
        }
        line += ":" + value
        fold(line)
    }

    /// Folds at 75 octets (the leading space of a continuation counts), never inside a scalar.
    private mutating func fold(_ line: String) {
        var count = 0
        for u in line.unicodeScalars {
            let width = UTF8.width(u)
            if count + width > 75 {
                out += [0x0D, 0x0A, 0x20]
                count = 1
            }
            UTF8.encode(u) { out.append($0) }
            count += width
        }
        out += [0x0D, 0x0A]
    }
}
