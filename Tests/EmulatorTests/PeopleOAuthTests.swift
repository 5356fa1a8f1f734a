import Emulators
import Foundation
import Testing

/// Google's OAuth endpoints of the People emulator, driven with raw HTTP.
@Suite struct PeopleOAuthTests {
    typealias F = PeopleFixture
    static let redirect = "http://127.0.0.1:53682/callback"

    func authorize(_ fx: F, challenge: String?, extra: [(String, String)] = []) async throws -> JSONResult {
        var q = [("client_id", F.clientID), ("redirect_uri", Self.redirect), ("response_type", "code"),
                 ("scope", PeopleEmulator.contactsScope), ("state", "st-42"), ("access_type", "offline")]
        if let challenge { q += [("code_challenge", challenge), ("code_challenge_method", "S256")] }
        return try await peopleHTTP("GET", fx.base, "/o/oauth2/v2/auth", q + extra, body: nil, headers: [])
    }

    func exchange(_ fx: F, code: String, verifier: String) async throws -> JSONResult {
        try await fx.form("/token", [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Self.redirect),
                                     ("client_id", F.clientID), ("client_secret", F.secret), ("code_verifier", verifier)])
    }

    @Test func pkceCodeFlowEndToEnd() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let (verifier, challenge) = pkcePair()
        let auth = try await authorize(fx, challenge: challenge)
        #expect(auth.status == 302)
        let location = try #require(auth.header("Location").first)
        #expect(location.hasPrefix(Self.redirect + "?"))
        let items = queryItems(location)
        #expect(items["state"] == "st-42")
        let code = try #require(items["code"])

        let token = try await exchange(fx, code: code, verifier: verifier)
        #expect(token.status == 200)
        let access = try #require(token.json["access_token"]?.string)
        let refresh = try #require(token.json["refresh_token"]?.string)
        #expect(token.json["expires_in"]?.int == 3599 && token.json["token_type"]?.string == "Bearer")
        #expect(token.json["scope"]?.string == PeopleEmulator.contactsScope)
        #expect(try await fx.api("GET", "/v1/people/me/connections", [("personFields", "names")], token: access).status == 200)

        // Codes are one-time.
        let again = try await exchange(fx, code: code, verifier: verifier)
        #expect(again.status == 400 && again.json["error"]?.string == "invalid_grant")

        // Refresh: a new access token, no new refresh token (Google does not rotate them).
        let refreshed = try await fx.form("/token", [("grant_type", "refresh_token"), ("refresh_token", refresh),
                                                     ("client_id", F.clientID), ("client_secret", F.secret)])
        #expect(refreshed.status == 200 && refreshed.json["refresh_token"] == nil)
        let access2 = try #require(refreshed.json["access_token"]?.string)
        #expect(access2 != access)
        #expect(try await fx.api("GET", "/v1/people/me", [("personFields", "names")], token: access2).status == 200)
        #expect(fx.g.requestCount("oauth.token.authorization_code") == 2 && fx.g.requestCount("oauth.token.refresh_token") == 1)

        // Revoked refresh tokens: invalid_grant, and their access tokens stop working.
        fx.g.revokeRefreshTokens(for: F.email)
        let revoked = try await fx.form("/token", [("grant_type", "refresh_token"), ("refresh_token", refresh),
                                                   ("client_id", F.clientID), ("client_secret", F.secret)])
        #expect(revoked.status == 400 && revoked.json["error"]?.string == "invalid_grant")
        #expect(revoked.json["error_description"]?.string == "Token has been expired or revoked.")
        #expect(try await fx.api("GET", "/v1/people/me", [("personFields", "names")], token: access2).status == 401)
    }

    @Test func wrongVerifierAndBadRequestsRefused() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        let (_, challenge) = pkcePair()
        let code = try #require(queryItems(try await authorize(fx, challenge: challenge).header("Location")[0])["code"])
        let wrong = try await exchange(fx, code: code, verifier: pkcePair().verifier)
        #expect(wrong.status == 400 && wrong.json["error"]?.string == "invalid_grant")
        #expect(wrong.json["error_description"]?.string == "Invalid code verifier.")

        // Without PKCE: an error redirect (state kept).
        let noPKCE = try await authorize(fx, challenge: nil)
        let items = queryItems(try #require(noPKCE.header("Location").first))
        #expect(noPKCE.status == 302 && items["error"] == "invalid_request" && items["state"] == "st-42" && items["code"] == nil)

        // Unknown client and foreign redirect URIs never redirect.
        let badClient = try await peopleHTTP("GET", fx.base, "/o/oauth2/v2/auth", [("client_id", "nope"), ("redirect_uri", Self.redirect),
                                                                                 ("response_type", "code"), ("scope", "x")], body: nil, headers: [])
        #expect(badClient.status == 401 && badClient.body.contains("invalid_client"))
        let badRedirect = try await peopleHTTP("GET", fx.base, "/o/oauth2/v2/auth", [("client_id", F.clientID), ("redirect_uri", "https://evil.example/cb"),
                                                                                   ("response_type", "code"), ("scope", "x")], body: nil, headers: [])
        #expect(badRedirect.status == 400 && badRedirect.body.contains("redirect_uri_mismatch"))

        let badSecret = try await fx.form("/token", [("grant_type", "refresh_token"), ("refresh_token", fx.refresh),
                                                     ("client_id", F.clientID), ("client_secret", "wrong")])
        #expect(badSecret.status == 401 && badSecret.json["error"]?.string == "invalid_client")
    }

    @Test func consentPageAllowPostsBack() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        fx.g.consent = .consentPage
        let (verifier, challenge) = pkcePair()
        let page = try await authorize(fx, challenge: challenge)
        #expect(page.status == 200 && page.body.contains("name=\"decision\" value=\"allow\""))
        var fields = [("client_id", F.clientID), ("redirect_uri", Self.redirect), ("response_type", "code"),
                      ("scope", PeopleEmulator.contactsScope), ("state", "st-42"), ("code_challenge", challenge),
                      ("code_challenge_method", "S256")]
        let denied = try await fx.form("/o/oauth2/v2/auth/approve", fields + [("decision", "deny")])
        #expect(queryItems(denied.header("Location")[0])["error"] == "access_denied")
        fields.append(("decision", "allow"))
        let allowed = try await fx.form("/o/oauth2/v2/auth/approve", fields)
        let code = try #require(queryItems(allowed.header("Location")[0])["code"])
        #expect(try await exchange(fx, code: code, verifier: verifier).status == 200)
    }

    @Test func expiredAccessTokenGets401() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        #expect(try await fx.api("GET", "/v1/people/me/connections", [("personFields", "names")]).status == 200)
        fx.g.expireAccessTokens()
        let r = try await fx.api("GET", "/v1/people/me/connections", [("personFields", "names")])
        #expect(r.status == 401 && r.errorStatus == "UNAUTHENTICATED" && r.errorReason == "ACCESS_TOKEN_EXPIRED")
        #expect(r.json["error"]?["code"]?.int == 401)
        #expect(r.header("WWW-Authenticate").first?.hasPrefix("Bearer ") == true)
        // The clock: a fresh token dies after its lifetime.
        let (fresh, _) = fx.g.issueTokens(for: F.email)
        #expect(try await fx.api("GET", "/v1/people/me", [("personFields", "names")], token: fresh).status == 200)
        fx.g.advanceClock(by: 3600)
        #expect(try await fx.api("GET", "/v1/people/me", [("personFields", "names")], token: fresh).status == 401)
        let unknown = try await fx.api("GET", "/v1/people/me", [("personFields", "names")], token: "ya29.bogus")
        #expect(unknown.status == 401 && unknown.errorStatus == "UNAUTHENTICATED")
        // A read-only token cannot write.
        let (ro, _) = fx.g.issueTokens(for: F.email, scope: "https://www.googleapis.com/auth/contacts.readonly")
        let write = try await fx.api("POST", "/v1/people:createContact", json: ["names": [["givenName": "X"]]], token: ro)
        #expect(write.status == 403 && write.errorReason == "ACCESS_TOKEN_SCOPE_INSUFFICIENT")
    }
}
