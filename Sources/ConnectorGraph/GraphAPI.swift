import ConnectorHTTP
import ConnectorKit
import Foundation

/// Microsoft Graph over HTTPClient: JSON in and out, immutable ids on every request, Graph's
/// error shape mapped, the mailbox's request budget. Retries (429/503/504 with Retry-After),
/// the concurrency limit and token refresh are HTTPClient's.
struct GraphAPI: Sendable {
    let http: HTTPClient
    let base: URL
    let budget: RequestBudget

    /// A 4xx the caller may handle (a stale etag, an expired delta token, not found).
    struct Failure: Error, Sendable {
        var status: Int
        var code: String?
        var message: String
        /// Where it came from, for `connectorError`.
        var server: String? = nil
        var request: String? = nil

        var connectorError: ConnectorError {
            ConnectorError(.protocolViolation,
                           "Microsoft Graph answered \(status)\(code.map { " \($0)" } ?? "")\(message.isEmpty ? "" : ": \(message)")",
                           server: server, request: request)
        }

        /// The delta token is no good any more: list the folder whole (never "everything is new").
        var deltaExpired: Bool {
            status == 410 || ["syncStateNotFound", "resyncRequired", "SyncStateNotFound", "ResyncRequired"].contains(code ?? "")
        }
    }

    /// A page of a collection: its items and the link to the next page.
    struct Page: Decodable {
        var value: [JSONObject]?
        var next: String?
        enum CodingKeys: String, CodingKey {
            case value
            case next = "@odata.nextLink"
        }
    }

    /// Every item of a collection, following nextLinks for at most `limit` pages (a bound against
    /// a server that links on forever). Throws `Failure` as `send` does.
    func pages(from first: URL, _ what: String, limit: Int) async throws -> [JSONObject] {
        var out: [JSONObject] = []
        var next: URL? = first
        var count = 0
        while let url = next, count < limit {
            let page = try Self.decode(Page.self, try await get(url), what)
            out += page.value ?? []
            next = page.next.flatMap(URL.init(string:))
            count += 1
        }
        return out
    }

    /// The URL of `path` (relative to Graph's root) with `query`, or an absolute link Graph gave.
    func url(_ path: String, _ query: [(String, String)] = []) -> URL {
        var c = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        c.percentEncodedPath = c.percentEncodedPath.trimmingTrailingSlash + "/" + path
        if !query.isEmpty { c.percentEncodedQuery = Self.query(query) }
        return c.url!
    }

    /// Query values encoded so `$filter` expressions survive (`:`, `/`, `'`, spaces, `=`).
    static func query(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~$,()")
        return items.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    func get(_ url: URL, prefer: [String] = []) async throws -> Data {
        try await send(.get, url, body: nil, prefer: prefer)
    }

    func json<B: Encodable>(_ method: HTTPMethod, _ url: URL, _ body: B, replayable: Bool = true) async throws -> Data {
        try await send(method, url, body: try JSONEncoder().encode(body), replayable: replayable)
    }

    /// One request (counted `cost` times against the mailbox's budget: a `$batch` counts each
    /// member). Throws `Failure` for the 4xx a caller may handle, ConnectorError for the rest.
    func send(
        _ method: HTTPMethod, _ url: URL, body: Data?, contentType: String = "application/json", prefer: [String] = [],
        headers: [(String, String)] = [], replayable: Bool = true, cost: Int = 1
    ) async throws -> Data {
        var request = HTTPRequest(method, url, body: body)
        request.replayable = replayable
        if body != nil { request.setHeader("Content-Type", contentType) }
        request.setHeader("Accept", "application/json")
        // Ids that survive moves between folders.
        request.setHeader("Prefer", (["IdType=\"ImmutableId\""] + prefer).joined(separator: ", "))
        for (k, v) in headers { request.setHeader(k, v) }
        var tickets: [RequestBudget.Ticket] = []
        for _ in 0..<max(cost, 1) { tickets.append(try await budget.take()) }
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            for t in tickets { await budget.finish(t) }
            throw error
        }
        for t in tickets { await budget.finish(t) }
        if response.isSuccess { return response.body }
        throw Self.failure(status: response.status, body: response.body, server: ServerName.of(url),
                           request: HTTPClient.requestName(request))
    }

    /// Graph's answer for a status that is not success, as the error to throw.
    static func failure(status: Int, body: Data, server: String? = nil, request: String? = nil) -> any Error {
        var error = Self.error(status: status, body: body)
        (error.server, error.request) = (server, request)
        return mapped(error).map { $0.at(server: server, request: request) } ?? error
    }

    /// The `ConnectorError` a failure is, or nil for a 4xx the caller may handle.
    private static func mapped(_ error: Failure) -> ConnectorError? {
        let status = error.status
        switch status {
        case 401:
            return ConnectorError(.unauthorized, "Microsoft Graph refused the access token; sign in again"
                + (error.message.isEmpty ? "" : " (\(error.message))"))
        case 403:
            return ConnectorError(.unauthorized, "Microsoft Graph refused access (\(error.code ?? "403"))"
                + (error.message.isEmpty ? ". " : ": \(error.message). ")
                + "Check the app's permissions (Contacts.ReadWrite) and the admin consent")
        case 400, 404, 409, 410, 412, 422, 424: return nil
        case 429, 503, 504:
            return ConnectorError(.unavailable, "Microsoft Graph is throttling this mailbox (\(status)); try again later")
        case 500...: return ConnectorError(.unavailable, "Microsoft Graph answered \(status)")
        default: return error.status >= 400 && error.status < 500 ? nil : error.connectorError
        }
    }

    struct ErrorBody: Decodable {
        struct Inner: Decodable {
            var code: String?
            var message: String?
        }
        var error: Inner?
    }

    static func error(status: Int, body: Data) -> Failure {
        let e = (try? BoundedJSON.decode(ErrorBody.self, from: body))?.error
        return Failure(status: status, code: e?.code, message: String((e?.message ?? "").prefix(300)))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ call: String) throws -> T {
        do {
            return try BoundedJSON.decode(type, from: data)
        } catch {
            throw ConnectorError(.protocolViolation, "Microsoft Graph's answer could not be read: \(error.reason)",
                                 request: "Microsoft Graph \(call)")
        }
    }
}

extension String {
    var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}

extension GraphAPI {
    /// Graph for `settings`: its root, and the request budget the settings give a mailbox.
    init(http: HTTPClient, settings: GraphSettings) {
        self.init(http: http, base: settings.graphBase,
                  budget: RequestBudget(limit: settings.requestsPerWindow, per: settings.window))
    }
}
