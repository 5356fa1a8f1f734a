/// IM services. The hub names a service by a lower-case token (Google's protocol names:
/// `jabber`, `skype`, `googletalk`…, or a source's own text for others) and knows the URI scheme
/// of each, so `xmpp:ada@example.org` says "jabber" by itself and needs no `service`.
public enum IMService {
    /// Service token → URI scheme (vCard IMPP values).
    static let schemes: [String: String] = [
        "jabber": "xmpp", "skype": "skype", "aim": "aim", "msn": "msnim", "yahoo": "ymsgr", "googletalk": "gtalk",
        "icq": "icq", "qq": "qq", "gadugadu": "gg", "groupwise": "groupwise", "sip": "sip",
    ]
    static let schemeSet = Set(schemes.values)
    /// Other spellings of the known tokens (Apple's `X-SERVICE-TYPE`, Google's camel case).
    static let aliases: [String: String] = [
        "xmpp": "jabber", "gtalk": "googletalk", "google talk": "googletalk", "hangouts": "googletalk",
        "windows live": "msn", "msnim": "msn", "ymsgr": "yahoo", "gg": "gadugadu", "gadu-gadu": "gadugadu",
    ]

    /// The token for a service name as a source spells it: known names case-insensitively,
    /// others as written (trimmed); nil for nothing.
    public static func canonical(_ name: String?) -> String? {
        guard let n = Normalize.text(name) else { return nil }
        let l = n.lowercased()
        if schemes[l] != nil || l == "facebook" || l == "netmeeting" { return l }
        return aliases[l] ?? n
    }

    /// The URI scheme of a value (`xmpp` of `xmpp:ada@x`), if it is one of a known IM service.
    public static func scheme(of value: String) -> String? {
        guard let colon = value.firstIndex(of: ":") else { return nil }
        let s = value[..<colon].lowercased()
        return schemeSet.contains(s) ? s : nil
    }

    /// The service a value's scheme names, if any.
    public static func implied(by value: String) -> String? {
        scheme(of: value).flatMap { s in schemes.first { $0.value == s }?.key }
    }

    /// The service of an entry: its own, else its value's scheme's.
    public static func service(of v: LabeledValue) -> String? { v.service ?? implied(by: v.value) }

    /// The handle without a known scheme: `xmpp:ada@x` → `ada@x`.
    public static func handle(_ value: String) -> String {
        guard let s = scheme(of: value) else { return value }
        return String(value.dropFirst(s.count + 1))
    }

    /// The scheme of a service token, if it has one.
    public static func scheme(forService token: String) -> String? { schemes[token.lowercased()] }
}
