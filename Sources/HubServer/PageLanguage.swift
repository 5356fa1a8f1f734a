import Foundation
import Hummingbird

/// The pages' two languages and their catalogs (Web/i18n/<code>.json, the files the browser
/// loads too). A page's language is the header switch's cookie, else the best of Accept-Language,
/// else English. The catalogs are keyed by the English text; a plural entry is an object of
/// Intl.PluralRules categories, of which the server (which writes no counts) uses "other".
struct PageLanguage: Sendable {
    static let supported = ["en", "fr"]
    static let cookie = "hubsync_lang"
    let catalogs: [String: [String: String]]

    /// The errors of the sign-in and first-run forms, which those pages show through the catalogs.
    static let formErrors = [
        "wrong user name or password", "enter the setup code HubSync printed when it started", "The two passwords differ.",
        "an administrator exists already; sign in instead",
    ]

    init(root: URL) {
        var all: [String: [String: String]] = [:]
        for code in Self.supported {
            let url = root.appendingPathComponent("i18n/\(code).json")
            guard let data = try? Data(contentsOf: url),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { continue }
            all[code] = object.compactMapValues { ($0 as? String) ?? ($0 as? [String: String])?["other"] }
        }
        catalogs = all
    }

    /// The request's language: the switch's cookie, else Accept-Language.
    static func of(_ request: Request) -> (code: String, chosen: Bool) {
        if let c = request.cookies[cookie]?.value, supported.contains(c) { return (c, true) }
        return (choose(acceptLanguage: request.headers[.acceptLanguage]), false)
    }

    /// "fr-CH,fr;q=0.9,en;q=0.8" → "fr": the supported language of highest quality (the first
    /// listed among equals), else "en". Bounded: 1,000 characters, 32 entries.
    static func choose(acceptLanguage: String?) -> String {
        guard let header = acceptLanguage?.prefix(1000) else { return "en" }
        var best: (code: String, q: Double)? = nil
        for entry in header.split(separator: ",").prefix(32) {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased() else { continue }
            let code = String(tag.prefix { $0 != "-" && $0 != "_" })
            guard supported.contains(code) else { continue }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if q > 0, q > (best?.q ?? 0) { best = (code, q) }
        }
        return best?.code ?? "en"
    }

    /// `key` (English) in `code`'s catalog, or the English itself.
    func text(_ key: String, _ code: String) -> String { catalogs[code]?[key] ?? key }

    /// Each `{{t:English text}}` of a page by its text in `code`, HTML-escaped.
    func translate(page: String, _ code: String) -> String {
        var out = ""
        var rest = page[...]
        while let open = rest.range(of: "{{t:"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            out += Pages.escape(text(String(rest[open.upperBound..<close.lowerBound]), code))
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

extension HubApp {
    /// What the wizard's first step offers (its texts are translated by the page, from the catalogs).
    static let objects = [
        ObjectKind(id: "contacts", name: "Contacts", available: true, note: nil),
        ObjectKind(id: "calendar", name: "Shared calendars", available: true, note: nil),
    ]

    /// The header's language switch: remembers the choice in a cookie (a year) and goes back
    /// to the page it came from (a path of this site only).
    func addLanguageRoutes(_ router: Router<WebContext>) {
        router.get("/static/i18n/:file") { _, context in try self.pages.file(context.parameters.require("file"), in: "i18n") }
        router.get("/language/:code") { request, context in
            let code = try context.parameters.require("code")
            guard PageLanguage.supported.contains(code) else { throw APIError.notFound("language \(code)") }
            let back = request.uri.queryParameters["back"].map(String.init) ?? "/"
            let safe = back.hasPrefix("/") && !back.hasPrefix("//") && !back.contains("\\") ? back : "/"
            var r = Pages.redirect(String(safe.prefix(2000)))
            r.setCookie(Cookies.make(PageLanguage.cookie, code, secure: self.settings.secureCookies, maxAge: 365 * 24 * 3600))
            return r
        }
    }
}
