import Crypto
import Foundation
import Synchronization

/// An OAuth 2.0 authorization server (Google's and Microsoft's emulators), reduced to what installed apps use: the code flow with
/// PKCE, refresh tokens, expiring access tokens and revocation. All state sits behind one lock.
final class OAuthServer: Sendable {
    struct Client: Sendable {
        var secret: String
        /// Exact redirect URIs; empty: any loopback URI (Google's rule for desktop clients).
        var redirectURIs: [String]
        var accounts: [String]
    }
    struct Code: Sendable {
        var client: String, redirectURI: String, challenge: String, method: String
        var account: String, scope: String, expires: Date
    }
    struct Access: Sendable { var account: String, scope: String, expires: Date }
    struct Refresh: Sendable { var account: String, client: String, scope: String, revoked = false }
    struct State: Sendable {
        var clients: [String: Client] = [:]
        var codes: [String: Code] = [:]
        var access: [String: Access] = [:]
        var refresh: [String: Refresh] = [:]
    }

    /// What the token endpoint answers: a JSON body and its status.
    struct TokenError: Error { var status: Int, error: String, description: String }

    let state = Mutex(State())
    let now: @Sendable () -> Date
    let accessLifetime = Mutex<Int>(3599)

    /// Token prefixes, so tokens look like the real service's (Google: `4/0A`, `ya29.a0`, `1//0g`).
    let prefixes: (code: String, access: String, refresh: String)

    init(now: @escaping @Sendable () -> Date, prefixes: (code: String, access: String, refresh: String) = ("4/0A", "ya29.a0", "1//0g")) {
        self.now = now
        self.prefixes = prefixes
    }

    func addClient(_ id: String, secret: String, account: String, redirectURIs: [String]) {
        state.withLock { st in
            var client = st.clients[id] ?? Client(secret: secret, redirectURIs: [], accounts: [])
            client.secret = secret
            client.redirectURIs += redirectURIs.filter { !client.redirectURIs.contains($0) }
            if !client.accounts.contains(account) { client.accounts.append(account) }
            st.clients[id] = client
        }
    }

    func client(_ id: String) -> Client? { state.withLock { $0.clients[id] } }

    static func isLoopback(_ uri: String) -> Bool {
        guard let url = URLComponents(string: uri), url.scheme == "http" else { return false }
        return ["127.0.0.1", "localhost", "[::1]", "::1"].contains(url.host ?? "")
    }

    func redirectAllowed(_ uri: String, client: Client) -> Bool {
        client.redirectURIs.isEmpty ? Self.isLoopback(uri) : client.redirectURIs.contains(uri)
    }

    static func random(_ prefix: String, _ bytes: Int = 24) -> String {
        prefix + Data((0..<bytes).map { _ in UInt8.random(in: 0...255) }).base64URL
    }

    func issueCode(client: String, redirectURI: String, challenge: String, method: String, account: String,
                   scope: String) -> String {
        let code = Self.random(prefixes.code)
        state.withLock {
            $0.codes[code] = Code(client: client, redirectURI: redirectURI, challenge: challenge, method: method,
                                  account: account, scope: scope, expires: now().addingTimeInterval(600))
        }
        return code
    }

    /// Issues an access token (and a refresh token when `withRefresh`).
    func issue(account: String, client: String, scope: String, withRefresh: Bool) -> (access: String, refresh: String?) {
        let access = Self.random(prefixes.access), refresh = withRefresh ? Self.random(prefixes.refresh) : nil
        let lifetime = accessLifetime.withLock { $0 }
        state.withLock { st in
            st.access[access] = Access(account: account, scope: scope, expires: now().addingTimeInterval(TimeInterval(lifetime)))
            if let refresh { st.refresh[refresh] = Refresh(account: account, client: client, scope: scope) }
        }
        return (access, refresh)
    }

    /// `authorization_code` grant: one-time code, same client and redirect URI, PKCE verifier.
    func redeem(code: String, client: String, redirectURI: String?, verifier: String?) throws(TokenError) -> Code {
        let entry = state.withLock { $0.codes.removeValue(forKey: code) }  // one-time, even when the rest fails
        guard let entry, entry.client == client, entry.expires > now() else {
            throw TokenError(status: 400, error: "invalid_grant", description: "Bad Request")
        }
        guard redirectURI == entry.redirectURI else {
            throw TokenError(status: 400, error: "redirect_uri_mismatch", description: "Bad Request")
        }
        if !entry.challenge.isEmpty {
            guard let verifier, !verifier.isEmpty else {
                throw TokenError(status: 400, error: "invalid_grant", description: "Missing code verifier.")
            }
            let computed = entry.method == "plain" ? verifier : Data(SHA256.hash(data: Data(verifier.utf8))).base64URL
            guard computed == entry.challenge else {
                throw TokenError(status: 400, error: "invalid_grant", description: "Invalid code verifier.")
            }
        }
        return entry
    }

    func refreshEntry(_ token: String, client: String) throws(TokenError) -> Refresh {
        guard let entry = state.withLock({ $0.refresh[token] }), entry.client == client, !entry.revoked else {
            throw TokenError(status: 400, error: "invalid_grant", description: "Token has been expired or revoked.")
        }
        return entry
    }

    enum Check { case ok(account: String, scope: String), expired, unknown }

    func check(accessToken: String) -> Check {
        guard let a = state.withLock({ $0.access[accessToken] }) else { return .unknown }
        return a.expires > now() ? .ok(account: a.account, scope: a.scope) : .expired
    }

    func expireAccessTokens() {
        let past = now().addingTimeInterval(-1)
        state.withLock { st in for k in st.access.keys { st.access[k]!.expires = past } }
    }

    /// Revokes refresh tokens (all, or one account's) and the access tokens issued from them.
    func revokeRefreshTokens(account: String? = nil) {
        state.withLock { st in
            for (k, v) in st.refresh where account == nil || v.account == account { st.refresh[k]!.revoked = true }
            st.access = st.access.filter { account != nil && $0.value.account != account }
        }
    }

    /// `/revoke`: either kind of token.
    func revoke(token: String) -> Bool {
        state.withLock { st in
            if st.access.removeValue(forKey: token) != nil { return true }
            guard st.refresh[token] != nil else { return false }
            st.refresh[token]!.revoked = true
            return true
        }
    }
}

extension Data {
    /// base64url without padding (PKCE, tokens).
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
