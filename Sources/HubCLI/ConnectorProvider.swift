import ConnectorDAV
import ConnectorEWS
import ConnectorGoogle
import ConnectorGraph
import ConnectorHTTP
import ConnectorKit
import Foundation
import HubServer
import Logging
import Secrets
import SyncModel
import SyncStore

/// The web app's way to the connectors (HubServer's `SpokeProvider`). Every step goes through
/// the same setup code as `hubsync spoke add`, so a spoke added in the wizard is checked and
/// stored exactly like one added on the command line.
public struct ConnectorProvider: SpokeProvider {
    let context: Context
    /// The OAuth client of "Sign in with Google"; nil: Google is offered as not set up.
    let google: GoogleSettings?
    /// The app registration of "Sign in with Microsoft" (and the Graph endpoints the app-only form
    /// uses); nil: Microsoft 365 offers the app-only form alone.
    let m365: M365ClientInput?
    /// Per kind, values that work against the demo's emulators (the wizard's one-click fill).
    let demo: [SpokeKind: SpokeForm]
    /// Autodiscover endpoints asked instead of the ones an email's domain implies (the demo's
    /// emulator, tests).
    let autodiscover: [URL]?

    /// A live check answers while the admin waits: one quick retry, not the sync's patience.
    static let checkRetry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(200), maxRetryAfter: .seconds(5))

    init(
        context: Context, google: GoogleSettings?, m365: M365ClientInput? = nil, demo: [SpokeKind: SpokeForm] = [:],
        autodiscover: [URL]? = nil
    ) {
        self.context = context
        self.google = google
        self.m365 = m365
        self.demo = demo
        self.autodiscover = autodiscover
    }

    /// For a composition outside this module: `googleEndpoint` is another Google (an emulator).
    public init(
        store: any SyncStore, secrets: SecretBox, googleClientID: String? = nil, googleClientSecret: String? = nil,
        googleEndpoint: URL? = nil, m365ClientID: String? = nil, m365ClientSecret: String? = nil, m365Authority: URL? = nil,
        m365Graph: URL? = nil, demo: [SpokeKind: SpokeForm] = [:], autodiscover: [URL]? = nil,
        logger: Logger = Logger(label: "hubsync") { _ in SwiftLogNoOpLogHandler() }
    ) throws {
        let client = GoogleClientInput(clientID: googleClientID, clientSecret: googleClientSecret, endpoint: googleEndpoint?.absoluteString)
        let m365 = M365ClientInput(clientID: m365ClientID, clientSecret: m365ClientSecret, tenant: nil,
                                   authority: m365Authority?.absoluteString, graph: m365Graph?.absoluteString)
        self.init(
            context: Context(store: store, logger: logger, secrets: { secrets }),
            google: client.clientID == nil ? nil : try client.settings(),
            m365: m365.clientID == nil && m365Authority == nil ? nil : m365, demo: demo, autodiscover: autodiscover)
    }

    public var kinds: [SpokeKindInfo] { SpokeKinds.all(googleConfigured: google != nil, m365Configured: m365?.clientID != nil, demo: demo) }

    // MARK: Checking and storing settings

    public func discover(_ kind: SpokeKind, _ form: SpokeForm) async throws -> HubServer.Discovery {
        switch kind {
        case .carddav:
            let input = try network(form)
            let books = try await explained(kind) {
                try await CardDAVSetup.addressBooks(input, client: input.client(retry: Self.checkRetry))
            }
            let given = try input.serverURL()
            return HubServer.Discovery(endpoint: given.absoluteString, folders: books.map { b in
                SourceFolder(
                    id: b.url.absoluteString, name: b.displayName ?? b.url.lastPathComponent, detail: b.url.absoluteString,
                    isDefault: books.count == 1 || Self.same(b.url, given))
            })
        case .ews:
            let (input, exchange) = try ews(form)
            let found = try await explained(kind, autodiscovering: input.url == nil) {
                try await EWSSetup.folders(input, exchange, client: EWSSetup.client(input, retry: Self.checkRetry))
            }
            return HubServer.Discovery(endpoint: found.url.absoluteString, account: exchange.source.address ?? exchange.email,
                                       folders: found.folders.map {
                SourceFolder(id: $0.id, name: $0.path, count: $0.count, isDefault: $0.isDefault, readOnly: $0.readOnly ? true : nil)
            })
        case .google:
            let signedIn = try signedIn(form)
            return HubServer.Discovery(account: signedIn["google.account"], folders: [
                SourceFolder(id: "contacts", name: "Contacts", detail: "All the account's contacts", isDefault: true)
            ])
        case .folder:
            let dir = try folderPath(form)
            let count = FolderSetup.cardCount(dir)
            return HubServer.Discovery(endpoint: dir.path, folders: [
                SourceFolder(
                    id: dir.path, name: dir.lastPathComponent, detail: count == nil ? "created when the spoke is added" : dir.path,
                    count: count, isDefault: true)
            ])
        case .graph:
            let (settings, tokens) = try m365(form)
            let http = M365Setup.authorized(settings, tokens: tokens, retry: Self.checkRetry).http
            let folders = try await explained(kind) { try await GraphFolders.list(settings, http: http) }
            var list = folders.map { SourceFolder(id: $0.id ?? "", name: $0.path, isDefault: $0.isDefault) }
            if !folders.contains(where: { $0.name.lowercased() == GraphFolders.defaultName.lowercased() }) {
                list.append(SourceFolder(id: Self.newFolder + GraphFolders.defaultName, name: GraphFolders.defaultName,
                                         detail: "a new folder HubSync creates in the mailbox"))
            }
            return HubServer.Discovery(
                endpoint: settings.graphBase.absoluteString, account: settings.mailbox ?? form.signedIn?["m365.account"], folders: list)
        case .directory:
            let users = try await explained(kind) {
                try await DirectorySetup.settings(try appOnlyInput(form), secrets: context.secrets(), retry: Self.checkRetry).users
            }
            return HubServer.Discovery(endpoint: m365?.graph ?? GraphSettings.microsoftGraph.absoluteString, account: form.tenant, folders: [
                SourceFolder(id: "users", name: "All users", detail: "enabled members with a mailbox; guests, shared and room mailboxes left out",
                             count: users < 100 ? users : nil, isDefault: true)
            ])
        case .caldav:
            let input = try network(form)
            let calendars = try await explained(kind) {
                try await ConnectorDAV.Discovery.calendars(at: try input.serverURL(), http: input.client(retry: Self.checkRetry))
            }
            let given = try input.serverURL()
            return HubServer.Discovery(endpoint: given.absoluteString, folders: calendars.map { c in
                SourceFolder(
                    id: c.url.absoluteString, name: c.displayName ?? c.url.lastPathComponent, detail: c.url.absoluteString,
                    isDefault: calendars.count == 1 || Self.same(c.url, given))
            })
        case .icsFolder:
            let dir = try folderPath(form)
            let count = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)).map { $0.filter { $0.hasSuffix(".ics") }.count }
            return HubServer.Discovery(endpoint: dir.path, folders: [
                SourceFolder(
                    id: dir.path, name: dir.lastPathComponent, detail: count == nil ? "created when the spoke is added" : dir.path,
                    count: count, isDefault: true)
            ])
        case .memory:
            throw SetupError("Sources of this kind cannot be added here.")
        }
    }

    /// A folder id the wizard offers for a folder HubSync creates.
    static let newFolder = "new:"

    public func settings(_ kind: SpokeKind, _ form: SpokeForm, folder: String?) async throws -> [String: String] {
        switch kind {
        case .carddav:
            let input = try network(form)
            let client = input.client(retry: Self.checkRetry)
            let books = try await explained(kind) { try await CardDAVSetup.addressBooks(input, client: client) }
            let book = try Self.pick(books, \.url, folder: folder, given: try input.serverURL(), what: "address book")
            return try input.settings(url: book.url, client: client, secrets: context.secrets())
        case .ews:
            let (input, exchange) = try ews(form)
            let client = EWSSetup.client(input, retry: Self.checkRetry)
            let found = try await explained(kind, autodiscovering: input.url == nil) {
                try await EWSSetup.folders(input, exchange, client: client)
            }
            let chosen = try EWSSetup.pick(folder, in: found.folders)
            return try EWSSetup.settings(input, exchange, found: found, folder: chosen, client: client, secrets: context.secrets())
        case .google:
            return try signedIn(form)
        case .folder:
            return try FolderSetup.settings(try folderPath(form).path)
        case .graph:
            let (settings, tokens) = try m365(form)
            let create = folder.flatMap { $0.hasPrefix(Self.newFolder) ? String($0.dropFirst(Self.newFolder.count)) : nil }
            let pick = create == nil ? folder.flatMap { $0.isEmpty ? nil : $0 } : nil
            let made = try await explained(kind) {
                try await M365Setup.settings(settings, tokens: tokens, folder: pick, createFolder: create,
                                             secrets: context.secrets(), retry: Self.checkRetry)
            }
            return made.settings
        case .directory:
            return try await explained(kind) {
                try await DirectorySetup.settings(try appOnlyInput(form), secrets: context.secrets(), retry: Self.checkRetry).settings
            }
        case .caldav:
            let input = try network(form)
            let client = input.client(retry: Self.checkRetry)
            let calendars = try await explained(kind) { try await ConnectorDAV.Discovery.calendars(at: try input.serverURL(), http: client) }
            let calendar = try Self.pick(calendars, \.url, folder: folder, given: try input.serverURL(), what: "calendar")
            return try input.settings(url: calendar.url, client: client, secrets: context.secrets())
        case .icsFolder:
            return try FolderSetup.settings(try folderPath(form).path)
        case .memory:
            throw SetupError("Sources of this kind cannot be added here.")
        }
    }

    public func changingPassword(_ spoke: SpokeConfig, to password: String) throws -> [String: String] {
        guard !password.isEmpty else { throw SetupError(field: "password", "Enter the new password.") }
        return try NetworkSettings.changingPassword(spoke, to: password, secrets: context.secrets())
    }

    public func connector(for spoke: SpokeConfig) throws -> any SpokeConnector {
        do {
            return try context.connector(for: spoke)
        } catch let e as CLIError {
            throw SetupError(e.message)
        }
    }

    /// The DAV collection a new source syncs: the one picked (`folder`), else the only one or
    /// the one at the address given; `what` names it ("address book", "calendar") in the errors.
    static func pick<C>(_ all: [C], _ url: KeyPath<C, URL>, folder: String?, given: URL, what: String) throws -> C {
        if let folder {
            guard let c = all.first(where: { $0[keyPath: url].absoluteString == folder }) else {
                throw SetupError(field: "folder", "That \(what) is not on the server (any more). Check the settings again.")
            }
            return c
        }
        if let c = all.count == 1 ? all.first : all.first(where: { same($0[keyPath: url], given) }) { return c }
        throw SetupError(field: "folder", "The server has \(all.count) \(what)s: pick one.")
    }

    public func calendarConnector(for spoke: SpokeConfig) throws -> any ItemConnector<Event> {
        do {
            return try context.calendarConnector(for: spoke)
        } catch let e as CLIError {
            throw SetupError(e.message)
        }
    }

    public func describe(_ spoke: SpokeConfig) -> [String: String] {
        let s = spoke.settings
        var d: [String: String] = [:]
        switch spoke.kind {
        case .carddav, .caldav:
            d["url"] = s["url"]
            d["user"] = s["user"]
            d["folder"] = s["url"].flatMap(URL.init(string:))?.lastPathComponent
        case .ews:
            d["url"] = s["url"]
            d["user"] = s["user"]
            d["folder"] = s["ews.folderName"]
            d["version"] = s["ews.version"].flatMap(ExchangeVersion.init(rawValue:))?.displayName
            d["account"] = (try? EWSSource(stored: s))?.address
        case .google:
            d["account"] = s["google.account"]
        case .folder, .icsFolder:
            d["path"] = s["path"]
        case .graph:
            d["account"] = s["m365.account"] ?? s["m365.mailbox"]
            d["folder"] = s["m365.folderName"]
            if let group = s[GroupMailboxes.groupNameKey] { d["group"] = group }
            if let paused = s[GroupMailboxes.pausedKey] { d["paused"] = paused }
            if s[GroupMailboxes.receiveOnlyKey] == "true" { d["receiveOnly"] = "true" }
        case .directory:
            d["tenant"] = s["m365.tenant"]
            d["excluded"] = s["directory.exclude"]
        case .memory:
            break
        }
        if s["tls.verify"] == "false" { d["verifyTLS"] = "false" }
        return d
    }

    // MARK: Sign in with Google

    public func beginSignIn(_ kind: SpokeKind, redirectURI: URL, state: String) throws -> (url: URL, verifier: String) {
        if kind == .graph {
            let settings = try m365Delegated()
            let pkce = PKCE()
            return (GraphOAuth.authorizationURL(settings, redirectURI: redirectURI.absoluteString, state: state, pkce: pkce), pkce.verifier)
        }
        let settings = try googleSettings(kind)
        let pkce = PKCE()
        return (GoogleOAuth.authorizationURL(settings, redirectURI: redirectURI.absoluteString, state: state, pkce: pkce), pkce.verifier)
    }

    public func finishSignIn(_ kind: SpokeKind, code: String, verifier: String, redirectURI: URL) async throws
        -> (settings: [String: String], account: String?)
    {
        if kind == .graph { return try await finishMicrosoftSignIn(code: code, verifier: verifier, redirectURI: redirectURI) }
        let settings = try googleSettings(kind)
        let signedIn = try await explained(kind) {
            try await GoogleSetup.redeem(code: code, pkce: PKCE(verifier: verifier), redirectURI: redirectURI.absoluteString, settings)
        }
        return (try GoogleSetup.store(settings, signedIn, secrets: context.secrets()), signedIn.account)
    }

    // MARK: Microsoft 365

    private func m365Delegated() throws -> GraphSettings {
        guard let m365, m365.clientID != nil else {
            throw SetupError("Sign in with Microsoft is not set up on this server: start `hubsync serve` with --m365-client-id "
                + "and --m365-client-secret (or HUBSYNC_M365_CLIENT_ID and HUBSYNC_M365_CLIENT_SECRET).")
        }
        return try m365.settings(mailbox: nil)
    }

    private func finishMicrosoftSignIn(code: String, verifier: String, redirectURI: URL) async throws
        -> (settings: [String: String], account: String?)
    {
        let settings = try m365Delegated()
        let tokens = try await explained(.graph) {
            try await GraphOAuth.exchange(code: code, pkce: PKCE(verifier: verifier), redirectURI: redirectURI.absoluteString,
                                          settings, http: M365Setup.client())
        }
        let access = tokens.accessToken
        let http = HTTPClient(transport: AHCTransport.shared(), auth: .bearer { _ in access }, retry: Self.checkRetry)
        let account = await GraphFolders.account(settings, http: http)
        let box = try context.secrets()
        var s = try M365App.keys(settings, secrets: box)
        s["m365.refreshToken"] = try box.seal(tokens.refreshToken ?? "")
        // Only while the wizard runs (`settings` stores no access token): checking the folders
        // right after the sign-in then spends no refresh token.
        s["m365.accessToken"] = try box.seal(tokens.accessToken)
        s["m365.expiresAt"] = String(tokens.expiresAt.timeIntervalSince1970)
        if let account { s["m365.account"] = account }
        return (s, account)
    }

    /// The app-only client of a form (tenant, id, secret), with the server's Graph endpoints.
    func appOnlyInput(_ form: SpokeForm) -> M365ClientInput {
        func text(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
        return M365ClientInput(clientID: text(form.clientID), clientSecret: form.clientSecret.flatMap { $0.isEmpty ? nil : $0 },
                               tenant: text(form.tenant), authority: m365?.authority, graph: m365?.graph)
    }

    /// The Graph settings and refresh token a form leads to: app-only when it names a mailbox,
    /// else a finished Sign in with Microsoft.
    func m365(_ form: SpokeForm) throws -> (GraphSettings, GraphTokens?) {
        func text(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
        if let mailbox = text(form.email) {
            let input = M365ClientInput(clientID: text(form.clientID), clientSecret: form.clientSecret.flatMap { $0.isEmpty ? nil : $0 },
                                        tenant: text(form.tenant), authority: m365?.authority, graph: m365?.graph)
            return (try input.settings(mailbox: mailbox), nil)
        }
        let secrets = context.secrets
        guard let s = form.signedIn, let sealed = s["m365.refreshToken"], let settings = try M365App.read(s, secrets: secrets) else {
            throw SetupError(field: m365?.clientID == nil ? "email" : "signIn",
                             m365?.clientID == nil ? "Enter the mailbox, tenant, client id and secret." : "Sign in with Microsoft first, or enter a mailbox for app-only access.")
        }
        let box = try context.secrets()
        let access = try s["m365.accessToken"].map { try box.open($0) } ?? ""
        let expires = s["m365.expiresAt"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } ?? .distantPast
        return (settings, GraphTokens(accessToken: access, refreshToken: try box.open(sealed), expiresAt: expires))
    }

    // MARK: Forms to inputs

    private func network(_ form: SpokeForm) throws -> NetworkInput {
        let user = form.user?.trimmingCharacters(in: .whitespaces)
        guard let user, !user.isEmpty else { throw SetupError(field: "user", "Enter the user name.") }
        guard let password = form.password, !password.isEmpty else { throw SetupError(field: "password", "Enter the password.") }
        let url = form.url?.trimmingCharacters(in: .whitespaces)
        return NetworkInput(url: url?.isEmpty == false ? url : nil, user: user, password: password, verifyTLS: form.verifyTLS ?? true)
    }

    private func ews(_ form: SpokeForm) throws -> (NetworkInput, ExchangeInput) {
        let email = form.email?.trimmingCharacters(in: .whitespaces)
        let source = try EWSSetup.source(kind: form.mailboxKind, address: form.mailbox, access: form.access)
        let exchange = ExchangeInput(email: email?.isEmpty == false ? email : nil, version: form.version ?? "2016", autodiscover: autodiscover,
                                     source: source)
        _ = try exchange.exchangeVersion()
        let input = try network(form)
        if input.url == nil, exchange.email == nil, source.address == nil, input.user?.contains("@") != true {
            throw SetupError(field: "email", "Enter the mailbox's email address (HubSync finds the server from it) or the server's address.")
        }
        return (input, exchange)
    }

    /// On the server, a relative path would be relative to wherever the server was started.
    private func folderPath(_ form: SpokeForm) throws -> URL {
        let path = form.path?.trimmingCharacters(in: .whitespaces) ?? ""
        guard path.isEmpty || path.hasPrefix("/") || path.hasPrefix("~") else {
            throw SetupError(field: "path", "Give the folder's full path, starting with /.")
        }
        return try FolderSetup.directory(path)
    }

    private func signedIn(_ form: SpokeForm) throws -> [String: String] {
        guard let settings = form.signedIn, settings["google.refreshToken"] != nil || settings["m365.refreshToken"] != nil else {
            throw SetupError(field: "signIn", "Sign in with Google first.")
        }
        return settings
    }

    private func googleSettings(_ kind: SpokeKind) throws -> GoogleSettings {
        guard kind == .google else { throw SetupError("\(kind.rawValue) sources do not sign in with OAuth.") }
        guard let google else { throw SetupError(SpokeKinds.google(configured: false).summary) }
        return google
    }

    func explained<T>(_ kind: SpokeKind, autodiscovering: Bool = false, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw SetupFailure.explain(error, kind: kind, autodiscovering: autodiscovering)
        }
    }

    /// The same collection, with or without the trailing slash.
    static func same(_ a: URL, _ b: URL) -> Bool {
        func norm(_ u: URL) -> String { u.absoluteString.hasSuffix("/") ? u.absoluteString : u.absoluteString + "/" }
        return norm(a) == norm(b)
    }
}
