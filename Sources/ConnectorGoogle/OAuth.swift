import ConnectorHTTP
import ConnectorKit
import Foundation

/// What a Google sign-in yields. The refresh token is the credential to keep (sealed); the
/// access token lives an hour.
public struct GoogleTokens: Sendable, Hashable, Codable {
    public var accessToken: String
    public var refreshToken: String
    public var expiresAt: Date

    public init(accessToken: String, refreshToken: String, expiresAt: Date) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
    }
}

/// OAuth 2.0 authorization code flow with PKCE (RFC 6749, 7636) against Google's endpoints.
public enum GoogleOAuth {
    /// Where to send the user's browser. The answer comes to `redirectURI` with `code` and `state`.
    public static func authorizationURL(
        _ settings: GoogleSettings, redirectURI: String, state: String, pkce: PKCE, loginHint: String? = nil
    ) -> URL {
        var c = URLComponents(url: settings.authorizationURL, resolvingAgainstBaseURL: false)!
        c.queryItems = [
            .init(name: "client_id", value: settings.clientID), .init(name: "redirect_uri", value: redirectURI),
            .init(name: "response_type", value: "code"), .init(name: "scope", value: GoogleSettings.scope),
            .init(name: "state", value: state), .init(name: "code_challenge", value: pkce.challenge),
            .init(name: "code_challenge_method", value: "S256"),
            // A refresh token, and again on a second sign-in (Google gives one only with consent).
            .init(name: "access_type", value: "offline"), .init(name: "prompt", value: "consent"),
        ] + (loginHint.map { [.init(name: "login_hint", value: $0)] } ?? [])
        return c.url!
    }

    public static func exchange(
        code: String, pkce: PKCE, redirectURI: String, _ settings: GoogleSettings, http: ConnectorHTTPClient,
        now: Date = Date()
    ) async throws -> GoogleTokens {
        let answer = try await post(settings, http, [
            ("grant_type", "authorization_code"), ("code", code), ("code_verifier", pkce.verifier),
            ("redirect_uri", redirectURI),
        ])
        guard let refresh = answer.refresh_token else {
            throw ConnectorError(.protocolViolation, "Google gave no refresh token; sign in again with consent")
        }
        return GoogleTokens(accessToken: answer.access_token, refreshToken: refresh,
                            expiresAt: now.addingTimeInterval(Double(answer.expires_in ?? 3600)))
    }

    /// A new access token (and the refresh token, rotated if Google rotated it).
    public static func refresh(
        _ refreshToken: String, _ settings: GoogleSettings, http: ConnectorHTTPClient, now: Date = Date()
    ) async throws -> GoogleTokens {
        let answer = try await post(settings, http, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)])
        return GoogleTokens(accessToken: answer.access_token, refreshToken: answer.refresh_token ?? refreshToken,
                            expiresAt: now.addingTimeInterval(Double(answer.expires_in ?? 3600)))
    }

    private static func post(_ settings: GoogleSettings, _ http: ConnectorHTTPClient, _ form: [(String, String)])
        async throws -> OAuthToken.Answer
    {
        try await OAuthToken.post(
            settings.tokenURL, form, clientID: settings.clientID, clientSecret: settings.clientSecret, provider: "Google",
            http: http)
    }

    static func formEncoded(_ fields: [(String, String)]) -> String { OAuthToken.formEncoded(fields) }
}

/// The access token a spoke sends, refreshed a minute before it expires or when Google refuses
/// it. A rotated refresh token is handed to `onRotate` so it can be sealed and stored.
public actor GoogleTokenSource {
    private var tokens: GoogleTokens
    private let settings: GoogleSettings
    private let http: ConnectorHTTPClient
    private let now: @Sendable () -> Date
    private let onRotate: @Sendable (GoogleTokens) async -> Void

    public init(
        tokens: GoogleTokens, settings: GoogleSettings, http: ConnectorHTTPClient,
        now: @escaping @Sendable () -> Date = { Date() }, onRotate: @escaping @Sendable (GoogleTokens) async -> Void = { _ in }
    ) {
        self.tokens = tokens
        self.settings = settings
        self.http = http
        self.now = now
        self.onRotate = onRotate
    }

    public func token(rejected: String?) async throws -> String {
        if rejected == tokens.accessToken || tokens.expiresAt.timeIntervalSince(now()) < 60 {
            let fresh = try await GoogleOAuth.refresh(tokens.refreshToken, settings, http: http, now: now())
            tokens = fresh
            await onRotate(fresh)
        }
        return tokens.accessToken
    }

    /// For an `HTTPClient`.
    public nonisolated var auth: HTTPAuth { .bearer { [self] rejected in try await self.token(rejected: rejected) } }
}
