import Foundation
import Hummingbird

/// The Microsoft identity platform v2 endpoints (PROTOCOLS.md §1.7) under `/{tenant}/…`:
/// `oauth2/v2.0/authorize` (code flow, optional consent page), `oauth2/v2.0/token`
/// (authorization_code with PKCE, rotating refresh_token, client_credentials) and the OpenID
/// configuration. Errors carry AADSTS codes.
extension GraphEmulator {
    struct AADError: Error {
        var status = 400
        var error: String
        var code: Int
        var text: String
    }

    func identity(_ method: String, _ s: [String], query: [(String, String)], body: Data, headers: [String: String],
                  context: EmulatorRequestContext) async -> Response {
        let form = FormFields.parse(String(decoding: body, as: UTF8.self))
        guard let tenant = s.first else { return GraphReply.error(.segmentNotFound(""), now: now).response }
        let rest = s.dropFirst().map { $0.lowercased() }
        let op: String
        switch (method, rest) {
        case ("GET", ["oauth2", "v2.0", "authorize"]), ("POST", ["oauth2", "v2.0", "authorize", "approve"]): op = "oauth.authorize"
        case ("POST", ["oauth2", "v2.0", "token"]): op = "oauth.token." + (form.last { $0.0 == "grant_type" }?.1 ?? "")
        case ("GET", ["v2.0", ".well-known", "openid-configuration"]):
            return openIDConfiguration(tenant).response
        default:
            return GraphReply.error(GraphError(status: 404, code: "NotFound", message: "Not found"), now: now).response
        }
        count(op, path: "\(method) /\(tenant)/" + rest.joined(separator: "/"))
        let (reply, drop) = await guarded(op.hasPrefix("oauth.token") ? "oauth.token" : op) {
            do throws(AADError) {
                guard [tenantID.lowercased(), domain.lowercased(), "common", "organizations"].contains(tenant.lowercased()) else {
                    throw AADError(error: "invalid_request", code: 90002, text: "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
                }
                switch rest.last {
                case "authorize": return try authorize(query, tenant: tenant)
                case "approve": return try approve(form, tenant: tenant)
                default: return try token(form, tenant: tenant, authorization: headers["authorization"])
                }
            } catch {
                return aadReply(error)
            }
        }
        if drop { context.closeConnection(); return .text(.internalServerError, "") }
        return reply.response
    }

    func aadReply(_ e: AADError) -> GraphReply {
        let trace = UUID().uuidString.lowercased(), correlation = UUID().uuidString.lowercased()
        let stamp = GraphFormat.date(now)
        let description = "AADSTS\(e.code): \(e.text) Trace ID: \(trace) Correlation ID: \(correlation) Timestamp: \(stamp)"
        return .json(["error": .string(e.error), "error_description": .string(description), "error_codes": [.int(e.code)],
                      "timestamp": .string(stamp), "trace_id": .string(trace), "correlation_id": .string(correlation),
                      "error_uri": .string("\(root)/error?code=\(e.code)")], status: e.status)
    }

    func openIDConfiguration(_ tenant: String) -> GraphReply {
        let t = "\(root)/\(tenant)"
        return .json(["issuer": .string("\(root)/\(tenantID)/v2.0"), "authorization_endpoint": .string("\(t)/oauth2/v2.0/authorize"),
                      "token_endpoint": .string("\(t)/oauth2/v2.0/token"), "jwks_uri": .string("\(t)/discovery/v2.0/keys"),
                      "response_types_supported": ["code"], "tenant_region_scope": "EU",
                      "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"]])
    }

    // MARK: authorize

    struct AuthorizeRequest { var clientID, redirectURI, scope: String, state: String?, challenge, method, userID: String }

    func validateAuthorize(_ q: [(String, String)]) throws(AADError) -> AuthorizeRequest {
        func p(_ n: String) -> String? { q.last { $0.0 == n }?.1 }
        guard let clientID = p("client_id"), let client = oauth.client(clientID) else {
            throw AADError(error: "unauthorized_client", code: 700016, text: "Application with identifier '\(p("client_id") ?? "")' was not found in the directory '\(domain)'.")
        }
        guard let redirect = p("redirect_uri"), oauth.redirectAllowed(redirect, client: client) else {
            throw AADError(error: "invalid_request", code: 50011, text: "The redirect URI '\(p("redirect_uri") ?? "")' specified in the request does not match the redirect URIs configured for the application '\(clientID)'.")
        }
        guard p("response_type") == "code" else { throw AADError(error: "unsupported_response_type", code: 900144, text: "The request body must contain the following parameter: 'response_type'.") }
        guard let scope = p("scope"), !scope.isEmpty else { throw AADError(error: "invalid_request", code: 900144, text: "The request body must contain the following parameter: 'scope'.") }
        let challenge = p("code_challenge") ?? "", method = p("code_challenge_method") ?? "plain"
        guard ["S256", "plain"].contains(method), method != "S256" || challenge.isEmpty || challenge.count == 43 else {
            throw AADError(error: "invalid_request", code: 501491, text: "Invalid size of Code_Challenge parameter.")
        }
        let userID = store.with { t in
            p("login_hint").flatMap { t.userID($0) } ?? t.usersInOrder().first { t.mailboxes[$0.id] != nil }?.id
        }
        guard let userID else { throw AADError(error: "invalid_request", code: 50034, text: "The user account does not exist in the directory.") }
        return AuthorizeRequest(clientID: clientID, redirectURI: redirect, scope: scope, state: p("state"), challenge: challenge,
                                method: method, userID: userID)
    }

    func authorize(_ q: [(String, String)], tenant: String) throws(AADError) -> GraphReply {
        let req = try validateAuthorize(q)
        if consent == .autoApprove { return grant(req) }
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
        }
        let upn = store.with { $0.users[req.userID]?.upn } ?? req.userID
        let hidden = q.filter { $0.0 != "login_hint" }.map { "<input type=\"hidden\" name=\"\(esc($0.0))\" value=\"\(esc($0.1))\">" }.joined()
        let html = """
        <!doctype html><html><body><h1>Permissions requested</h1><p>\(esc(upn))</p><p>The app wants: \(esc(req.scope))</p>
        <form method="post" action="/\(esc(tenant))/oauth2/v2.0/authorize/approve">\(hidden)<input type="hidden" name="login_hint" value="\(esc(upn))">
        <button name="decision" value="allow">Accept</button><button name="decision" value="deny">Cancel</button></form></body></html>
        """
        return GraphReply(body: .bytes(Array(html.utf8), contentType: "text/html; charset=utf-8"))
    }

    func approve(_ form: [(String, String)], tenant: String) throws(AADError) -> GraphReply {
        let req = try validateAuthorize(form)
        guard form.last(where: { $0.0 == "decision" })?.1 == "allow" else {
            return redirect(req.redirectURI, [("error", "access_denied"), ("error_description", "AADSTS65004: User declined to consent to access the app.")]
                            + (req.state.map { [("state", $0)] } ?? []))
        }
        return grant(req)
    }

    func grant(_ req: AuthorizeRequest) -> GraphReply {
        let code = oauth.issueCode(client: req.clientID, redirectURI: req.redirectURI, challenge: req.challenge, method: req.method,
                                   account: req.userID, scope: req.scope)
        return redirect(req.redirectURI, [("code", code)] + (req.state.map { [("state", $0)] } ?? []) + [("session_state", UUID().uuidString.lowercased())])
    }

    func redirect(_ uri: String, _ fields: [(String, String)]) -> GraphReply {
        GraphReply(status: 302, headers: [("Location", uri + (uri.contains("?") ? "&" : "?") + FormFields.encode(fields))], body: .empty)
    }
}
