import ArgumentParser
import ConnectorGoogle
import Foundation
import SyncStorePostgres
import HubServer
import Logging
import SyncModel
import SyncStore
import SyncStoreSQLite

/// `hubsync serve`: the web app (wizard, hub pages, JSON API) and the scheduler, on the same
/// database as the CLI.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the web app: set up hubs and spokes in a browser, watch and undo syncs; scheduled syncs run too.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "The address to listen on (0.0.0.0: every interface; put a TLS proxy in front then).")
    var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free one).") var port = 8080
    @Option(help: "Sync passes running at once; the other due hubs wait their turn.") var maxPasses = 8
    @Option(help: "The address browsers use, when it is not http://HOST:PORT (behind a proxy): Google's sign-in comes back there.")
    var publicUrl: String?
    @OptionGroup var google: ServeGoogleOptions
    @OptionGroup var m365: ServeM365Options
    @OptionGroup var mail: MailOptions
    @Flag(help: "Send the session cookie over plain http even though --public-url is https (a proxy that talks http to browsers).")
    var insecureCookies = false
    @Option(name: .customLong("allowed-host"), help: ArgumentHelp(
        "Another name browsers reach this server by (repeatable). Requests naming any other host are refused.",
        valueName: "name"))
    var allowedHosts: [String] = []
    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "The address of a reverse proxy whose X-Forwarded-For names the client (repeatable).", valueName: "address"))
    var trustedProxies: [String] = []
    @Flag(help: "Run no passes here: a web-only server in front of `hubsync worker`s, which \"Sync now\" asks through the database.")
    var noScheduler = false
    @Flag(help: "Serve /metrics to any address (default: this machine, the trusted proxies and signed-in admins only).")
    var metricsOpen = false
    @Option(help: "On SIGTERM or Ctrl-C, the seconds running syncs get to finish before they are cancelled (they resume at the next sync).")
    var shutdownGrace = 30

    func validate() throws {
        if let publicUrl, URL(string: publicUrl)?.host == nil { throw ValidationError("--public-url \(publicUrl) is not a URL") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0...65535") }
        if !(1...256).contains(maxPasses) { throw ValidationError("--max-passes must be 1...256") }
        if !(0...3600).contains(shutdownGrace) { throw ValidationError("--shutdown-grace must be 0...3600 seconds") }
    }

    func run() async throws {
        let store = try global.openStore()
        var logger = global.logger
        logger.logLevel = global.verbose ? .debug : .notice
        let context = try global.serverContext(store: store, logger: logger)
        let provider = ConnectorProvider(context: context, google: try google.settings(), m365: m365.client)
        let publicURL = publicUrl.flatMap(URL.init(string:))
        var settings = HubApp.Settings(
            host: host, port: port, publicURL: publicURL,
            secureCookies: publicURL?.scheme == "https" && !insecureCookies, allowedHosts: allowedHosts,
            trustedProxies: trustedProxies)
        settings.mail = try mail.transport()
        settings.mailFrom = mail.mailFrom
        settings.organisation = mail.organisation
        settings.keepHistory = global.keepHistory
        settings.maxPasses = maxPasses
        settings.scheduler = !noScheduler
        settings.runsPasses = !noScheduler
        settings.metricsOpen = metricsOpen
        settings.shutdownGrace = .seconds(shutdownGrace)
        let database = global.databasePath
        // No admin yet: whoever (or whatever web page) gets there first must prove they run
        // it, on loopback too. The app makes a one-time code; it is printed here only.
        let app = HubApp(
            store: store, provider: provider, settings: settings,
            lock: { hub in try HubLock(database: database, hub: hub.rawValue) }, logger: logger)
        try await runUntilStopped(app) { [host] bound in
            let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host
            let url = publicURL?.absoluteString ?? "http://\(shown):\(bound)/"
            // A postgres URL is shown without its password.
            let shownDatabase = (try? PostgresURL(database)).map(\.description) ?? database
            for line in Self.banner(url: url, database: shownDatabase, setupCode: app.setupCode) { Console.line(line) }
            if let warning = readableByOthers(database) { Console.line(warning) }
        }
    }
}

extension Serve {
    /// What `serve` prints once it listens: with no admin yet, the one-time setup code and the
    /// setup URL that fills it in (the only place either is shown).
    static func banner(url: String, database: String, setupCode: String?) -> [String] {
        var lines = ["HubSync is running at \(url) (database \(database)); Ctrl-C stops it."]
        if let code = setupCode {
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            lines += ["No admin yet: create one with the setup code \(code), at", "  \(base)/setup?code=\(code)"]
        }
        return lines
    }
}

/// The OAuth client "Sign in with Google" uses, for the whole server.
struct ServeGoogleOptions: ParsableArguments {
    @Option(help: "The OAuth client id of your Google Cloud project, of type Web application (else $HUBSYNC_GOOGLE_CLIENT_ID).")
    var googleClientId: String?
    @Option(help: "Its client secret (else $HUBSYNC_GOOGLE_CLIENT_SECRET).") var googleClientSecret: String?
    @Option(help: "Another People API and OAuth base URL (the emulator).") var googleEndpoint: String?

    /// Nil when no client is configured: the wizard shows Google as not set up.
    func settings() throws -> GoogleSettings? {
        let client = GoogleClientInput.from(id: googleClientId, secret: googleClientSecret, endpoint: googleEndpoint)
        return client.clientID == nil ? nil : try client.settings()
    }
}

/// The app registration "Sign in with Microsoft" uses, for the whole server.
struct ServeM365Options: ParsableArguments {
    @Option(help: "The application (client) id of your Entra ID app registration, for Sign in with Microsoft (else $HUBSYNC_M365_CLIENT_ID).")
    var m365ClientId: String?
    @Option(help: "Its client secret (else $HUBSYNC_M365_CLIENT_SECRET).") var m365ClientSecret: String?
    @Option(help: "Its tenant (id or domain); default: organizations (any work or school account).") var m365Tenant: String?
    @Option(help: "Another identity platform base URL (the emulator).") var m365AuthorityUrl: String?
    @Option(help: "Another Microsoft Graph base URL (the emulator), ending in /v1.0.") var m365GraphUrl: String?

    /// Nil when no app is configured: the wizard offers only the app-only form.
    var client: M365ClientInput? {
        let c = M365ClientInput.from(id: m365ClientId, secret: m365ClientSecret, tenant: m365Tenant,
                                     authority: m365AuthorityUrl, graph: m365GraphUrl)
        return c.clientID == nil ? nil : c
    }
}
