import Foundation
import Hummingbird

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

/// Finds the session of the request's cookie, keeps the API to signed-in callers, and checks the
/// CSRF token of every state-changing API request made with a cookie. Adds the security headers
/// every answer carries.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let sessions: SessionStore

    /// API routes open without a session (method, path).
    static let open: Set<String> = [
        "GET /api/setup", "POST /api/setup", "GET /api/session", "POST /api/session", "GET /api/openapi.json",
    ]

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let id = request.cookies[Cookies.session]?.value { context.session = sessions.session(id) }
        let path = request.uri.path
        if path.hasPrefix("/api/") {
            let key = "\(request.method.rawValue) \(path)"
            if context.session == nil && !Self.open.contains(key) {
                throw APIError(.unauthorized, "sign in first")
            }
            if let session = context.session, !Self.isSafe(request.method) {
                guard let token = request.headers[.csrfToken], Token.equal(token, session.csrf) else {
                    throw APIError(.forbidden, "missing or wrong X-CSRF-Token header; reload the page")
                }
            }
        }
        var response = try await next(request, context)
        Self.secure(&response.headers)
        return response
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
}
