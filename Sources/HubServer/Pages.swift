import Foundation
import Hummingbird

/// The HTML pages and static files of Web/ (in the module's bundle). Templates get `{{csrf}}`,
/// `{{user}}`, `{{error}}` (and `{{next}}` on signed-in.html) by plain replacement, HTML-escaped;
/// `{{lang}}` and each `{{t:English text}}` in the page's language (PageLanguage).
struct Pages: Sendable {
    let root: URL
    let languages: PageLanguage

    init() {
        root = Bundle.module.resourceURL!.appendingPathComponent("Web")
        languages = PageLanguage(root: root)
    }

    static let types = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "json": "application/json; charset=utf-8", "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
    ]

    func page(
        _ name: String, status: HTTPResponse.Status = .ok, language: (code: String, chosen: Bool) = ("en", false),
        _ values: [String: String] = [:]
    ) throws -> Response {
        guard let template = try? String(contentsOf: root.appendingPathComponent(name), encoding: .utf8) else {
            throw APIError(.internalServerError, "missing page \(name)")
        }
        // The catalog's texts first, so a value that looks like a marker stays as it is.
        var html = languages.translate(page: template, language.code)
        let all = values.merging([
            "csrf": "", "user": "", "error": "", "lang": language.code, "chosen": language.chosen ? "true" : "false",
        ]) { given, _ in given }
        for (key, value) in all { html = html.replacingOccurrences(of: "{{\(key)}}", with: Self.escape(value)) }
        var headers: HTTPFields = [.contentType: Self.types["html"]!, .cacheControl: "no-store"]
        SessionMiddleware.secure(&headers)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A file of Web/ by its plain name (no directories: nothing outside Web/ can be asked for).
    func file(_ name: String, in folder: String? = nil) throws -> Response {
        let ext = (name as NSString).pathExtension
        let dir = folder.map { root.appendingPathComponent($0) } ?? root
        guard !name.contains("/"), !name.hasPrefix("."), let type = Self.types[ext],
            let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path)
        else { throw APIError.notFound("file \(name)") }
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
