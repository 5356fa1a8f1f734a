import Foundation
import ConnectorHTTP
import TestSupport

/// Another CardDAV client on the same address book (a phone, a desktop app): plain requests,
/// no HubSync logic, to edit behind the spoke's back and to read what the server really holds.
struct OtherClient {
    let server: DAVServer
    let http: HTTPClient

    init(_ server: DAVServer) {
        self.server = server
        http = server.client()
    }

    @discardableResult
    func put(_ book: URL, _ name: String, _ card: String, ifMatch: String? = nil, type: String = "text/vcard") async throws -> String? {
        var headers = [("Content-Type", type + "; charset=utf-8")]
        if let ifMatch { headers.append(("If-Match", ifMatch)) }
        let r = try await http.send(HTTPRequest(.put, book.appendingPathComponent(name), headers: headers, body: Data(card.utf8)))
        guard r.isSuccess else { throw ServerError("PUT \(name): \(r.status) \(String(decoding: r.body, as: UTF8.self))") }
        return r.header("ETag")
    }

    func get(_ url: URL) async throws -> (text: String, etag: String?)? {
        let r = try await http.send(HTTPRequest(.get, url))
        if r.status == 404 { return nil }
        guard r.isSuccess else { throw ServerError("GET \(url.path): \(r.status)") }
        return (String(decoding: r.body, as: UTF8.self), r.header("ETag"))
    }

    func delete(_ url: URL) async throws {
        let r = try await http.send(HTTPRequest(.delete, url))
        guard r.isSuccess else { throw ServerError("DELETE \(url.path): \(r.status)") }
    }

    /// Every card of the book, by URL.
    func cards(_ book: URL) async throws -> [URL: String] {
        let body = #"<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>"#
        let r = try await http.send(HTTPRequest(
            .propfind, book, headers: [("Depth", "1"), ("Content-Type", "application/xml")], body: Data(body.utf8)))
        guard r.status == 207 else { throw ServerError("PROPFIND: \(r.status)") }
        let text = String(decoding: r.body, as: UTF8.self)
        // Hrefs of members, by a plain scan: this client must not share the spoke's XML code.
        var out: [URL: String] = [:]
        for part in text.components(separatedBy: "href>").dropFirst() {
            guard let end = part.firstIndex(of: "<") else { continue }
            let href = String(part[..<end])
            guard href.hasSuffix(".vcf") || (!href.hasSuffix("/") && href.count > book.path.count) else { continue }
            let url = URL(string: href, relativeTo: book)!.absoluteURL
            if let card = try await get(url) { out[url] = card.text }
        }
        return out
    }

    /// Cards by their FN, for readable expectations.
    func byName(_ book: URL) async throws -> [String: String] {
        var out: [String: String] = [:]
        for text in try await cards(book).values {
            let fn = text.components(separatedBy: .newlines).first { $0.hasPrefix("FN") }?
                .split(separator: ":", maxSplits: 1).last.map(String.init) ?? "?"
            out[fn.trimmingCharacters(in: .whitespaces), default: ""] += text
        }
        return out
    }
}

/// A vCard 3.0 the way other clients write them.
func card(uid: String, given: String, family: String, email: String? = nil, phone: String? = nil, extra: [String] = []) -> String {
    var lines = ["BEGIN:VCARD", "VERSION:3.0", "UID:\(uid)", "FN:\(given) \(family)", "N:\(family);\(given);;;"]
    if let email { lines.append("EMAIL;TYPE=INTERNET:\(email)") }
    if let phone { lines.append("TEL;TYPE=CELL:\(phone)") }
    lines += extra
    lines.append("END:VCARD")
    return lines.joined(separator: "\r\n") + "\r\n"
}
