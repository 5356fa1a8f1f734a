import ArgumentParser
import ConnectorGoogle
import ConnectorHTTP
import Foundation
import HubServer
import Logging
import Secrets
import SyncModel

/// The OAuth client HubSync signs in to Google with (`spoke add` flags, `serve` options), and
/// where Google is (another base URL: the People API emulator).
struct GoogleClientInput: Sendable {
    var clientID: String?
    var clientSecret: String?
    var endpoint: String?

    /// Flags first, then `HUBSYNC_GOOGLE_CLIENT_ID` / `_SECRET`.
    static func from(id: String?, secret: String?, endpoint: String?,
                     environment: [String: String] = ProcessInfo.processInfo.environment) -> GoogleClientInput {
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        return GoogleClientInput(
            clientID: nonEmpty(id) ?? nonEmpty(environment["HUBSYNC_GOOGLE_CLIENT_ID"]),
            clientSecret: nonEmpty(secret) ?? nonEmpty(environment["HUBSYNC_GOOGLE_CLIENT_SECRET"]), endpoint: nonEmpty(endpoint))
    }

    func settings() throws -> GoogleSettings {
        guard let id = clientID else {
            throw CLIError("a Google spoke needs --client-id (an OAuth client of type Desktop in Google Cloud)")
        }
        guard let endpoint else { return GoogleSettings(clientID: id, clientSecret: clientSecret) }
        guard let base = URL(string: endpoint), base.host != nil else {
            throw CLIError("--google-endpoint \(endpoint) is not a URL")
        }
        return .emulator(base, clientID: id, clientSecret: clientSecret)
    }
}

/// The Google flags of `spoke add`.
struct GoogleFlags: ParsableArguments {
    @Option(help: "Google or Microsoft 365: the OAuth client id (else $HUBSYNC_GOOGLE_CLIENT_ID or $HUBSYNC_M365_CLIENT_ID).")
    var clientId: String?
    @Option(help: "Google or Microsoft 365: the OAuth client secret (else $HUBSYNC_GOOGLE_CLIENT_SECRET or $HUBSYNC_M365_CLIENT_SECRET). Stored encrypted.")
    var clientSecret: String?
    @Option(help: "Google: the account to sign in as (a hint for the sign-in page).") var googleAccount: String?
    @Option(help: "Google: another People API and OAuth base URL (an emulator).") var googleEndpoint: String?
    @Option(help: "Google: open the sign-in URL with this command instead of printing it (e.g. xdg-open).")
    var openWith: String?

    var client: GoogleClientInput { .from(id: clientId, secret: clientSecret, endpoint: googleEndpoint) }
}

enum GoogleSetup {
    static func client(logger: Logger = HTTPClient.silent) -> HTTPClient {
        HTTPClient(transport: AHCTransport.shared(), retry: GoogleSpoke.retryPolicy(), logger: logger)
    }

    /// Sign in with Google from the CLI: PKCE, the browser, a loopback redirect, then the code
    /// for tokens.
    static func signIn(_ flags: GoogleFlags, logger: Logger = HTTPClient.silent) async throws -> (GoogleSettings, SignedIn) {
        let settings = try flags.client.settings()
        let pkce = PKCE()
        let (code, redirectURI) = try await LoopbackRedirect.code(provider: .google, openWith: flags.openWith) { redirect, state in
            GoogleOAuth.authorizationURL(settings, redirectURI: redirect, state: state, pkce: pkce, loginHint: flags.googleAccount)
        }
        return (settings, try await redeem(code: code, pkce: pkce, redirectURI: redirectURI, settings, logger: logger))
    }

    struct SignedIn {
        var tokens: GoogleTokens
        /// The account signed in to, when Google says.
        var account: String?
    }

    /// The code of a sign-in's redirect for tokens (CLI and web app alike), and the account.
    static func redeem(
        code: String, pkce: PKCE, redirectURI: String, _ settings: GoogleSettings, logger: Logger = HTTPClient.silent
    ) async throws -> SignedIn {
        let http = client(logger: logger)
        let tokens = try await GoogleOAuth.exchange(code: code, pkce: pkce, redirectURI: redirectURI, settings, http: http)
        let account = await GoogleOAuth.account(accessToken: tokens.accessToken, settings, http: http)
        return SignedIn(tokens: tokens, account: account)
    }

    static func store(_ settings: GoogleSettings, _ signedIn: SignedIn, secrets: SecretBox) throws -> [String: String] {
        var s = [
            "google.clientID": settings.clientID, "google.api": settings.apiBase.absoluteString,
            "google.token": settings.tokenURL.absoluteString, "google.auth": settings.authorizationURL.absoluteString,
            "google.refreshToken": try secrets.seal(signedIn.tokens.refreshToken),
        ]
        if let secret = settings.clientSecret { s["google.clientSecret"] = try secrets.seal(secret) }
        if let account = signedIn.account { s["google.account"] = account }
        return s
    }

    /// The spoke's connector from its stored settings; the first request refreshes the access token.
    /// A refresh token Google rotates is sealed and handed to `store` (the old one stops working).
    static func connector(
        _ spoke: SpokeConfig, secrets: () throws -> SecretBox, logger: Logger,
        store: @escaping @Sendable (_ key: String, _ sealed: String) -> Void
    ) throws -> GoogleSpoke {
        let s = spoke.settings
        guard let id = s["google.clientID"], let api = s["google.api"].flatMap(URL.init(string:)),
            let token = s["google.token"].flatMap(URL.init(string:)),
            let auth = s["google.auth"].flatMap(URL.init(string:)), let refresh = s["google.refreshToken"]
        else { throw CLIError("spoke \(spoke.id) is not signed in to Google; add it again") }
        let box = try secrets()
        let settings = GoogleSettings(
            clientID: id, clientSecret: try s["google.clientSecret"].map { try box.open($0) }, apiBase: api, tokenURL: token,
            authorizationURL: auth)
        let first = try box.open(refresh)
        let source = GoogleTokenSource(
            tokens: GoogleTokens(accessToken: "", refreshToken: first, expiresAt: .distantPast),
            settings: settings, http: client(logger: logger),
            onRotate: { fresh in
                if fresh.refreshToken != first, let sealed = try? box.seal(fresh.refreshToken) {
                    store("google.refreshToken", sealed)
                }
            })
        return GoogleSpoke(
            settings: settings,
            http: HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: GoogleSpoke.retryPolicy(), logger: logger),
            logger: logger)
    }
}
