import ConnectorGraph
import ConnectorHTTP
import Foundation
import HubServer
import Logging
import Secrets
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
        let users = try await DirectorySpoke.probe(settings, http: http(settings, retry: retry, logger: logger))
        var s = [
            "m365.tenant": settings.tenant, "m365.clientID": settings.clientID,
            "m365.authority": settings.authorityBase.absoluteString, "m365.graph": settings.graphBase.absoluteString,
            "m365.clientSecret": try secrets.seal(settings.clientSecret ?? ""),
        ]
        let excluded = excluding.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !excluded.isEmpty { s["directory.exclude"] = excluded.joined(separator: ",") }
        return (s, users)
    }

    /// An app-only client: the token from the client secret, refreshed before it expires.
    static func http(_ settings: GraphSettings, retry: RetryPolicy = RetryPolicy(), logger: Logger = HTTPClient.silent) -> HTTPClient {
        let source = GraphTokenSource(refreshToken: nil, settings: settings, http: M365Setup.client(logger: logger))
        return HTTPClient(transport: AHCTransport.shared(), auth: source.auth, retry: retry, logger: logger)
    }

    /// The stored app-only settings (no mailbox) of a directory or group spoke.
    static func appSettings(_ s: [String: String], secrets: () throws -> SecretBox, mailbox: String? = nil) throws -> GraphSettings {
        guard let id = s["m365.clientID"], let tenant = s["m365.tenant"], let sealed = s["m365.clientSecret"],
            let authority = s["m365.authority"].flatMap(URL.init(string:)), let graph = s["m365.graph"].flatMap(URL.init(string:))
        else { throw CLIError("the Microsoft 365 app settings are incomplete; add the spoke again") }
        return GraphSettings(tenant: tenant, clientID: id, clientSecret: try secrets().open(sealed), mailbox: mailbox,
                             authorityBase: authority, graphBase: graph)
    }

    static func connector(_ spoke: SpokeConfig, secrets: () throws -> SecretBox, logger: Logger) throws -> DirectorySpoke {
        let settings = try appSettings(spoke.settings, secrets: secrets)
        let excluded = spoke.settings["directory.exclude"]?.split(separator: ",").map(String.init) ?? []
        return DirectorySpoke(settings: settings, http: http(settings, logger: logger), excluding: excluded, logger: logger)
    }
}
