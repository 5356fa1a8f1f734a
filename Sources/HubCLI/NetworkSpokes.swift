import ArgumentParser
import Foundation
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import Secrets
import SyncModel

/// Where and how to reach a network source: flags of `spoke add` and `discover`.
struct NetworkFlags: ParsableArguments {
    @Option(help: "Network spokes: the server, account or address book URL.") var url: String?
    @Option(help: "Network spokes: the user name.") var user: String?
    @Option(help: "Network spokes: the password (else $HUBSYNC_PASSWORD). Stored encrypted.") var password: String?
    @Option(help: "Trust this CA certificate (PEM file) for the server's TLS certificate.") var caFile: String?
    @Flag(help: "Do not verify the server's TLS certificate (only for a self-signed server on a network you trust).")
    var noVerifyTls = false

    var secret: String? {
        password ?? ProcessInfo.processInfo.environment["HUBSYNC_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func serverURL() throws -> URL {
        guard let url else { throw CLIError("a network spoke needs --url") }
        guard let u = URL(string: url.contains("://") ? url : "https://" + url), u.host != nil else {
            throw CLIError("--url \(url) is not a URL")
        }
        return u
    }

    var tls: TLSSettings { TLSSettings(verify: !noVerifyTls, caFile: caFile) }

    func client(retry: RetryPolicy = RetryPolicy()) -> HTTPClient {
        let auth: HTTPAuth = user.map { .automatic(user: $0, password: secret ?? "") } ?? .none
        return HTTPClient(transport: AHCTransport.shared(tls: tls), auth: auth, retry: retry)
    }

    /// The settings stored with the spoke; the password sealed, and the auth scheme the server
    /// asked for while the settings were checked.
    func settings(url: URL, client: HTTPClient, secrets: SecretBox) throws -> [String: String] {
        var s = ["url": url.absoluteString]
        if let user { s["user"] = user }
        if let scheme = client.answeredScheme { s["auth"] = scheme.rawValue }
        if let secret { s["password"] = try secrets.seal(secret) }
        if let caFile { s["tls.ca"] = URL(fileURLWithPath: caFile).standardizedFileURL.path }
        if noVerifyTls { s["tls.verify"] = "false" }
        return s
    }
}

/// A spoke's stored network settings, back as a client.
struct NetworkSettings {
    var url: URL
    var client: HTTPClient

    init(_ spoke: SpokeConfig, secrets: () throws -> SecretBox, retry: RetryPolicy = RetryPolicy()) throws {
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
        client = HTTPClient(transport: AHCTransport.shared(tls: tls), auth: auth, retry: retry)
    }
}

enum CardDAVSetup {
    /// The address book a URL names: itself, or the only one found from it.
    static func addressBook(_ flags: NetworkFlags, client: HTTPClient) async throws -> AddressBook {
        let books = try await Discovery.addressBooks(at: try flags.serverURL(), http: client)
        if books.count == 1 { return books[0] }
        let list = books.map { "  \($0.url.absoluteString)" + ($0.displayName.map { "  (\($0))" } ?? "") }
        throw CLIError("\(books.count) address books found; pick one with --url:\n" + list.joined(separator: "\n"))
    }
}

struct Discover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the address books (CardDAV) or contacts folders (Exchange) a server offers, to pick one for `spoke add`.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Kind of source.") var kind: SpokeKind = .carddav
    @OptionGroup var network: NetworkFlags
    @OptionGroup var exchange: ExchangeFlags

    func run() async throws {
        if kind == .ews {
            let (url, folders) = try await EWSSetup.folders(network, exchange, client: EWSSetup.client(network))
            Console.line("EWS: \(url.absoluteString)")
            Console.line(EWSSetup.listing(folders))
            return
        }
        guard kind == .carddav else { throw CLIError("discover supports carddav and ews in this version") }
        let books = try await Discovery.addressBooks(at: try network.serverURL(), http: network.client())
        var rows = [["URL", "NAME", "SYNC"]]
        for b in books {
            rows.append([b.url.absoluteString, b.displayName ?? "", b.supportsSync ? "sync-collection" : "etag listing"])
        }
        Console.line(table(rows))
    }
}
