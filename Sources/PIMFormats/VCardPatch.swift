import SyncModel

/// An update that keeps the source's own bytes: every property whose field did not change stays
/// as the source wrote it (its TYPE spelling, folding, order, PRODID), and only the properties of
/// changed fields are written fresh, where the old ones stood. A note edited elsewhere rewrites
/// the NOTE line and nothing else (issue 12: writes touch only what changed).
public enum VCardPatch {
    /// `updated` written over `original`, the text `old` was read from. Falls back to a whole
    /// write when what lies outside the mapped fields changed too (UID, unknown properties,
    /// custom fields) or the text is not plain folded vCard (quoted-printable).
    public static func write(_ updated: VCard, over original: String, read old: VCard) -> String {
        let fresh = VCardWriter.write(updated)
        guard updated.version == old.version, updated.uid == old.uid, updated.marker == old.marker,
            updated.revision == old.revision, updated.unknown == old.unknown, updated.skipped == old.skipped,
            updated.contact.custom == old.contact.custom, !original.uppercased().contains("QUOTED-PRINTABLE")
        else { return fresh }
        // New lines end like the source's own (a file written with bare LF keeps them).
        let lf = !original.utf8.contains(0x0D)
        let was = lines(original), now = lines(lf ? fresh.replacingOccurrences(of: "\r\n", with: "\n") : fresh)
        guard was.first?.name == "BEGIN", was.last?.name == "END" else { return fresh }
        let changed = Set(Field.allCases.filter { $0.differs(old.contact, updated.contact) })
        let wasField = fields(was), nowField = fields(now)
        var out: [String] = [], written = Set<Field>()
        for (i, line) in was.enumerated() {
            guard let f = wasField[i], changed.contains(f) else {
                if i == was.count - 1 {
                    // Changed fields the card did not have yet go last.
                    for f in Field.allCases where changed.contains(f) && !written.contains(f) {
                        out += now.indices.filter { nowField[$0] == f }.map { now[$0].text }
                    }
                }
                out.append(line.text)
                continue
            }
            if written.insert(f).inserted { out += now.indices.filter { nowField[$0] == f }.map { now[$0].text } }
        }
        return out.joined()
    }

    /// The mapped fields, each with the properties that hold it.
    enum Field: CaseIterable {
        case fn, n, nickname, org, title, birthday, anniversary, note, email, tel, adr, url, im, categories, photo

        static func of(_ name: String) -> Field? {
            switch name {
            case "FN": .fn
            case "N": .n
            case "NICKNAME": .nickname
            case "ORG": .org
            case "TITLE": .title
            case "BDAY": .birthday
            case "ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-ABDATE": .anniversary
            case "NOTE": .note
            case "EMAIL": .email
            case "TEL": .tel
            case "ADR": .adr
            case "URL": .url
            case "IMPP": .im
            case "CATEGORIES": .categories
            case "PHOTO": .photo
            default: VCardNames.imSchemes[name] != nil ? .im : nil
            }
        }

        func differs(_ a: Contact, _ b: Contact) -> Bool {
            switch self {
            case .fn: a.vCardFormattedName != b.vCardFormattedName
            case .n: [a.familyName, a.givenName, a.middleName, a.namePrefix, a.nameSuffix]
                != [b.familyName, b.givenName, b.middleName, b.namePrefix, b.nameSuffix]
            case .nickname: a.nickname != b.nickname
            case .org: a.organization != b.organization || a.department != b.department
            case .title: a.title != b.title
            case .birthday: a.birthday != b.birthday
            case .anniversary: a.anniversary != b.anniversary
            case .note: a.notes != b.notes
            case .email: a.emails != b.emails
            case .tel: a.phones != b.phones
            case .adr: a.addresses != b.addresses
            case .url: a.websites != b.websites
            case .im: a.ims != b.ims
            case .categories: a.categories != b.categories
            case .photo: a.photo != b.photo
            }
        }
    }

    /// One content line: its physical text (continuation lines and line ends included), and the
    /// upper-cased property name and group.
    struct Line {
        var text: String
        var name: String
        var group: String?
    }

    static func lines(_ text: String) -> [Line] {
        var out: [Line] = []
        var physical: [Substring] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            // Keep each line's own ending (CRLF, LF or CR) so a kept line is byte for byte.
            let end = rest.firstIndex { $0 == "\n" || $0 == "\r" || $0 == "\r\n" } ?? rest.endIndex
            let next = end == rest.endIndex ? end : rest.index(after: end)
            physical.append(rest[rest.startIndex..<next])
            rest = rest[next...]
        }
        for p in physical {
            if let first = p.unicodeScalars.first, first == " " || first == "\t", !out.isEmpty {
                out[out.count - 1].text += p
                continue
            }
            let head = p.prefix { $0 != ":" && $0 != ";" }.uppercased()
            let dot = head.lastIndex(of: ".")
            out.append(Line(text: String(p), name: dot.map { String(head[head.index(after: $0)...]) } ?? head,
                            group: dot.map { String(head[..<$0]) }))
        }
        return out.filter { !$0.text.allSatisfy(\.isNewline) }
    }

    /// Whether `text` has, line for line after unfolding, what the writer makes of `card`: then a
    /// whole rewrite changes no byte that matters, and an update needs no read first.
    public static func isCanonical(_ text: String, _ card: VCard) -> Bool {
        let written = VCardWriter.write(card)
        return text == written || lineSet(text) == lineSet(written)
    }

    /// In any order: servers that store cards through a vCard library (Radicale) give the
    /// properties back sorted.
    static func lineSet(_ s: String) -> [ArraySlice<UInt8>] {
        unfolded(s).split(separator: 0x0A).sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The content lines unfolded, each ended by one LF, blank lines left out (checked on every
    /// card a pull reads, so on bytes).
    static func unfolded(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var atBreak = false
        for b in s.utf8 {
            if b == 0x0D || b == 0x0A {
                atBreak = true
                continue
            }
            if atBreak {
                atBreak = false
                if b == 0x20 || b == 0x09 { continue }  // a continuation line
                if let last = out.last, last != 0x0A { out.append(0x0A) }
            }
            out.append(b)
        }
        if let last = out.last, last != 0x0A { out.append(0x0A) }
        return out
    }

    /// The field of each line; an Apple `X-ABLabel` belongs to its group's property.
    static func fields(_ lines: [Line]) -> [Int: Field] {
        var byGroup: [String: Field] = [:]
        for l in lines where l.name != "X-ABLABEL" {
            if let g = l.group, let f = Field.of(l.name) { byGroup[g] = byGroup[g] ?? f }
        }
        var out: [Int: Field] = [:]
        for (i, l) in lines.enumerated() {
            out[i] = l.name == "X-ABLABEL" ? l.group.flatMap { byGroup[$0] } : Field.of(l.name)
        }
        return out
    }
}
