import ArgumentParser
import ConnectorEWS
import ConnectorHTTP
import ConnectorKit
import Foundation
import HubServer
import Logging
import Secrets

/// The Exchange part of a spoke's setup, as typed (CLI flags or the wizard's form).
struct ExchangeInput: Sendable {
    /// Finds the server by Autodiscover when no URL is given.
    var email: String?
    var version = "2016"
    /// Autodiscover endpoints to ask instead of the ones the email's domain implies.
    var autodiscover: [URL]?
    /// The user's own mailbox, another user's or shared one, or a public folder.
    var source: EWSSource = .userMailbox

    func exchangeVersion() throws -> ExchangeVersion {
        guard let v = ExchangeVersion(userInput: version) else {
            throw SetupError(field: "version", "'\(version)' is not an Exchange version HubSync knows: choose 2010sp2, 2013 or 2016.")
        }
        return v
    }
}

/// The Exchange flags of `spoke add` and `discover`.
struct ExchangeFlags: ParsableArguments {
    @Option(help: "Exchange: the mailbox's email address (finds the server by Autodiscover when --url is not given).")
    var email: String?
    @Option(help: "Exchange: the version (2010sp2, 2013, 2016; 2016 also for 2019 and later).")
    var exchangeVersion: String = "2016"
    @Option(help: "Exchange: the contacts folder to sync (its name, path or id; default: Contacts).")
    var folder: String?
    @Option(help: "Exchange: ask this Autodiscover URL instead of the ones the email's domain implies.")
    var autodiscoverUrl: String?
    // The other mailbox's address is `--mailbox`, declared with the Microsoft 365 flags (one flag for both).
    @Option(help: "Exchange: the kind of source: user (the account's own mailbox, the default), other (another user's or a shared mailbox, named by --mailbox) or public (a public folder).")
    var mailboxKind: String?
    @Option(help: "Exchange, --mailbox-kind other: delegate (Full Access or a folder permission, the default) or impersonation (the ApplicationImpersonation role).")
    var access: String?

    /// `mailbox`: the `--mailbox` given, the address of the other mailbox.
    func input(mailbox: String? = nil) throws -> ExchangeInput {
        let endpoints = try autodiscoverUrl.map { raw -> [URL] in
            guard let u = URL(string: raw), u.host != nil else { throw CLIError("--autodiscover-url \(raw) is not a URL") }
            return [u]
        }
        return ExchangeInput(email: email, version: exchangeVersion, autodiscover: endpoints,
                             source: try EWSSetup.source(kind: mailboxKind, address: mailbox, access: access))
    }
}

enum EWSSetup {
    /// The client EWS spokes use: HTTPClient with ErrorServerBusy read as throttling.
    static func client(_ network: NetworkInput, retry: RetryPolicy = RetryPolicy(), logger: Logger = HTTPClient.silent) -> HTTPClient {
        network.client(retry: EWSSpoke.retryPolicy(retry), logger: logger)
    }

    /// The EWS endpoint: the URL given (a bare server name gets the standard path), else the
    /// one Autodiscover finds for the email address.
    static func endpoint(_ network: NetworkInput, _ exchange: ExchangeInput, client: HTTPClient) async throws
        -> (url: URL, autodiscovered: Bool)
    {
        if let raw = network.url, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            let url = try network.serverURL()
            return (url.path.lowercased().hasSuffix(".asmx") ? url : url.appendingPathComponent("EWS/Exchange.asmx"), false)
        }
        let own = exchange.email.flatMap({ $0.isEmpty ? nil : $0 }) ?? network.user.flatMap({ $0.contains("@") ? $0 : nil })
        // Another user's mailbox may live on another server: Autodiscover asks for it first. An
        // account that only impersonates may not be told of it: then its own address tells the server.
        if let other = exchange.source.address {
            do {
                return (try await Autodiscover.ewsURL(email: other, http: client, endpoints: exchange.autodiscover), true)
            } catch let e as ConnectorError where own != nil && e.kind == .misconfigured {}
        }
        guard let email = own else {
            throw SetupError(
                field: "url", "An Exchange spoke needs the server's address, or the mailbox's email address to find it by Autodiscover.")
        }
        return (try await Autodiscover.ewsURL(email: email, http: client, endpoints: exchange.autodiscover), true)
    }

    struct Found {
        var url: URL
        var autodiscovered: Bool
        var folders: [EWSFolder]
    }

    /// Checks URL, credentials and version by listing the contacts folders.
    static func folders(_ network: NetworkInput, _ exchange: ExchangeInput, client: HTTPClient) async throws -> Found {
        let version = try exchange.exchangeVersion()
        let (url, autodiscovered) = try await endpoint(network, exchange, client: client)
        let folders = try await EWSMailbox.contactFolders(url: url, version: version, source: exchange.source, http: client)
        return Found(url: url, autodiscovered: autodiscovered, folders: folders)
    }

    static func pick(_ wanted: String?, in folders: [EWSFolder]) throws -> EWSFolder {
        // None named: the default, else the first the account may write to.
        guard let wanted else { return folders.first { $0.isDefault } ?? folders.first { !$0.readOnly } ?? folders[0] }
        let w = wanted.lowercased()
        if let f = folders.first(where: { $0.id == wanted || $0.path.lowercased() == w })
            ?? folders.first(where: { $0.name.lowercased() == w })
        {
            return f
        }
        throw SetupError(
            field: "folder", "no contacts folder '\(wanted)'; the mailbox has:\n" + folders.map { "  \($0.path)" }.joined(separator: "\n"))
    }

    /// The settings `spoke add` stores: the network ones, the version and the folder chosen.
    static func settings(_ network: NetworkInput, _ exchange: ExchangeInput, found: Found, folder: EWSFolder,
                         client: HTTPClient, secrets: SecretBox) throws -> [String: String] {
        var s = try network.settings(url: found.url, client: client, secrets: secrets)
        s["ews.version"] = try exchange.exchangeVersion().rawValue
        s["ews.folder"] = folder.id
        s["ews.folderName"] = folder.path
        s.merge(exchange.source.stored) { _, kind in kind }
        return s
    }

    static func listing(_ folders: [EWSFolder]) -> String {
        var rows = [["FOLDER", "ITEMS", "ID"]]
        for f in folders {
            rows.append([f.path + (f.isDefault ? " (default)" : "") + (f.readOnly ? " (read-only)" : ""), f.count.map(String.init) ?? "", f.id])
        }
        return table(rows)
    }

    /// The form field a refusal to open a mailbox or public folder is about (nil: the credentials).
    static func blame(_ message: String) -> String? {
        if message.contains("(ErrorImpersonateUserDenied)") { return "access" }
        if message.contains("(ErrorNonExistentMailbox)") { return "mailbox" }
        if message.contains("(ErrorAccessDenied)") { return message.contains("public folder") ? "mailboxKind" : "mailbox" }
        return nil
    }

    /// The kind of Exchange source as typed (CLI flags, the wizard's form), checked: an unknown
    /// kind or a missing address names the field to fix. An address without a kind means another
    /// user's mailbox.
    static func source(kind: String?, address: String?, access: String?) throws -> EWSSource {
        let typed = kind?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let given = !(address?.trimmingCharacters(in: .whitespaces).isEmpty ?? true)
        guard let k = typed.isEmpty ? (given ? .other : .user) : EWSSource.Kind(rawValue: typed) else {
            throw SetupError(field: "mailboxKind", "'\(typed)' is not a kind of Exchange source: choose user, other or public.")
        }
        switch k {
        case .user: return .userMailbox
        case .public: return .publicFolder
        case .other:
            let a = address?.trimmingCharacters(in: .whitespaces) ?? ""
            let parts = a.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), a.count <= 320 else {
                throw SetupError(field: "mailbox", "Enter the email address of the other user's or the shared mailbox.")
            }
            let how = access?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard let way = how.isEmpty ? .delegate : EWSAccess(rawValue: how) else {
                throw SetupError(field: "access", "'\(how)' is not a way to open a mailbox: choose delegate or impersonation.")
            }
            return .otherMailbox(address: a, access: way)
        }
    }
}
