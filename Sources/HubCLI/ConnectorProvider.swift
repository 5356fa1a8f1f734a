import ConnectorDAV
import ConnectorEWS
import ConnectorGoogle
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
    /// Per kind, values that work against the demo's emulators (the wizard's one-click fill).
    let demo: [SpokeKind: SpokeForm]
    /// Autodiscover endpoints asked instead of the ones an email's domain implies (the demo's
    /// emulator, tests).
    let autodiscover: [URL]?

    /// A live check answers while the admin waits: one quick retry, not the sync's patience.
    static let checkRetry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(200), maxRetryAfter: .seconds(5))

    init(context: Context, google: GoogleSettings?, demo: [SpokeKind: SpokeForm] = [:], autodiscover: [URL]? = nil) {
        self.context = context
        self.google = google
        self.demo = demo
        self.autodiscover = autodiscover
    }

    /// For a composition outside this module: `googleEndpoint` is another Google (an emulator).
    public init(
        store: any SyncStore, secrets: SecretBox, googleClientID: String? = nil, googleClientSecret: String? = nil,
        googleEndpoint: URL? = nil, demo: [SpokeKind: SpokeForm] = [:], autodiscover: [URL]? = nil,
        logger: Logger = Logger(label: "hubsync")
    ) throws {
        let client = GoogleClientInput(clientID: googleClientID, clientSecret: googleClientSecret, endpoint: googleEndpoint?.absoluteString)
        self.init(
            context: Context(store: store, logger: logger, secrets: { secrets }),
            google: client.clientID == nil ? nil : try client.settings(), demo: demo, autodiscover: autodiscover)
    }

    public var kinds: [SpokeKindInfo] { SpokeKinds.all(googleConfigured: google != nil, demo: demo) }

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
            return HubServer.Discovery(endpoint: found.url.absoluteString, account: exchange.email, folders: found.folders.map {
                SourceFolder(id: $0.id, name: $0.path, count: $0.count, isDefault: $0.isDefault)
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
        case .memory, .graph:
            throw SetupError("Spokes of this kind cannot be added here.")
        }
    }

    public func settings(_ kind: SpokeKind, _ form: SpokeForm, folder: String?) async throws -> [String: String] {
        switch kind {
        case .carddav:
            let input = try network(form)
            let client = input.client(retry: Self.checkRetry)
            let books = try await explained(kind) { try await CardDAVSetup.addressBooks(input, client: client) }
            let given = try input.serverURL()
            let book: AddressBook
            if let folder {
                guard let b = books.first(where: { $0.url.absoluteString == folder }) else {
                    throw SetupError(field: "folder", "That address book is not on the server (any more). Check the settings again.")
                }
                book = b
            } else if let b = books.count == 1 ? books.first : books.first(where: { Self.same($0.url, given) }) {
                book = b
            } else {
                throw SetupError(field: "folder", "The server has \(books.count) address books: pick one.")
            }
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
        case .memory, .graph:
            throw SetupError("Spokes of this kind cannot be added here.")
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

    public func describe(_ spoke: SpokeConfig) -> [String: String] {
        let s = spoke.settings
        var d: [String: String] = [:]
        switch spoke.kind {
        case .carddav:
            d["url"] = s["url"]
            d["user"] = s["user"]
            d["folder"] = s["url"].flatMap(URL.init(string:))?.lastPathComponent
        case .ews:
            d["url"] = s["url"]
            d["user"] = s["user"]
            d["folder"] = s["ews.folderName"]
            d["version"] = s["ews.version"].flatMap(ExchangeVersion.init(rawValue:))?.displayName
        case .google:
            d["account"] = s["google.account"]
        case .folder:
            d["path"] = s["path"]
        case .memory, .graph:
            break
        }
        if s["tls.verify"] == "false" { d["verifyTLS"] = "false" }
        return d
    }

    // MARK: Sign in with Google

    public func beginSignIn(_ kind: SpokeKind, redirectURI: URL, state: String) throws -> (url: URL, verifier: String) {
        let settings = try googleSettings(kind)
        let pkce = PKCE()
        return (GoogleOAuth.authorizationURL(settings, redirectURI: redirectURI.absoluteString, state: state, pkce: pkce), pkce.verifier)
    }

    public func finishSignIn(_ kind: SpokeKind, code: String, verifier: String, redirectURI: URL) async throws
        -> (settings: [String: String], account: String?)
    {
        let settings = try googleSettings(kind)
        let signedIn = try await explained(kind) {
            try await GoogleSetup.redeem(code: code, pkce: PKCE(verifier: verifier), redirectURI: redirectURI.absoluteString, settings)
        }
        return (try GoogleSetup.store(settings, signedIn, secrets: context.secrets()), signedIn.account)
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
        let exchange = ExchangeInput(email: email?.isEmpty == false ? email : nil, version: form.version ?? "2016", autodiscover: autodiscover)
        _ = try exchange.exchangeVersion()
        let input = try network(form)
        if input.url == nil, exchange.email == nil, input.user?.contains("@") != true {
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
        guard let settings = form.signedIn, settings["google.refreshToken"] != nil else {
            throw SetupError(field: "signIn", "Sign in with Google first.")
        }
        return settings
    }

    private func googleSettings(_ kind: SpokeKind) throws -> GoogleSettings {
        guard kind == .google else { throw SetupError("\(kind.rawValue) spokes do not sign in with OAuth.") }
        guard let google else { throw SetupError(SpokeKinds.google(configured: false).summary) }
        return google
    }

    private func explained<T>(_ kind: SpokeKind, autodiscovering: Bool = false, _ body: () async throws -> T) async throws -> T {
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
