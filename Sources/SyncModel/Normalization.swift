import Foundation

extension String {
    fileprivate var nonEmptyValue: String? { isEmpty ? nil : self }
}

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
        // Spelled out: key paths cost a generic projection each, and this runs per item.
        c.namePrefix = Normalize.text(namePrefix)
        c.givenName = Normalize.text(givenName)
        c.middleName = Normalize.text(middleName)
        c.familyName = Normalize.text(familyName)
        c.nameSuffix = Normalize.text(nameSuffix)
        c.nickname = Normalize.text(nickname)
        c.displayName = Normalize.text(displayName)
        c.organization = Normalize.text(organization)
        c.department = Normalize.text(department)
        c.title = Normalize.text(title)
        c.notes = Normalize.text(notes)
        if c.birthday?.isValid == false { c.birthday = nil }
        if c.anniversary?.isValid == false { c.anniversary = nil }
        c.emails = Self.entries(emails, key: Normalize.key(email:)) { Normalize.text($0) }
        c.phones = Self.entries(phones, key: Normalize.key(phone:)) { v in
            Normalize.text(v).flatMap { Normalize.phone($0).isEmpty ? nil : $0 }
        }
        c.websites = Self.entries(websites, key: Normalize.key(website:)) { Normalize.url($0).nonEmptyValue }
        c.ims = Self.entries(ims, key: Normalize.key(im:)) { Normalize.text($0) }.map { v in
            var v = v
            v.service = IMService.canonical(v.service)
            if let s = v.service, s == IMService.implied(by: v.value) { v.service = nil }
            return v
        }
        c.addresses = Self.dedupe(
            Self.preferredFirst(addresses.map { a in
                var a = a
                a.poBox = Normalize.text(a.poBox) ?? ""
                a.extended = Normalize.text(a.extended) ?? ""
                a.street = Normalize.text(a.street) ?? ""
                a.city = Normalize.text(a.city) ?? ""
                a.region = Normalize.text(a.region) ?? ""
                a.postalCode = Normalize.text(a.postalCode) ?? ""
                a.country = Normalize.text(a.country) ?? ""
                (a.label, a.customLabel) = Self.label(a.label, a.customLabel)
                return a
            }.filter { !$0.isEmpty }, \.preferred),
            key: Normalize.key(address:))
        c.categories = Self.dedupe(categories.compactMap { Normalize.text($0) }, key: Normalize.key(category:))
        if let p = c.photo, p.data.isEmpty { c.photo = nil }
        var custom: [String: String] = [:]
        for (k, v) in self.custom {
            if let k = Normalize.text(k), let v = Normalize.text(v) { custom[k] = v }
        }
        c.custom = custom
        c.uid = Normalize.text(uid)
        c.extensions = Self.dedupe(extensions.compactMap { Normalize.text($0) }, key: { $0 })
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
    public var isBlank: Bool {
        let n = normalized()
        return TextField.allCases.allSatisfy { n[keyPath: $0.keyPath] == nil } && n.emails.isEmpty
            && n.phones.isEmpty && n.addresses.isEmpty && n.websites.isEmpty && n.ims.isEmpty
            && n.birthday == nil && n.anniversary == nil && n.photo == nil && n.custom.isEmpty
    }
}
