import ConnectorHTTP
import ConnectorKit
import Foundation

/// The People API over HTTPClient: JSON in and out, Google's error shape mapped, a request
/// budget per account. Retries and token refresh are HTTPClient's (with `retryPolicy`).
struct PeopleAPI: Sendable {
    let http: ConnectorHTTPClient
    let base: URL
    let budget: RequestBudget

    struct Failure: Error, Sendable {
        var status: Int
        var reason: String?
        var message: String
        /// Where it came from, for `connectorError`.
        var server: String? = nil
        var request: String? = nil

        /// For a failure nobody handled on the way up.
        var connectorError: ConnectorError {
            ConnectorError(status == 404 ? .unavailable : .protocolViolation,
                           "Google answered \(status)\(reason.map { " \($0)" } ?? "")\(message.isEmpty ? "" : ": \(message)")",
                           server: server, request: request)
        }
    }

    func get(_ path: String, _ query: [(String, String)] = []) async throws -> Data {
        try await send(.get, path, query, body: nil)
    }

    /// `replayable: false` for creates: a lost answer must not make a second contact.
    func post<B: Encodable>(_ path: String, _ query: [(String, String)] = [], json: B, replayable: Bool = true)
        async throws -> Data
    {
        try await send(.post, path, query, body: try JSONEncoder().encode(json), replayable: replayable)
    }

    func patch<B: Encodable>(_ path: String, _ query: [(String, String)] = [], json: B) async throws -> Data {
        try await send(HTTPMethod(rawValue: "PATCH"), path, query, body: try JSONEncoder().encode(json))
    }

    func delete(_ path: String) async throws -> Data { try await send(HTTPMethod(rawValue: "DELETE"), path, [], body: nil) }

    /// Throws `Failure` for a 4xx the caller may handle (EXPIRED_SYNC_TOKEN, a stale etag, not
    /// found); ConnectorError for the rest.
    private func send(
        _ method: HTTPMethod, _ path: String, _ query: [(String, String)], body: Data?, replayable: Bool = true
    ) async throws -> Data {
        var c = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { c.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        // ":" in "people:batchGet" must stay as it is.
        c.percentEncodedPath = c.percentEncodedPath.replacingOccurrences(of: "%3A", with: ":")
        var request = HTTPRequest(method, c.url!, body: body)
        request.replayable = replayable
        if body != nil { request.setHeader("Content-Type", "application/json") }
        request.setHeader("Accept", "application/json")
        let ticket = try await budget.take()
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch {
            await budget.finish(ticket)
            throw error
        }
        await budget.finish(ticket)
        if response.isSuccess { return response.body }
        var error = Self.error(response)
        error.server = ServerName.of(base)
        error.request = HTTPClient.requestName(request)
        do {
            try Self.check(response, error)
        } catch let e as ConnectorError {
            throw e.at(server: error.server, request: error.request)
        }
        return response.body
    }

    /// A 4xx the caller may handle is thrown as it is; the rest become `ConnectorError`.
    private static func check(_ response: HTTPResponse, _ error: Failure) throws {
        switch response.status {
        case 401: throw ConnectorError(.unauthorized, "Google refused the access token; sign in again\(said(error.message))")
        case 400, 404, 409, 412: throw error
        case 403 where Self.throttled(error.reason):
            throw ConnectorError(.unavailable, "Google's quota is used up for now; try again later")
        case 403: throw ConnectorError(.unauthorized, "Google refused access (\(error.reason ?? "\(response.status)"))\(said(error.message))")
        case 429: throw ConnectorError(.unavailable, "Google's quota is used up for now (RESOURCE_EXHAUSTED); try again later")
        case 500...: throw ConnectorError(.unavailable, "Google answered \(response.status)")
        default: throw error.connectorError
        }
    }

    /// What the server said, in brackets, when it said something.
    static func said(_ message: String) -> String { message.isEmpty ? "" : " (\(message))" }

    struct ErrorBody: Decodable {
        struct Inner: Decodable {
            var code: Int?
            var message: String?
            var status: String?
            var details: [Detail]?
            var errors: [Legacy]?
        }
        struct Detail: Decodable { var reason: String? }
        struct Legacy: Decodable { var reason: String? }
        var error: Inner
    }

    static func error(_ response: HTTPResponse) -> Failure {
        let body = try? BoundedJSON.decode(ErrorBody.self, from: response.body)
        let reason = body?.error.details?.compactMap(\.reason).first ?? body?.error.errors?.compactMap(\.reason).first
            ?? body?.error.status
        return Failure(status: response.status, reason: reason, message: body?.error.message ?? "")
    }

    static func throttled(_ reason: String?) -> Bool {
        ["rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED"].contains(reason ?? "")
    }

    /// Google's "slow down" under a 403 is retried like a 429; other 403s are final.
    static let retryAdvice: @Sendable (HTTPResponse) -> RetryAdvice? = { response in
        guard response.status == 403 else { return nil }
        return throttled(error(response).reason) ? .retry(after: nil) : .deliver
    }
}
