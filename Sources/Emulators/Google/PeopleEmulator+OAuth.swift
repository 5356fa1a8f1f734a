import Foundation
import Hummingbird

/// Google's OAuth endpoints: `/o/oauth2/v2/auth` (code flow with PKCE), `/token`, `/revoke`.
extension PeopleEmulator {
    enum Validated { case success(AuthorizeRequest), failure(Response) }

    struct AuthorizeRequest {
        var clientID: String, redirectURI: String, scope: String, state: String?
        var challenge: String, method: String, account: String
    }

    /// Validates an authorization request. Errors Google shows on its own page (unknown client, bad
    /// redirect URI) come back as a page; the others as a redirect with `error=`.
    func validateAuthorize(_ q: [(String, String)]) -> Validated {
        func p(_ n: String) -> String? { q.last { $0.0 == n }?.1 }
        guard let clientID = p("client_id"), let client = oauth.client(clientID) else {
            return .failure(errorPage(401, "invalid_client", "The OAuth client was not found."))
        }
        guard let redirect = p("redirect_uri"), oauth.redirectAllowed(redirect, client: client) else {
            return .failure(errorPage(400, "redirect_uri_mismatch", "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy."))
        }
        let state = p("state")
        func fail(_ error: String, _ description: String) -> Validated {
            .failure(redirectTo(redirect, [("error", error), ("error_description", description)] + (state.map { [("state", $0)] } ?? [])))
        }
        guard p("response_type") == "code" else { return fail("unsupported_response_type", "Invalid response_type.") }
        guard let scope = p("scope"), !scope.isEmpty else { return fail("invalid_request", "Missing required parameter: scope") }
        let challenge = p("code_challenge") ?? ""
        let method = p("code_challenge_method") ?? "plain"
        if challenge.isEmpty, requirePKCE { return fail("invalid_request", "Missing required parameter: code_challenge") }
        guard ["S256", "plain"].contains(method) else { return fail("invalid_request", "Invalid code_challenge_method.") }
        if method == "S256", !challenge.isEmpty, challenge.count != 43 {
            return fail("invalid_request", "Invalid code_challenge.")
        }
        let hinted = p("login_hint").flatMap { hint in client.accounts.first { $0.lowercased() == hint.lowercased() } }
        guard let account = hinted ?? client.accounts.first else { return fail("access_denied", "No account.") }
        return .success(AuthorizeRequest(clientID: clientID, redirectURI: redirect, scope: scope, state: state,
                                         challenge: challenge, method: method, account: account))
    }

    func authorize(_ q: [(String, String)]) -> Response {
        switch validateAuthorize(q) {
        case .failure(let page): return page
        case .success(let req):
            return consent == .autoApprove ? grant(req) : consentPage(q, account: req.account)
        }
    }

    /// The consent page's form post: `decision=allow` issues the code, anything else is access_denied.
    func approve(_ form: [(String, String)]) -> Response {
        switch validateAuthorize(form) {
        case .failure(let page): return page
        case .success(let req):
            guard form.last(where: { $0.0 == "decision" })?.1 == "allow" else {
                return redirectTo(req.redirectURI, [("error", "access_denied")] + (req.state.map { [("state", $0)] } ?? []))
            }
            return grant(req)
        }
    }

    func grant(_ req: AuthorizeRequest) -> Response {
        let code = oauth.issueCode(client: req.clientID, redirectURI: req.redirectURI, challenge: req.challenge,
                                   method: req.method, account: req.account, scope: req.scope)
        var fields = req.state.map { [("state", $0)] } ?? []
        fields += [("code", code), ("scope", req.scope), ("authuser", "0"), ("prompt", "consent")]
        return redirectTo(req.redirectURI, fields)
    }

    func redirectTo(_ uri: String, _ fields: [(String, String)]) -> Response {
        let location = uri + (uri.contains("?") ? "&" : "?") + FormFields.encode(fields)
        return .text(.found, "", contentType: "text/html; charset=utf-8", headers: [("Location", location)])
    }

    func errorPage(_ status: Int, _ error: String, _ text: String) -> Response {
        .text(HTTPResponse.Status(code: status), "<html><body><h1>Access blocked: Authorization Error</h1><p>\(text)</p><p>Error \(status): \(error)</p></body></html>",
              contentType: "text/html; charset=utf-8")
    }

    /// A tiny page with Allow / Deny buttons posting the original parameters back.
    func consentPage(_ q: [(String, String)], account: String) -> Response {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
                .replacingOccurrences(of: "<", with: "&lt;")
        }
        let hidden = q.map { "<input type=\"hidden\" name=\"\(esc($0.0))\" value=\"\(esc($0.1))\">" }.joined()
        let html = """
        <!doctype html><html><body><h1>Sign in as \(esc(account))</h1><p>The app wants to manage your contacts.</p>
        <form method="post" action="/o/oauth2/v2/auth/approve">\(hidden)<input type="hidden" name="login_hint" value="\(esc(account))">
        <button name="decision" value="allow">Allow</button><button name="decision" value="deny">Cancel</button></form></body></html>
        """
        return .text(.ok, html, contentType: "text/html; charset=utf-8")
    }

    /// `/token`: `authorization_code` and `refresh_token` grants; client credentials in the form or Basic.
    func token(_ form: [(String, String)], authorization: String?) -> Response {
        func p(_ n: String) -> String? { form.last { $0.0 == n }?.1 }
        let (clientID, secret) = OAuthServer.clientCredentials(form, authorization: authorization)
        guard let clientID, let client = oauth.client(clientID) else {
            return tokenError(.init(status: 401, error: "invalid_client", description: "The OAuth client was not found."))
        }
        guard secret == client.secret else {
            return tokenError(.init(status: 401, error: "invalid_client", description: "Unauthorized"))
        }
        do throws(OAuthServer.TokenError) {
            switch p("grant_type") {
            case "authorization_code":
                let code = try oauth.redeem(code: p("code") ?? "", client: clientID, redirectURI: p("redirect_uri"),
                                            verifier: p("code_verifier"))
                let t = oauth.issue(account: code.account, client: clientID, scope: code.scope, withRefresh: true)
                return tokenAnswer(access: t.access, refresh: t.refresh, scope: code.scope)
            case "refresh_token":
                let used = p("refresh_token") ?? ""
                let entry = try oauth.refreshEntry(used, client: clientID)
                let rotate = rotateRefreshTokens
                let t = oauth.issue(account: entry.account, client: clientID, scope: entry.scope, withRefresh: rotate)
                if rotate { _ = oauth.revoke(token: used) }
                return tokenAnswer(access: t.access, refresh: t.refresh, scope: entry.scope)
            case let other:
                throw OAuthServer.TokenError(status: 400, error: "unsupported_grant_type",
                                             description: "Invalid grant_type: \(other ?? "")")
            }
        } catch {
            return tokenError(error)
        }
    }

    func tokenAnswer(access: String, refresh: String?, scope: String) -> Response {
        var o: [String: JSONValue] = ["access_token": .string(access), "expires_in": .int(accessTokenLifetime),
                                      "scope": .string(scope), "token_type": "Bearer"]
        if let refresh { o["refresh_token"] = .string(refresh) }
        return .json(.object(o), headers: [("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"), ("Pragma", "no-cache")])
    }

    func tokenError(_ e: OAuthServer.TokenError) -> Response {
        .json(["error": .string(e.error), "error_description": .string(e.description)], status: HTTPResponse.Status(code: e.status))
    }

    func revoke(_ form: [(String, String)]) -> Response {
        let token = form.last { $0.0 == "token" }?.1 ?? ""
        return oauth.revoke(token: token) ? .json([:]) : .json(["error": "invalid_token", "error_description": "Bad Request"], status: .badRequest)
    }

    /// Photo URLs handed out in `photos[].url`.
    func photo(_ path: String) -> Response {
        let parts = path.split(separator: "/").map(String.init)   // photos, c123, version
        guard parts.count >= 2, parts[1] != "default" else {
            return .text(.ok, "", contentType: "image/png")
        }
        let id = String(parts[1].dropFirst())
        let bytes = store.emails.lazy.compactMap { email in self.store.with(email) { $0.persons[id]?.photo } ?? nil }.first
        guard let bytes else { return .text(.notFound, "Not Found", contentType: "text/plain") }
        return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
