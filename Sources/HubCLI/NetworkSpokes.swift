import ArgumentParser
import Foundation
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import HubServer
import Logging
import Secrets
import SyncModel

/// Where and how to reach a network source, as typed: what both the CLI flags and the web
/// wizard's form produce, so a spoke is checked and stored the same way whichever added it.
struct NetworkInput: Sendable {
    var url: String?
    var user: String?
    var password: String?
    var caFile: String?
    var verifyTLS = true

    /// The URL as given, `https://` assumed when no scheme is typed.
    func serverURL() throws -> URL {
        guard let url = url?.trimmingCharacters(in: .whitespaces), !url.isEmpty else {
            throw SetupError(field: "url", "Enter the server's address.")
        }
        guard let u = URL(string: url.contains("://") ? url : "https://" + url), u.host != nil,
            u.scheme == "https" || u.scheme == "http"
        else {
            throw SetupError(field: "url", "'\(url)' is not a web address (like https://server.example.com).")
        }
        return u
    }

    var tls: TLSSettings { TLSSettings(verify: verifyTLS, caFile: caFile) }

    func client(retry: RetryPolicy = RetryPolicy(), logger: Logger = HTTPClient.silent) -> HTTPClient {
        let auth: HTTPAuth = user.map { .automatic(user: $0, password: password ?? "") } ?? .none
        return HTTPClient(transport: AHCTransport.shared(tls: tls), auth: auth, retry: retry, logger: logger)
    }

    /// The settings stored with the spoke; the password sealed, and the auth scheme the server
    /// asked for while the settings were checked.
    func settings(url: URL, client: HTTPClient, secrets: SecretBox) throws -> [String: String] {
        var s = ["url": url.absoluteString]
        if let user { s["user"] = user }
        if let scheme = client.answeredScheme { s["auth"] = scheme.rawValue }
        if let password { s["password"] = try secrets.seal(password) }
        if let caFile { s["tls.ca"] = URL(fileURLWithPath: caFile).standardizedFileURL.path }
        if !verifyTLS { s["tls.verify"] = "false" }
        return s
    }
}

/// Where and how to reach a network source: flags of `spoke add` and `discover`.
struct NetworkFlags: ParsableArguments {
    @Option(help: "Network spokes: the server, account or address book URL.") var url: String?
    @Option(help: "Network spokes: the user name.") var user: String?
    @Option(help: "Network spokes: the password (else $HUBSYNC_PASSWORD). Stored encrypted.") var password: String?
    @Option(help: "Trust this CA certificate (PEM file) for the server's TLS certificate.") var caFile: String?
    @Flag(help: "Do not verify the server's TLS certificate (only for a self-signed server on a network you trust).")
    var noVerifyTls = false

    var input: NetworkInput {
        let secret = password ?? ProcessInfo.processInfo.environment["HUBSYNC_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        return NetworkInput(url: url, user: user, password: secret, caFile: caFile, verifyTLS: !noVerifyTls)
    }
}

/// A spoke's stored network settings, back as a client.
struct NetworkSettings {
    var url: URL
    var client: HTTPClient

    init(_ spoke: SpokeConfig, secrets: () throws -> SecretBox, retry: RetryPolicy = RetryPolicy(), logger: Logger) throws {
        guard let raw = spoke.settings["url"], let url = URL(string: raw) else {
            throw CLIError("spoke \(spoke.id) has no url")
        }
        self.url = url
        let tls = TLSSettings(verify: spoke.settings["tls.verify"] != "false", caFile: spoke.settings["tls.ca"])
        var auth = HTTPAuth.none
        if let user = spoke.settings["user"] {
            let password = try spoke.settings["password"].map { try secrets().open($0) } ?? ""
            switch spoke.settings["auth"].flatMap(AuthScheme.init(rawValue:)) {
            case .basic?: auth = .basic(user: user, password: password)
            case .digest?: auth = .digest(user: user, password: password)
            case .ntlm?: auth = .ntlm(user: user, password: password, domain: nil)
            case nil: auth = .automatic(user: user, password: password)
            }
        }
        client = HTTPClient(transport: AHCTransport.shared(tls: tls), auth: auth, retry: retry, logger: logger)
    }

    /// A stored spoke's settings with a new password sealed in (`spoke set --password`, the web app).
    static func changingPassword(_ spoke: SpokeConfig, to password: String, secrets: SecretBox) throws -> [String: String] {
        guard spoke.settings["user"] != nil else {
            throw SetupError(field: "password", "The spoke \(spoke.name) signs in without a user name, so it has no password.")
        }
        var s = spoke.settings
        s["password"] = try secrets.seal(password)
        return s
    }
}

enum CardDAVSetup {
    /// The address books the URL leads to (itself, or those found from a server's root).
    static func addressBooks(_ input: NetworkInput, client: HTTPClient) async throws -> [AddressBook] {
        try await ConnectorDAV.Discovery.addressBooks(at: try input.serverURL(), http: client)
    }

    /// The address book a URL names: itself, or the only one found from it.
    static func addressBook(_ input: NetworkInput, client: HTTPClient) async throws -> AddressBook {
        let books = try await addressBooks(input, client: client)
        if books.count == 1 { return books[0] }
        let list = books.map { "  \($0.url.absoluteString)" + ($0.displayName.map { "  (\($0))" } ?? "") }
        throw SetupError(field: "url", "\(books.count) address books found; pick one by its URL:\n" + list.joined(separator: "\n"))
    }
}

/// The CLI's reading of a `SetupError`: the message, and the flag it is about.
func cliSetup<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let e as SetupError {
        let flags = [
            "url": "--url", "user": "--user", "password": "--password", "email": "--email",
            "version": "--exchange-version", "mailboxKind": "--mailbox-kind", "mailbox": "--mailbox", "access": "--access", "path": "--path", "folder": "--folder", "tenant": "--tenant",
            "clientID": "--client-id", "clientSecret": "--client-secret", "authority": "--authority-url", "graph": "--graph-url",
        ]
        throw CLIError(e.message + (e.field.flatMap { flags[$0] }.map { " (\($0))" } ?? ""))
    }
}

struct Discover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the address books (CardDAV) or contacts folders (Exchange) a server offers, to pick one for `spoke add`.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Kind of source.") var kind: SpokeKind = .carddav
    @OptionGroup var network: NetworkFlags
    @OptionGroup var exchange: ExchangeFlags
    @Option(help: "Exchange, --mailbox-kind other: the address of the mailbox to open.") var mailbox: String?

    func run() async throws {
        try await cliSetup {
            let input = network.input
            if kind == .ews {
                let found = try await EWSSetup.folders(input, try exchange.input(mailbox: mailbox), client: EWSSetup.client(input))
                if found.autodiscovered { Console.line("Autodiscover: \(found.url.absoluteString)") }
                Console.line("EWS: \(found.url.absoluteString)")
                Console.line(EWSSetup.listing(found.folders))
                return
            }
            guard kind == .carddav else { throw CLIError("discover supports carddav and ews in this version") }
            let books = try await CardDAVSetup.addressBooks(input, client: input.client())
            var rows = [["URL", "NAME", "SYNC"]]
            for b in books {
                rows.append([b.url.absoluteString, b.displayName ?? "", b.supportsSync ? "sync-collection" : "etag listing"])
            }
            Console.line(table(rows))
        }
    }
}
