import Foundation
import SyncModel

/// Maps the content lines of one card onto a `VCard`.
struct CardReader {
    private struct Ranked<T> {
        var value: T
        var rank: Int
        var order: Int
    }

    private var card = VCard()
    private var fn: String?
    private var taken = Set<String>()
    private var emails: [Ranked<LabeledValue>] = [], phones: [Ranked<LabeledValue>] = []
    private var websites: [Ranked<LabeledValue>] = [], ims: [Ranked<LabeledValue>] = []
    private var addresses: [Ranked<PostalAddress>] = []
    private var unknown: [(order: Int, property: VCardProperty)] = []
    /// Apple item groups: `item1.X-ABLabel` labels the other `item1.` properties.
    private var appleLabels: [String: ContentLine] = [:]
    private var consumedGroups = Set<String>(), unknownGroups = Set<String>()
    /// Written by HubSync before entries had a preferred flag: its PREF only kept their order.
    private var prefIsOrderOnly = false

    static func read(_ lines: [ContentLine]) throws(VCardError) -> VCard {
        var r = CardReader()
        if let v = lines.first(where: { $0.name == "VERSION" }) {
            switch v.value.trimmingWhitespace() {
            case "2.1", "3.0": r.card.version = .v3
            case "4.0": r.card.version = .v4
            default: throw VCardError("unsupported VERSION \(v.value)", line: v.line)
            }
        }
        r.prefIsOrderOnly = lines.contains { $0.name == "PRODID" && $0.value.trimmingWhitespace() == VCardWriter.legacyProductID }
        for l in lines where l.name == "X-ABLABEL" {
            if let g = l.group?.uppercased(), r.appleLabels[g] == nil { r.appleLabels[g] = l }
        }
        for (i, l) in lines.enumerated() { try r.take(l, order: i) }
        for (i, l) in lines.enumerated() where l.name == "X-ABLABEL" {
            guard let g = l.group?.uppercased() else { continue }
            // Kept when its group's property went unknown too, or when nothing used it.
            if r.unknownGroups.contains(g) || !r.consumedGroups.contains(g) { r.unknown.append((i, l.property)) }
        }
        return r.finish()
    }

    private mutating func take(_ l: ContentLine, order: Int) throws(VCardError) {
        let text = TextCoding.unescape(l.value)
        let mapped: Bool
        switch l.name {
        case "VERSION", "PRODID": return
        case "X-ABLABEL" where l.group != nil: return
        case "FN": mapped = single(l) { $0.fn = text }
        case "N":
            mapped = single(l) { r in
                let p = Self.components(l.value, count: 5)
                (r.card.contact.familyName, r.card.contact.givenName, r.card.contact.middleName) = (p[0], p[1], p[2])
                (r.card.contact.namePrefix, r.card.contact.nameSuffix) = (p[3], p[4])
            }
        case "NICKNAME": mapped = single(l) { $0.card.contact.nickname = text.nonEmpty }
        case "TITLE": mapped = single(l) { $0.card.contact.title = text.nonEmpty }
        case "NOTE": mapped = single(l) { $0.card.contact.notes = text.nonEmpty }
        case "ORG":
            mapped = single(l) { r in
                let units = TextCoding.split(l.value, on: ";").map { TextCoding.unescape($0) }
                r.card.contact.organization = units.first?.nonEmpty
                // The contact has two levels; deeper units are folded into the department.
                r.card.contact.department = units.dropFirst().filter { !$0.isEmpty }.joined(separator: ", ").nonEmpty
            }
        case "UID": mapped = single(l) { $0.card.uid = l.value.trimmingWhitespace().nonEmpty }
        case "REV": mapped = single(l) { $0.card.revision = l.value.trimmingWhitespace().nonEmpty }
        case "X-HUBSYNC-MARKER": mapped = single(l) { $0.card.marker = l.value.trimmingWhitespace().nonEmpty }
        case "BDAY": mapped = date(l, key: "BDAY", \.birthday)
        case "ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY":
            mapped = date(l, key: "ANNIVERSARY", \.anniversary)
        case "X-ABDATE" where appleLabel(l)?.value.lowercased().contains("anniversary") == true:
            mapped = date(l, key: "ANNIVERSARY", \.anniversary)
        case "EMAIL":
            emails += ranked(text, l, order)
            mapped = true
        case "TEL":
            phones += ranked(text.lowercased().hasPrefix("tel:") ? String(text.dropFirst(4)) : text, l, order)
            mapped = true
        case "URL":
            websites += ranked(TextCoding.unescape(l.value, uriOnly: true), l, order)
            mapped = true
        case "IMPP":
            ims += ranked(TextCoding.unescape(l.value, uriOnly: true), l, order).map { r in
                var r = r
                // A service the URI's scheme names already is not a service of its own.
                let service = IMService.canonical(l.values(of: "X-SERVICE-TYPE").first)
                r.value.service = service == IMService.implied(by: r.value.value) ? nil : service
                return r
            }
            mapped = true
        case let n where VCardNames.imSchemes[n] != nil:
            let handle = "\(VCardNames.imSchemes[n] ?? ""):\(text.trimmingWhitespace())"
            if !ims.contains(where: { $0.value.value.lowercased() == handle.lowercased() }) {
                ims += ranked(handle, l, order)
            }
            mapped = true
        case "ADR":
            let p = Self.components(l.value, count: 7).map { $0 ?? "" }
            let (label, custom) = labels(l)
            let a = PostalAddress(
                label: label, poBox: p[0], extended: p[1], street: p[2], city: p[3], region: p[4],
                postalCode: p[5], country: p[6], customLabel: custom)
            if !a.isEmpty { addresses.append(Ranked(value: a, rank: Labels.preference(l), order: order)) }
            mapped = true
        case "CATEGORIES":
            let items = TextCoding.split(l.value, on: ",").map { TextCoding.unescape($0).trimmingWhitespace() }
            card.contact.categories += items.filter { !$0.isEmpty }
            mapped = true
        case "PHOTO": mapped = try photo(l)
        case "X-HUBSYNC-FIELD":
            if let key = l.values(of: "X-NAME").first?.nonEmpty, card.contact.custom[key] == nil {
                card.contact.custom[key] = text
                mapped = true
            } else {
                mapped = false
            }
        case let n where n.hasPrefix("X-") && l.group == nil && l.params.isEmpty
            && card.contact.custom[l.rawName] == nil:
            card.contact.custom[l.rawName] = text
            mapped = true
        default: mapped = false
        }
        if let g = l.group?.uppercased() {
            if mapped { consumedGroups.insert(g) } else { unknownGroups.insert(g) }
        }
        if !mapped { unknown.append((order, l.property)) }
    }

    /// Single-valued properties: the first occurrence maps, a repeat is kept as unknown.
    private mutating func single(_ l: ContentLine, key: String? = nil, _ apply: (inout CardReader) -> Void) -> Bool {
        guard taken.insert(key ?? l.name).inserted else { return false }
        apply(&self)
        return true
    }

    /// A list entry; empty values are dropped (and count as mapped).
    private func ranked(_ value: String, _ l: ContentLine, _ order: Int) -> [Ranked<LabeledValue>] {
        let v = value.trimmingWhitespace()
        guard !v.isEmpty else { return [] }
        let (label, custom) = labels(l)
        return [Ranked(value: LabeledValue(v, label: label, customLabel: custom), rank: Labels.preference(l), order: order)]
    }

    private func appleLabel(_ l: ContentLine) -> ContentLine? {
        l.group.flatMap { appleLabels[$0.uppercased()] }
    }

    /// The label and custom label text: an Apple label first, then TYPE (`x-` text as custom).
    private func labels(_ l: ContentLine) -> (ContactLabel, String?) {
        let apple = appleLabel(l).map { Labels.label(apple: TextCoding.unescape($0.value)) }
        let raw = l.values(of: "TYPE").flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace() }
        let custom = apple.map(\.custom) ?? Labels.customLabel(rawTypes: raw)
        return (apple?.label ?? Labels.label(types: l.types) ?? .other, custom)
    }

    /// Unescaped components of a structured value, padded to `count`; empty ones are nil.
    private static func components(_ value: String, count: Int) -> [String?] {
        var p = TextCoding.split(value, on: ";").map { TextCoding.unescape($0).nonEmpty }
        if p.count < count { p += Array(repeating: nil, count: count - p.count) }
        return p
    }

    /// A date; one that does not parse stays unknown. Apple marks an unknown year with
    /// `X-APPLE-OMIT-YEAR=<the placeholder year>`.
    private mutating func date(_ l: ContentLine, key: String, _ field: WritableKeyPath<Contact, PartialDate?>) -> Bool {
        guard var d = Dates.parse(l.value) else { return false }
        if let omit = l.values(of: "X-APPLE-OMIT-YEAR").first.flatMap({ Int($0) }), omit == d.year { d.year = nil }
        return single(l, key: key) { $0.card.contact[keyPath: field] = d }
    }

    private mutating func photo(_ l: ContentLine) throws(VCardError) -> Bool {
        guard card.contact.photo == nil, !taken.contains("PHOTO") else { return false }
        let v = l.value.trimmingWhitespace()
        let invalid = VCardError("invalid base64 data in PHOTO", line: l.line)
        let encoding = l.values(of: "ENCODING").first?.lowercased()
        var type = l.values(of: "MEDIATYPE").first ?? l.types.first { $0 != "pref" }
        let payload: Substring
        if encoding == "b" || encoding == "base64" {
            payload = Substring(v)
        } else if v.lowercased().hasPrefix("data:") {
            // data:[<media type>][;base64],<data>
            guard let comma = v.firstIndex(of: ",") else {
                throw VCardError("malformed data: URI in PHOTO", line: l.line)
            }
            let meta = v[v.index(v.startIndex, offsetBy: 5)..<comma].split(separator: ";")
            guard meta.contains(where: { $0.lowercased() == "base64" }) else { return false }
            type = meta.first { $0.contains("/") }.map(String.init) ?? type
            payload = v[v.index(after: comma)...]
        } else {
            return false  // A URL: nothing to embed, kept verbatim.
        }
        taken.insert("PHOTO")
        guard !payload.isEmpty else { return true }
        guard let data = TextCoding.base64(String(payload)), !data.isEmpty else { throw invalid }
        card.contact.photo = Photo(data: data, mediaType: Self.mediaType(type, data))
        return true
    }

    private static func mediaType(_ type: String?, _ data: Data) -> String {
        if let t = type?.lowercased().trimmingWhitespace(), !t.isEmpty {
            if t.contains("/") { return t }
            return "image/" + (t == "jpg" ? "jpeg" : t)
        }
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if data.starts(with: Array("GIF8".utf8)) { return "image/gif" }
        return "image/jpeg"
    }

    private func finish() -> VCard {
        var card = self.card
        let orderOnly = prefIsOrderOnly
        func sorted<T>(_ r: [Ranked<T>], _ preferred: WritableKeyPath<T, Bool>) -> [T] {
            r.sorted { ($0.rank, $0.order) < ($1.rank, $1.order) }.map { e in
                var v = e.value
                v[keyPath: preferred] = e.rank <= 100 && !orderOnly
                return v
            }
        }
        card.contact.emails = sorted(emails, \.preferred)
        card.contact.phones = sorted(phones, \.preferred)
        card.contact.websites = sorted(websites, \.preferred)
        card.contact.ims = sorted(ims, \.preferred)
        card.contact.addresses = sorted(addresses, \.preferred)
        // FN is the display name as written, even when it repeats the name fields: dropping it
        // then made a card read back with no display name where the hub had one (`VCardFit`).
        if let fn, !fn.trimmingWhitespace().isEmpty { card.contact.displayName = fn }
        card.unknown = unknown.sorted { $0.order < $1.order }.map(\.property)
        return card
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension Contact {
    /// FN as written: the formatted name, else the nickname or first phone (FN is mandatory).
    var vCardFormattedName: String {
        let f = formattedName
        if !f.isEmpty { return f }
        return nickname?.nonEmpty ?? phones.first?.value ?? ""
    }
}

enum VCardNames {
    /// Pre-IMPP instant-messaging properties and the URI scheme each maps to.
    static let imSchemes: [String: String] = [
        "X-AIM": "aim", "X-JABBER": "xmpp", "X-SKYPE": "skype", "X-SKYPE-USERNAME": "skype", "X-ICQ": "icq",
        "X-MSN": "msnim", "X-YAHOO": "ymsgr", "X-GOOGLE-TALK": "gtalk", "X-GTALK": "gtalk", "X-QQ": "qq",
        "X-GADUGADU": "gg", "X-GROUPWISE": "groupwise",
    ]

    /// X- names the reader interprets, so a custom field by that name must not be written bare.
    static let reserved: Set<String> = Set(imSchemes.keys).union([
        "X-HUBSYNC-FIELD", "X-HUBSYNC-MARKER", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY",
    ])
}
