import Foundation
import ConnectorHTTP
import ConnectorKit
import SyncModel

/// The WebDAV requests the spoke sends, with their statuses turned into meaning. Auth, retries
/// and throttling live in the HTTP client underneath.
struct DAVSession: Sendable {
    let http: HTTPClient

    static let xml = ("Content-Type", "application/xml; charset=utf-8")

    func propfind(_ url: URL, depth: Int, _ body: Data) async throws -> MultiStatus {
        let r = try await http.send(HTTPRequest(.propfind, url, headers: [Self.xml, ("Depth", "\(depth)")], body: body))
        return try multistatus(r, "PROPFIND")
    }

    /// A REPORT; the raw answer, because a refused sync token is an answer, not a failure.
    func report(_ url: URL, depth: Int, _ body: Data) async throws -> HTTPResponse {
        try await http.send(HTTPRequest(.report, url, headers: [Self.xml, ("Depth", "\(depth)")], body: body))
    }

    func multistatus(_ r: HTTPResponse, _ what: String) throws -> MultiStatus {
        switch r.status {
        case 207: return try parse(r, what)
        case 404: throw Self.named(ConnectorError(.misconfigured, "\(HTTPClient.path(r.url)) does not exist on the server (404)"), r, what)
        case 405, 501:
            throw Self.named(ConnectorError(.misconfigured, "\(HTTPClient.path(r.url)) is not a WebDAV resource (\(r.status))"), r, what)
        case 403: throw Self.named(ConnectorError(.unauthorized, "the server forbids this request (403)"), r, what)
        default: throw unexpected(r, what)
        }
    }

    /// A 207's body; when it cannot be read, the error names the server and the request.
    func parse(_ r: HTTPResponse, _ what: String) throws -> MultiStatus {
        do {
            return try MultiStatus(parsing: r.body)
        } catch let e as ConnectorError {
            throw Self.named(e, r, what)
        }
    }

    /// `e` with the server and the request it answers: `what` ("REPORT sync-collection") and the path.
    static func named(_ e: ConnectorError, _ r: HTTPResponse, _ what: String) -> ConnectorError {
        e.at(server: ServerName.of(r.url), request: "\(what) \(HTTPClient.path(r.url))")
    }

    /// `condition`: `If-None-Match: *` for a create, `If-Match` for an update.
    func put(_ url: URL, _ body: Data, type: String, condition: (String, String)) async throws -> HTTPResponse {
        try await http.send(HTTPRequest(.put, url, headers: [("Content-Type", type), condition], body: body))
    }

    func delete(_ url: URL, ifMatch: String?) async throws -> HTTPResponse {
        try await http.send(HTTPRequest(.delete, url, headers: ifMatch.map { [("If-Match", $0)] } ?? []))
    }

    /// A status no step expects: the server is unwell (5xx after retries) or speaks otherwise.
    func unexpected(_ r: HTTPResponse, _ what: String) -> ConnectorError {
        if r.status >= 500 || r.status == 429 {
            return Self.named(ConnectorError(.unavailable, "the server answered \(r.status) after retries"), r, what)
        }
        return Self.named(ConnectorError(.protocolViolation, "unexpected status \(r.status)\(Self.snippet(r))"), r, what)
    }

    /// The start of an error body, for messages (servers explain 4xx there).
    /// A write the server refused with a status no rule gives a meaning: one item's error,
    /// naming the write and the server's own words.
    static func refused(_ id: RemoteID, _ r: HTTPResponse, _ what: String) -> WriteOutcome {
        .failed(ItemError(remoteID: id, message: "the server refused the \(what) (\(r.status))\(snippet(r))"))
    }

    static func snippet(_ r: HTTPResponse) -> String {
        let text = String(decoding: r.body.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "" : ": \(text)"
    }
}
