import Foundation

public enum Normalize {
    /// Trimmed text, or nil when nothing is left.
    public static func text(_ s: String?) -> String? {
        guard let s else { return nil }
        let t = trimmed(s)
        return t.isEmpty ? nil : t
    }

    /// Without leading and trailing white space (Unicode White_Space: the same set as
    /// Foundation's `.whitespacesAndNewlines`). Native and allocation-free when there is
    /// nothing to trim, which is nearly always: normalisation runs on every pulled item.
    public static func trimmed(_ s: String) -> String {
        let u = s.unicodeScalars
        guard let first = u.first, let last = u.last else { return s }
        if !isSpace(first) && !isSpace(last) { return s }
        var start = u.startIndex, end = u.endIndex
        while start < end, isSpace(u[start]) { start = u.index(after: start) }
        while end > start, isSpace(u[u.index(before: end)]) { end = u.index(before: end) }
        return String(u[start..<end])
    }

    @inline(__always)
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c == " " || (0x09...0x0D).contains(c.value) }
        return c.properties.isWhitespace
    }

    /// The key of an email: trimmed and lower-cased. The address itself keeps its case.
    public static func email(_ s: String) -> String {
        trimmed(s).lowercased()
    }

    /// Digits only, keeping a leading `+` (international form): `+1 (555) 010-2030` → `+15550102030`.
    public static func phone(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var sawDigit = false
        for ch in s.unicodeScalars {
            if ch == "+" && !sawDigit && out.isEmpty {
                out.unicodeScalars.append(ch)
            } else if ("0"..."9").contains(ch) {
                out.unicodeScalars.append(ch)
                sawDigit = true
            } else if ch.value >= 0x80, ch.properties.numericType == .decimal, let v = ch.properties.numericValue {
                // Full-width and other script digits become ASCII.
                out += String(Int(v))
                sawDigit = true
            }
        }
        return out == "+" ? "" : out
    }

    public static func url(_ s: String) -> String { trimmed(s) }

    /// The key a multi-valued entry is merged, matched and deduplicated by. Emails and phones
    /// keep their display form (as the user wrote them) in `value`; only their keys are canonical.
    public static func key(email v: LabeledValue) -> String { email(v.value) }
    public static func key(phone v: LabeledValue) -> String { phone(v.value) }
    public static func key(website v: LabeledValue) -> String { v.value.lowercased() }
    /// An IM handle with or without its service's scheme is one handle: `xmpp:ada@x` is `ada@x`.
    public static func key(im v: LabeledValue) -> String { IMService.handle(v.value).lowercased() }
    public static func key(category c: String) -> String { c.lowercased() }
    public static func key(address a: PostalAddress) -> String {
        a.components.map { $0.lowercased() }.joined(separator: "\u{1F}")
    }
}

extension Contact {
    /// The canonical form: trimmed text, no empty or duplicate entries (emails and phones judged
    /// by their keys, keeping the display form first seen). Every stored and compared contact is
    /// normalised.
    public func normalized() -> Contact {
        var c = self
        ContactSchema.schema.normalize(&c)
        c.uid = Normalize.text(uid)
        return c
    }

    /// Entries with their value normalised by `value` (nil drops the entry), label details
    /// normalised, preferred ones first, deduplicated by key.
    static func entries(
        _ list: [LabeledValue], key: (LabeledValue) -> String, value: (String) -> String?
    ) -> [LabeledValue] {
        let out = list.compactMap { v -> LabeledValue? in
            guard let value = value(v.value) else { return nil }
            var v = v
            v.value = value
            (v.label, v.customLabel) = label(v.label, v.customLabel)
            v.service = Normalize.text(v.service)
            return v
        }
        return dedupe(preferredFirst(out, \.preferred), key: key)
    }

    /// A custom label that names a standard one ("Work") is that label.
    static func label(_ label: ContactLabel, _ custom: String?) -> (ContactLabel, String?) {
        guard let custom = Normalize.text(custom) else { return (label, nil) }
        if let named = ContactLabel(naming: custom) { return (named, nil) }
        return (label, custom)
    }

    /// Preferred entries first, the order otherwise kept: what vCard readers and Google do.
    static func preferredFirst<T>(_ items: [T], _ preferred: KeyPath<T, Bool>) -> [T] {
        guard items.contains(where: { $0[keyPath: preferred] }) else { return items }
        return items.filter { $0[keyPath: preferred] } + items.filter { !$0[keyPath: preferred] }
    }

    static func dedupe<T>(_ items: [T], key: (T) -> String) -> [T] {
        guard items.count > 1 else { return items }
        var seen = Set<String>()
        return items.filter { seen.insert(key($0)).inserted }
    }

    /// True when the contact carries nothing a person would recognise.
    public var isBlank: Bool { ContactSchema.schema.isBlank(normalized()) }
}
