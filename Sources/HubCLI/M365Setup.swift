import ArgumentParser
import ConnectorGraph
import ConnectorHTTP
import Foundation
import HubServer
import Logging
import Secrets
import Synchronization
import SyncModel

/// The Microsoft 365 flags of `spoke add` (with `--client-id`, `--client-secret`, `--open-with`
/// shared with Google, and `--folder` with Exchange).
struct M365Flags: ParsableArguments {
    @Option(help: "Microsoft 365: the Entra ID tenant (id or domain). Delegated sign-in defaults to 'organizations'.")
    var tenant: String?
    @Option(help: "Microsoft 365 app-only: the mailbox (UPN or user id) to sync; needs --tenant and --client-secret, and an admin's consent. Exchange, --mailbox-kind other: the address of the mailbox to open.")
    var mailbox: String?
    @Option(help: "Microsoft 365: create this contacts folder (e.g. 'Company Directory') and sync it.")
    var createFolder: String?
    @Option(help: "Microsoft 365 directory: leave this user out (mail, UPN or id; repeatable).") var exclude: [String] = []
    @Option(help: "Microsoft 365: another identity platform base URL (an emulator).") var authorityUrl: String?
    @Option(help: "Microsoft 365: another Microsoft Graph base URL (an emulator), ending in /v1.0.") var graphUrl: String?
}

/// The OAuth client HubSync signs in to Microsoft with: flags first, then HUBSYNC_M365_CLIENT_ID / _SECRET.
struct M365ClientInput: Sendable {
    var clientID: String?
    var clientSecret: String?
    var tenant: String?
    var authority: String?
    var graph: String?

    static func from(id: String?, secret: String?, tenant: String?, authority: String?, graph: String?,
                     environment: [String: String] = ProcessInfo.processInfo.environment) -> M365ClientInput {
        func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
        return M365ClientInput(
            clientID: nonEmpty(id) ?? nonEmpty(environment["HUBSYNC_M365_CLIENT_ID"]),
            clientSecret: nonEmpty(secret) ?? nonEmpty(environment["HUBSYNC_M365_CLIENT_SECRET"]),
            tenant: nonEmpty(tenant), authority: nonEmpty(authority), graph: nonEmpty(graph))
    }

    /// `mailbox` given: app-only for that mailbox; else delegated (`/me`).
    func settings(mailbox: String?) throws -> GraphSettings {
        guard let id = clientID else {
            throw SetupError(field: "clientID", "A Microsoft 365 spoke needs the app's client id (an app registration in Entra ID).")
        }
        func url(_ s: String?, _ flag: String, _ fallback: URL) throws -> URL {
            guard let s else { return fallback }
            guard let u = URL(string: s), u.host != nil else { throw SetupError(field: flag, "\(s) is not a URL.") }
            return u
        }
        let mailbox = mailbox.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        if mailbox != nil {
            guard tenant != nil else { throw SetupError(field: "tenant", "App-only access needs the tenant (its id or domain).") }
            guard clientSecret != nil else { throw SetupError(field: "clientSecret", "App-only access needs the app's client secret.") }
        }
        return GraphSettings(
            tenant: tenant ?? "organizations", clientID: id, clientSecret: clientSecret, mailbox: mailbox,
            authorityBase: try url(authority, "authority", GraphSettings.microsoftAuthority),
            graphBase: try url(graph, "graph", GraphSettings.microsoftGraph))
    }
}

enum M365Setup {
    static func client(logger: Logger = HTTPClient.silent, retry: RetryPolicy = RetryPolicy()) -> HTTPClient {
        HTTPClient(transport: AHCTransport.shared(), retry: retry, logger: logger)
    }

    /// Sign in with Microsoft from the CLI: PKCE, the browser, a loopback redirect, the code for tokens.
    static func signIn(_ settings: GraphSettings, openWith: String?, logger: Logger = HTTPClient.silent) async throws -> GraphTokens {
        let pkce = PKCE()
        let (code, redirectURI) = try await LoopbackRedirect.code(provider: .microsoft, openWith: openWith) { redirect, state in
            GraphOAuth.authorizationURL(settings, redirectURI: redirect, state: state, pkce: pkce)
        }
        return try await GraphOAuth.exchange(code: code, pkce: pkce, redirectURI: redirectURI, settings, http: client(logger: logger))
    }

    /// The client that reaches the mailbox with a sign-in's tokens (nil: app-only), the refresh
    /// token to keep (the newest, should Microsoft rotate it meanwhile), and the app-only token
    /// it got, to keep for the first sync (`AppTokenCache`).
    static func authorized(
        _ settings: GraphSettings, tokens: GraphTokens?, retry: RetryPolicy = RetryPolicy(), logger: Logger = HTTPClient.silent
    ) -> (http: HTTPClient, refreshToken: @Sendable () -> String?, appToken: @Sendable () -> GraphTokens?) {
        let latest = Mutex(tokens?.refreshToken)
        let app = Mutex<GraphTokens?>(nil)
        let token = client(logger: logger)
        let source = tokens.map { t in
            GraphTokenSource(tokens: t, settings: settings, http: token, onRotate: { fresh in latest.withLock { $0 = fresh.refreshToken } })
        } ?? GraphTokenSource(refreshToken: nil, settings: settings, http: token, onAppToken: { fresh in app.withLock { $0 = fresh } })
        return (HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: retry, logger: logger),
                { latest.withLock { $0 } }, { app.withLock { $0 } })
    }

    /// The folder to sync (picked, or created), checked against the mailbox, and the settings to store.
    static func settings(
        _ settings: GraphSettings, tokens: GraphTokens?, folder: String?, createFolder: String?, secrets: SecretBox,
        retry: RetryPolicy = RetryPolicy(), logger: Logger = HTTPClient.silent
    ) async throws -> (settings: [String: String], folder: GraphFolder, account: String?) {
        let (http, refreshToken, appToken) = authorized(settings, tokens: tokens, retry: retry, logger: logger)
        let chosen: GraphFolder
        if let createFolder {
            chosen = try await GraphFolders.create(named: createFolder, settings, http: http)
        } else {
            let folders = try await GraphFolders.list(settings, http: http)
            guard let f = GraphFolders.pick(folder, in: folders) else {
                throw SetupError(field: "folder", "No contacts folder '\(folder ?? "")' in the mailbox; it has: "
                    + folders.map(\.path).joined(separator: ", "))
            }
            chosen = f
        }
        var account = settings.mailbox
        if account == nil { account = await GraphFolders.account(settings, http: http) }
        var s = try stored(settings, folder: chosen, account: account, refreshToken: refreshToken(), secrets: secrets)
        if let t = appToken() { s[AppTokenCache.key] = AppTokenCache.sealed(t, box: secrets) }
        return (s, chosen, account)
    }

    /// The settings a Microsoft 365 spoke keeps (`spoke add --kind m365`, the wizard, `spoke migrate`).
    static func stored(
        _ graph: GraphSettings, folder: GraphFolder, account: String?, refreshToken: String?, secrets: SecretBox
    ) throws -> [String: String] {
        var s = try M365App.keys(graph, secrets: secrets)
        s["m365.folderName"] = folder.path
        // The default folder is synced as `/contacts`, whether or not its id is known.
        if let id = folder.id, !folder.isDefault { s["m365.folder"] = id }
        if let mailbox = graph.mailbox { s["m365.mailbox"] = mailbox }
        if let account { s["m365.account"] = account }
        if let refreshToken { s["m365.refreshToken"] = try secrets.seal(refreshToken) }
        return s
    }

    /// The spoke's connector from its stored settings. A refresh token Microsoft rotates is
    /// sealed and handed to `store` (the old one stops working).
    static func connector(
        _ spoke: SpokeConfig, secrets: () throws -> SecretBox, logger: Logger,
        store: @escaping @Sendable (_ key: String, _ sealed: String) -> Void
    ) throws -> GraphSpoke {
        let s = spoke.settings
        guard s["m365.refreshToken"] != nil || s["m365.mailbox"] != nil, var settings = try M365App.read(s, secrets: secrets) else {
            throw CLIError("spoke \(spoke.id) is not signed in to Microsoft 365; add it again")
        }
        (settings.mailbox, settings.folderID) = (s["m365.mailbox"], s["m365.folder"])
        let box = try secrets()
        let first = try s["m365.refreshToken"].map { try box.open($0) }
        let source = first == nil
            ? AppTokenCache.source(settings, kept: s, box: box, logger: logger, store: store)
            : GraphTokenSource(refreshToken: first, settings: settings, http: client(logger: logger), onRotate: { fresh in
                if let token = fresh.refreshToken, token != first, let sealed = try? box.seal(token) { store("m365.refreshToken", sealed) }
            })
        return Mailboxes.spoke(settings, account: s["m365.account"], transport: AHCTransport.shared(), auth: source.auth,
                               logger: logger)
    }
}
