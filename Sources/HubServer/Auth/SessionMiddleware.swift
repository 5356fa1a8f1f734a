import Foundation
import Hummingbird
import Logging
import SyncModel

/// Cookies of the web app.
enum Cookies {
    static let session = "hubsync_session"
    /// The pre-session CSRF token of the login and first-run forms (double submit: the form's
    /// hidden field must equal this cookie).
    static let formToken = "hubsync_form"

    static func make(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}

/// Refuses requests the `RequestPolicy` does not let in, finds the session of the request's
/// cookie (or, for the API, of its `Authorization: Bearer` token), keeps the API to signed-in
/// callers, and checks the CSRF token of every state-changing API request made with a cookie
/// (a bearer token is not sent by browsers on their own, so it needs none). Every answer, errors included, carries the security headers,
/// and every error is the one JSON shape of `APIError`.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let sessions: SessionStore
    let tokens: APITokenService
    let policy: RequestPolicy
    let trustedProxies: Set<String>
    let logger: Logger

    /// API routes open without a session (method, path).
    static let open: Set<String> = [
        "GET /api/setup", "POST /api/setup", "GET /api/session", "POST /api/session", "GET /api/openapi.json",
    ]

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
        async throws -> Response
    {
        var response: Response
        do {
            response = try await guarded(request, context: context, next: next)
        } catch {
            if let e = APIError.mapping(error) {
                response = e.response()
            } else {
                logger.error("request failed", metadata: [
                    "path": "\(Self.logged(request.uri.path))", "error": "\(DisplayText.neutralised(String(describing: error)))"])
                response = APIError(.internalServerError, words: APIWords.serverFailed).response()
            }
        }
        Self.secure(&response.headers)
        return response
    }

    private func guarded(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if trustedProxies.contains(context.peer), let client = Self.forwardedClient(request.headers[values: .xForwardedFor]) {
            context.peer = client
        }
        if let id = request.cookies[Cookies.session]?.value { context.session = try sessions.session(id) }
        if request.uri.path.hasPrefix("/api/"), let authorization = request.headers[.authorization],
            let secret = APITokenService.bearer(authorization)
        {
            // Unknown or revoked: refused, and not logged (the secret is in no log line).
            guard let token = try tokens.authenticate(secret) else { throw APIError(.unauthorized, words: TokenWords.invalid) }
            context.session = Session(
                id: "token " + token.id, user: "\(token.createdBy) (token \(token.name))", csrf: Token.random(), lastSeen: token.lastUsed ?? Date(),
                apiScope: token.scope)
        }
        // HTTP/1's Host arrives as the authority; a Host field besides it must pass as well.
        for host in [request.head.authority, request.headers[.hostField]].compactMap({ $0 }) where !policy.allowsHost(host) {
            throw policy.misdirected(host)
        }
        if let refusal = policy.refusal(
            method: request.method, path: request.uri.path, host: request.headers[.hostField] ?? request.head.authority,
            origin: request.headers[.origin], fetchSite: request.headers[.secFetchSite],
            contentType: request.headers[.contentType], signedIn: context.session != nil)
        {
            throw refusal
        }
        let path = request.uri.path
        if path.hasPrefix("/api/") {
            let key = "\(request.method.rawValue) \(path)"
            if context.session == nil && !Self.open.contains(key) {
                throw APIError(.unauthorized, words: APIWords.signInFirst)
            }
            if context.session?.apiScope == .read, !Self.isSafe(request.method) {
                throw APIError(.forbidden, words: TokenWords.readOnly)
            }
            if let session = context.session, session.apiScope == nil, !Self.isSafe(request.method) {
                guard let token = request.headers[.csrfToken], Token.equal(token, session.csrf) else {
                    throw APIError(.forbidden, words: APIWords.csrf)
                }
            }
        }
        return try await next(request, context)
    }

    /// The last address of `X-Forwarded-For` (the one the trusted proxy itself added).
    static func forwardedClient(_ values: [String]) -> String? {
        values.joined(separator: ",").split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A path as logged: an invitation link's token is a key, never written down.
    static func logged(_ path: String) -> String {
        path.hasPrefix("/invite/") ? "/invite/…" : path
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool { [.get, .head, .options].contains(method) }

    static func secure(_ headers: inout HTTPFields) {
        headers[.xContentTypeOptions] = "nosniff"
        headers[.xFrameOptions] = "DENY"
        headers[.referrerPolicy] = "same-origin"
        // Everything the pages use comes from this server; no inline script.
        if headers[.contentSecurityPolicy] == nil {
            headers[.contentSecurityPolicy] =
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        }
    }
}

extension HTTPFields.Element.Name {
    static let csrfToken = Self("X-CSRF-Token")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    /// HTTP/1 moves Host into the authority; a second Host field (or a test's) is checked too.
    static let hostField = Self("Host")!
}
