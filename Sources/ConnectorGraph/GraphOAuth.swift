import ConnectorHTTP
import ConnectorKit
import Foundation

/// What a delegated Microsoft sign-in yields. The refresh token is the credential to keep
/// (sealed); it rotates, so each new one replaces the last.
public struct GraphTokens: Sendable, Hashable, Codable {
    public var accessToken: String
    public var refreshToken: String?
    public var expiresAt: Date

    public init(accessToken: String, refreshToken: String?, expiresAt: Date) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
    }
}

/// The Microsoft identity platform v2: authorization code with PKCE (delegated), client
/// credentials (app-only, a whole tenant), refresh with rotation.
public enum GraphOAuth {
    /// Where to send the user's browser; the answer comes to `redirectURI` with `code` and `state`.
    public static func authorizationURL(
        _ settings: GraphSettings, redirectURI: String, state: String, pkce: PKCE, loginHint: String? = nil
    ) -> URL {
        var c = URLComponents(url: settings.authorizationURL, resolvingAgainstBaseURL: false)!
        c.queryItems = [
            .init(name: "client_id", value: settings.clientID), .init(name: "response_type", value: "code"),
            .init(name: "redirect_uri", value: redirectURI), .init(name: "response_mode", value: "query"),
            .init(name: "scope", value: GraphSettings.delegatedScope), .init(name: "state", value: state),
            .init(name: "code_challenge", value: pkce.challenge), .init(name: "code_challenge_method", value: "S256"),
        ] + (loginHint.map { [.init(name: "login_hint", value: $0)] } ?? [])
        return c.url!
    }

    public static func exchange(
        code: String, pkce: PKCE, redirectURI: String, _ settings: GraphSettings, http: HTTPClient, now: Date = Date()
    ) async throws -> GraphTokens {
        let answer = try await post(settings, http, [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("code_verifier", pkce.verifier), ("scope", GraphSettings.delegatedScope),
        ])
        guard answer.refresh_token != nil else {
            throw ConnectorError(.protocolViolation, "Microsoft gave no refresh token; the app must be allowed offline_access")
        }
        return tokens(answer, now: now)
    }

    /// A new access token; the refresh token Microsoft rotated in with it (or the old one).
    public static func refresh(_ refreshToken: String, _ settings: GraphSettings, http: HTTPClient, now: Date = Date())
        async throws -> GraphTokens
    {
        var t = tokens(try await post(settings, http, [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("scope", GraphSettings.delegatedScope),
        ]), now: now)
        t.refreshToken = t.refreshToken ?? refreshToken
        return t
    }

    /// App-only: a token for every mailbox the admin consented to (no refresh token: ask again).
    public static func appToken(_ settings: GraphSettings, http: HTTPClient, now: Date = Date()) async throws -> GraphTokens {
        guard settings.clientSecret != nil else {
            throw ConnectorError(.misconfigured, "app-only sign-in needs the app's client secret")
        }
        return tokens(try await post(settings, http, [
            ("grant_type", "client_credentials"), ("scope", GraphSettings.appScope),
        ]), now: now)
    }

    private static func tokens(_ a: OAuthToken.Answer, now: Date) -> GraphTokens {
        GraphTokens(accessToken: a.access_token, refreshToken: a.refresh_token,
                    expiresAt: now.addingTimeInterval(Double(a.expires_in ?? 3600)))
    }

    private static func post(_ settings: GraphSettings, _ http: HTTPClient, _ form: [(String, String)]) async throws
        -> OAuthToken.Answer
    {
        try await OAuthToken.post(
            settings.tokenURL, form, clientID: settings.clientID, clientSecret: settings.clientSecret, provider: "Microsoft",
            http: http)
    }
}

/// The access token a spoke sends: refreshed a minute before it expires or when Graph refuses
/// it. Delegated tokens come from the refresh token (a rotated one goes to `onRotate`, to be
/// sealed and stored); app-only tokens from the client secret (each new one goes to
/// `onAppToken`, so the next process can use it while it lasts instead of asking again).
public actor GraphTokenSource {
    private var tokens: GraphTokens
    private let settings: GraphSettings
    private let http: HTTPClient
    private let now: @Sendable () -> Date
    private let onRotate: @Sendable (GraphTokens) async -> Void
    private let onAppToken: @Sendable (GraphTokens) async -> Void

    /// `refreshToken` nil: app-only (client credentials).
    public init(
        refreshToken: String?, settings: GraphSettings, http: HTTPClient, now: @escaping @Sendable () -> Date = { Date() },
        onRotate: @escaping @Sendable (GraphTokens) async -> Void = { _ in },
        onAppToken: @escaping @Sendable (GraphTokens) async -> Void = { _ in }
    ) {
        self.init(tokens: GraphTokens(accessToken: "", refreshToken: refreshToken, expiresAt: .distantPast), settings: settings,
                  http: http, now: now, onRotate: onRotate, onAppToken: onAppToken)
    }

    /// Starting from a sign-in's tokens (or an app-only token kept from an earlier run): its
    /// access token is used while it lasts, so setting a spoke up right after signing in does
    /// not spend (rotate) the refresh token, and a sync does not ask for a new app token.
    public init(
        tokens: GraphTokens, settings: GraphSettings, http: HTTPClient, now: @escaping @Sendable () -> Date = { Date() },
        onRotate: @escaping @Sendable (GraphTokens) async -> Void = { _ in },
        onAppToken: @escaping @Sendable (GraphTokens) async -> Void = { _ in }
    ) {
        self.tokens = tokens
        self.settings = settings
        self.http = http
        self.now = now
        self.onRotate = onRotate
        self.onAppToken = onAppToken
    }

    public func token(rejected: String?) async throws -> String {
        if rejected == tokens.accessToken || tokens.expiresAt.timeIntervalSince(now()) < 60 {
            if let refresh = tokens.refreshToken {
                let fresh = try await GraphOAuth.refresh(refresh, settings, http: http, now: now())
                tokens = fresh
                if fresh.refreshToken != refresh { await onRotate(fresh) }
            } else {
                tokens = try await GraphOAuth.appToken(settings, http: http, now: now())
                await onAppToken(tokens)
            }
        }
        return tokens.accessToken
    }

    /// For an `HTTPClient`.
    public nonisolated var auth: HTTPAuth { .bearer { [self] rejected in try await self.token(rejected: rejected) } }
}
