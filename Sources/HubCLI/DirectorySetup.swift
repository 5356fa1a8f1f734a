import ConnectorGraph
import ConnectorHTTP
import Foundation
import HubServer
import Logging
import Secrets
import Synchronization
import SyncModel

/// The "Microsoft 365 directory" spoke: a tenant's users, app-only, feeding the hub.
enum DirectorySetup {
    /// Checks the app against the tenant (sign-in, User.Read.All) and makes the settings to store.
    static func settings(
        _ input: M365ClientInput, excluding: [String] = [], secrets: SecretBox, retry: RetryPolicy = RetryPolicy(),
        logger: Logger = HTTPClient.silent
    ) async throws -> (settings: [String: String], users: Int) {
        guard input.tenant != nil else { throw SetupError(field: "tenant", "The directory needs the tenant (its id or domain).") }
        guard input.clientSecret != nil else {
            throw SetupError(field: "clientSecret", "The directory needs the app's client secret (app-only access).")
        }
        let settings = try input.settings(mailbox: nil)
        let app = Mutex<GraphTokens?>(nil)
        let source = GraphTokenSource(refreshToken: nil, settings: settings, http: M365Setup.client(logger: logger),
                                      onAppToken: { t in app.withLock { $0 = t } })
        let users = try await DirectorySpoke.probe(
            settings, http: HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: retry, logger: logger))
        var s = try M365App.keys(settings, secrets: secrets)
        let excluded = excluding.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !excluded.isEmpty { s["directory.exclude"] = excluded.joined(separator: ",") }
        if let t = app.withLock({ $0 }) { s[AppTokenCache.key] = AppTokenCache.sealed(t, box: secrets) }
        return (s, users)
    }

    /// An app-only client: the token from the client secret, refreshed before it expires.
    static func http(_ settings: GraphSettings, retry: RetryPolicy = RetryPolicy(), logger: Logger = HTTPClient.silent) -> HTTPClient {
        let source = GraphTokenSource(refreshToken: nil, settings: settings, http: M365Setup.client(logger: logger))
        return HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: retry, logger: logger)
    }

    /// The stored app-only settings (no mailbox) of a directory or group spoke.
    static func appSettings(_ s: [String: String], secrets: () throws -> SecretBox, mailbox: String? = nil) throws -> GraphSettings {
        // App-only: the tenant and the secret must be there.
        guard s[M365App.tenantKey] != nil, s[M365App.secretKey] != nil, var settings = try M365App.read(s, secrets: secrets) else {
            throw CLIError("the Microsoft 365 app settings are incomplete; add the spoke again")
        }
        settings.mailbox = mailbox
        return settings
    }

    /// An app-only client that starts from the token kept in `kept` and keeps each new one there.
    static func http(
        _ settings: GraphSettings, kept: [String: String], box: SecretBox, retry: RetryPolicy = RetryPolicy(),
        logger: Logger = HTTPClient.silent, store: @escaping @Sendable (_ key: String, _ sealed: String) -> Void
    ) -> HTTPClient {
        let source = AppTokenCache.source(settings, kept: kept, box: box, logger: logger, store: store)
        return HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: retry, logger: logger)
    }

    static func connector(
        _ spoke: SpokeConfig, secrets: () throws -> SecretBox, logger: Logger,
        store: @escaping @Sendable (_ key: String, _ sealed: String) -> Void = { _, _ in }
    ) throws -> DirectorySpoke {
        let settings = try appSettings(spoke.settings, secrets: secrets)
        let excluded = spoke.settings["directory.exclude"]?.split(separator: ",").map(String.init) ?? []
        let http = http(settings, kept: spoke.settings, box: try secrets(), logger: logger, store: store)
        return DirectorySpoke(settings: settings, http: http, excluding: excluded, logger: logger)
    }
}
