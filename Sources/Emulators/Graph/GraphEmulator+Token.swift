import Foundation

/// `/{tenant}/oauth2/v2.0/token`: authorization_code (+PKCE), refresh_token (rotating) and
/// client_credentials (scope must be `https://graph.microsoft.com/.default`, else AADSTS1002012).
extension GraphEmulator {
    func token(_ form: [(String, String)], tenant: String, authorization: String?) throws(AADError) -> GraphReply {
        func p(_ n: String) -> String? { form.last { $0.0 == n }?.1 }
        var clientID = p("client_id"), secret = p("client_secret")
        if let authorization, authorization.lowercased().hasPrefix("basic "),
           let decoded = Data(base64Encoded: String(authorization.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
           let colon = decoded.firstIndex(of: ":") {
            clientID = String(decoded[..<colon]).removingPercentEncoding
            secret = String(decoded[decoded.index(after: colon)...]).removingPercentEncoding
        }
        guard let clientID, let client = oauth.client(clientID) else {
            throw AADError(error: "unauthorized_client", code: 700016,
                           text: "Application with identifier '\(clientID ?? "")' was not found in the directory '\(domain)'.")
        }
        let grant = p("grant_type") ?? ""
        // A public client may redeem a code or refresh without a secret; a wrong secret never passes.
        if let secret, secret != client.secret {
            throw AADError(status: 401, error: "invalid_client", code: 7000215, text: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(clientID)'.")
        }
        switch grant {
        case "authorization_code":
            let code: OAuthServer.Code
            do throws(OAuthServer.TokenError) {
                code = try oauth.redeem(code: p("code") ?? "", client: clientID, redirectURI: p("redirect_uri"), verifier: p("code_verifier"))
            } catch {
                if error.error == "redirect_uri_mismatch" {
                    throw AADError(error: "invalid_grant", code: 50011, text: "The redirect URI specified in the request does not match the redirect URI used to obtain the authorization code.")
                }
                if error.description.contains("verifier") {
                    throw AADError(error: "invalid_grant", code: 501481, text: "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
                }
                throw AADError(error: "invalid_grant", code: 70008, text: "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
            }
            return tokens(account: code.account, client: clientID, scope: code.scope)
        case "refresh_token":
            let used = p("refresh_token") ?? ""
            let entry: OAuthServer.Refresh
            do throws(OAuthServer.TokenError) { entry = try oauth.refreshEntry(used, client: clientID) } catch {
                throw AADError(error: "invalid_grant", code: 70008, text: "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
            }
            let reply = tokens(account: entry.account, client: clientID, scope: entry.scope, forceRefresh: true)
            if rotateRefreshTokens { _ = oauth.revoke(token: used) }
            return reply
        case "client_credentials":
            guard secret != nil else {
                throw AADError(status: 401, error: "invalid_client", code: 7000218, text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
            }
            let scope = p("scope") ?? ""
            guard scope == Self.defaultScope else {
                throw AADError(error: "invalid_scope", code: 1002012, text: "The provided value for scope \(scope) is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
            }
            guard !["common", "organizations"].contains(tenant.lowercased()) else {
                throw AADError(error: "invalid_request", code: 700016, text: "Use a tenant-specific endpoint for the client credentials flow.")
            }
            return tokens(account: "", client: clientID, scope: scope)
        default:
            throw AADError(error: "unsupported_grant_type", code: 70003, text: "The app requested an unsupported grant type '\(grant)'.")
        }
    }

    /// The token answer. A refresh token comes only with `offline_access` (or on a refresh), an
    /// id_token only with `openid`.
    func tokens(account: String, client: String, scope: String, forceRefresh: Bool = false) -> GraphReply {
        let scopes = scope.split(separator: " ").map(String.init)
        let withRefresh = !account.isEmpty && (forceRefresh || scopes.contains("offline_access"))
        let t = oauth.issue(account: account, client: client, scope: scope, withRefresh: withRefresh)
        let lifetime = accessTokenLifetime
        var o: [String: JSONValue] = ["token_type": "Bearer", "expires_in": .int(lifetime), "ext_expires_in": .int(lifetime),
                                      "access_token": .string(t.access)]
        if !account.isEmpty {
            o["scope"] = .string(scopes.filter { !["offline_access", "openid", "profile", "email"].contains($0) }.joined(separator: " "))
        }
        if let refresh = t.refresh { o["refresh_token"] = .string(refresh) }
        if scopes.contains("openid"), !account.isEmpty { o["id_token"] = .string(idToken(account: account, client: client)) }
        return .json(.object(o))
    }

    /// An unsigned-looking JWT with the claims clients read (`tid`, `oid`, `preferred_username`).
    func idToken(account: String, client: String) -> String {
        let user = store.with { $0.users[account] }
        let iat = Int(now.timeIntervalSince1970)
        let payload: JSONValue = ["aud": .string(client), "iss": .string("\(root)/\(tenantID)/v2.0"), "iat": .int(iat), "nbf": .int(iat),
                                  "exp": .int(iat + 3600), "tid": .string(tenantID), "oid": .string(account), "ver": "2.0",
                                  "preferred_username": .string(user?.upn ?? account),
                                  "name": user?.fields["displayName"] ?? .string(account)]
        let header: JSONValue = ["typ": "JWT", "alg": "RS256", "kid": "emulator"]
        return [header.serialized, payload.serialized].map { Data($0.utf8).base64URL }.joined(separator: ".") + "." + Data(GraphIds.random(32)).base64URL
    }
}
