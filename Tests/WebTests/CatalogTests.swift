import Foundation
@testable import HubCLI
@testable import HubServer
import SyncEngine
import Testing

/// The two catalogs (Web/i18n/en.json, fr.json) against what uses them: every t('…') literal of
/// Web/*.js, every {{t:…}} of the HTML pages and every text for people the server sends through
/// them (the source kinds, the wizard's objects, the forms' errors, network failures in plain words) has an entry in both, no
/// entry is left unused, and the translations keep their placeholders. No browser needed.
@Suite struct CatalogTests {
    static let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/HubServer/Web").standardizedFileURL

    static func catalog(_ code: String) throws -> [String: Any] {
        let data = try Data(contentsOf: web.appendingPathComponent("i18n/\(code).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            (1..<m.numberOfRanges).lazy.compactMap { Range(m.range(at: $0), in: text).map { String(text[$0]) } }.first
        }
    }

    static func unescape(_ raw: String) -> String {
        raw.replacingOccurrences(of: "\\'", with: "'").replacingOccurrences(of: "\\\"", with: "\"")
    }

    /// The scripts without their comments.
    static func scripts() throws -> [(name: String, source: String)] {
        try FileManager.default.contentsOfDirectory(atPath: web.path).filter { $0.hasSuffix(".js") }.sorted().map { name in
            var source = try String(contentsOf: web.appendingPathComponent(name), encoding: .utf8)
            source = source.replacingOccurrences(of: #"(?s)/\*.*?\*/"#, with: "", options: .regularExpression)
            source = source.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            return (name, source)
        }
    }

    /// tn(n, 'one', 'many'): the English for 1 and the key of the plural entry.
    static func countKeys() throws -> [(one: String, many: String)] {
        let regex = try NSRegularExpression(pattern: #"\btn\([^,]+,\s*'((?:[^'\\]|\\.)*)'\s*,\s*'((?:[^'\\]|\\.)*)'"#)
        return try scripts().flatMap { _, source in
            regex.matches(in: source, range: NSRange(source.startIndex..., in: source)).map { m in
                (unescape(String(source[Range(m.range(at: 1), in: source)!])), unescape(String(source[Range(m.range(at: 2), in: source)!])))
            }
        }
    }

    /// The literal keys of t('…') / t("…") and tn(…, '…', 'many') in the scripts, comments left out.
    static func scriptKeys() throws -> Set<String> {
        var keys = Set(try countKeys().map(\.many))
        for (name, source) in try scripts() {
            for raw in matches(#"\bt\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"#, in: source) {
                keys.insert(unescape(raw))
            }
            // A key the check cannot read (a template literal) would escape it.
            #expect(matches(#"\bt\(\s*(`)"#, in: source).isEmpty, "\(name) calls t() with a template literal")
        }
        return keys
    }

    static func pageKeys() throws -> Set<String> {
        var keys: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: web.path) where name.hasSuffix(".html") {
            keys.formUnion(matches(#"\{\{t:(.*?)\}\}"#, in: try String(contentsOf: web.appendingPathComponent(name), encoding: .utf8)))
        }
        return keys
    }

    /// The texts for people the API sends in English, which the page translates from the catalogs.
    static func serverKeys() -> Set<String> {
        var keys = Set(PageLanguage.formErrors).union(PlainProblem.texts).union(APIWords.texts).union(EngineError.texts)
            .union(InvitationWords.texts).union(TokenWords.texts)
        for object in HubApp.objects { keys.insert(object.name); if let n = object.note { keys.insert(n) } }
        for google in [true, false] {
            for m365 in [true, false] {
                for kind in SpokeKinds.all(googleConfigured: google, m365Configured: m365, demo: [:]) {
                    keys.insert(kind.name)
                    keys.insert(kind.summary)
                    for f in kind.fields {
                        keys.insert(f.label)
                        if let help = f.help { keys.insert(help) }
                        for c in f.choices ?? [] { keys.insert(c.label) }
                    }
                }
            }
        }
        return keys
    }

    static func placeholders(_ s: String) -> Set<String> { Set(matches(#"\{(\w+)\}"#, in: s)) }

    /// A catalog value's forms: one string, or an object of plural categories.
    static func forms(_ value: Any) -> [String]? {
        if let s = value as? String { return [s] }
        if let d = value as? [String: String], d["other"] != nil,
            Set(d.keys).isSubset(of: ["zero", "one", "two", "few", "many", "other"]) { return Array(d.values) }
        return nil
    }

    @Test func everyTextHasBothTranslationsAndEveryEntryIsUsed() throws {
        let script = try Self.scriptKeys(), pages = try Self.pageKeys(), server = Self.serverKeys()
        #expect(script.count > 300 && pages.count > 15 && server.count > 40, "\(script.count) \(pages.count) \(server.count)")
        let used = script.union(pages).union(server)
        for code in PageLanguage.supported {
            let catalog = try Self.catalog(code)
            let missing = used.subtracting(catalog.keys).sorted()
            #expect(missing.isEmpty, "\(code).json lacks \(missing)")
            let unused = Set(catalog.keys).subtracting(used).sorted()
            #expect(unused.isEmpty, "\(code).json has unused entries \(unused)")
            for (key, value) in catalog {
                let forms = Self.forms(value)
                #expect(forms != nil, "\(code).json: \(key) is neither a text nor plural forms")
                for form in forms ?? [] {
                    // A plural form may say "one" instead of {n}; no form invents a placeholder.
                    let extra = Self.placeholders(form).subtracting(Self.placeholders(key))
                    #expect(extra.isEmpty, "\(code).json: \(key) → \(form) has \(extra)")
                    if value is String, !server.contains(key) {
                        #expect(Self.placeholders(form) == Self.placeholders(key), "\(code).json: \(key) → \(form)")
                    }
                    // Item 7: one word for a source, in both languages.
                    #expect(!form.lowercased().contains("spoke"), "\(code).json: \(form)")
                }
            }
        }
    }

    @Test func countsHavePluralFormsInBothLanguages() throws {
        let en = try Self.catalog("en"), fr = try Self.catalog("fr")
        let counts = try Self.countKeys()
        #expect(counts.count >= 10)
        for (one, many) in counts {
            let forms = en[many] as? [String: String]
            #expect(forms?["one"] == one && forms?["other"] == many, "en.json: \(many) should be {one: \(one), other: \(many)}")
            #expect((fr[many] as? [String: String])?["one"] != nil, "fr.json: \(many) has no singular")
        }
    }

    @Test func englishTextsAreSentenceCase() throws {
        // "Sync now", never "Sync Now": a capital inside a label only for a name.
        let names = ["HubSync", "Exchange", "Microsoft", "Google", "CardDAV", "Graph", "Online", "Server", "Contacts", "Entra",
                     "Outlook", "Nextcloud", "iCloud", "Fastmail", "Radicale", "Baïkal", "SOGo", "ID", "API", "People", "Cloud",
                     "Web", "Services", "SP2", "Subscription", "Edition", "Autodiscover", "EWS", "OAuth", "JavaScript", "DOMAIN",
                     "Sync", "Undo", "MB", "Customers", "Suppliers", "JobCode", "Sales", "Our", "Go", "Holidays", "Team"]
        for (key, _) in try Self.catalog("en") where key.count < 40 && !key.contains(".") {
            let words = key.split(separator: " ").dropFirst().map { $0.trimmingCharacters(in: .punctuationCharacters) }
            for word in words where word.first?.isUppercase == true {
                #expect(names.contains { word.hasPrefix($0) }, "Title Case in \(key)")
            }
        }
    }

    @Test func pageLanguageFromTheBrowser() {
        #expect(PageLanguage.choose(acceptLanguage: "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7") == "fr")
        #expect(PageLanguage.choose(acceptLanguage: "de-DE,en;q=0.5,fr;q=0.4") == "en")
        #expect(PageLanguage.choose(acceptLanguage: "en;q=0.3,fr-CA;q=0.8") == "fr")
        #expect(PageLanguage.choose(acceptLanguage: "de, it") == "en")
        #expect(PageLanguage.choose(acceptLanguage: nil) == "en")
        #expect(PageLanguage.choose(acceptLanguage: "fr;q=0") == "en")
        #expect(PageLanguage.choose(acceptLanguage: String(repeating: "xx-YY;q=0.1,", count: 500) + "fr") == "en")
    }

    @Test func pagesAreTranslatedAndEscaped() {
        let languages = PageLanguage(root: Self.web)
        let page = #"<h1>{{t:Sign in}}</h1><label>{{t:User name}}</label><p>{{t:No such text}}</p>{{t:unclosed"#
        #expect(languages.translate(page: page, "fr") == #"<h1>Connexion</h1><label>Nom d&#39;utilisateur</label><p>No such text</p>{{t:unclosed"#)
        #expect(languages.translate(page: page, "en").hasPrefix("<h1>Sign in</h1><label>User name</label>"))
        #expect(languages.text("{n} contacts", "fr") == "{n} contacts")
    }
}
