import ArgumentParser
import ConnectorEWS
import ConnectorHTTP
import Foundation

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

    func version() throws -> ExchangeVersion {
        guard let v = ExchangeVersion(userInput: exchangeVersion) else {
            throw CLIError("--exchange-version \(exchangeVersion): choose 2010sp2, 2013 or 2016")
        }
        return v
    }
}

enum EWSSetup {
    /// The client EWS spokes use: HTTPClient with ErrorServerBusy read as throttling.
    static func client(_ network: NetworkFlags) -> HTTPClient {
        network.client(retry: EWSSpoke.retryPolicy())
    }

    /// The EWS endpoint: the URL given (a bare server name gets the standard path), else the
    /// one Autodiscover finds for the email address.
    static func endpoint(_ network: NetworkFlags, _ exchange: ExchangeFlags, client: HTTPClient) async throws -> URL {
        if network.url != nil {
            let url = try network.serverURL()
            return url.path.lowercased().hasSuffix(".asmx") ? url : url.appendingPathComponent("EWS/Exchange.asmx")
        }
        guard let email = exchange.email ?? network.user.flatMap({ $0.contains("@") ? $0 : nil }) else {
            throw CLIError("an Exchange spoke needs --url (the server) or --email (to find it by Autodiscover)")
        }
        let endpoints = try exchange.autodiscoverUrl.map { raw -> [URL] in
            guard let u = URL(string: raw) else { throw CLIError("--autodiscover-url \(raw) is not a URL") }
            return [u]
        }
        let url = try await Autodiscover.ewsURL(email: email, http: client, endpoints: endpoints)
        Console.line("Autodiscover: \(url.absoluteString)")
        return url
    }

    /// Checks URL, credentials and version by listing the contacts folders, and picks one.
    static func folders(_ network: NetworkFlags, _ exchange: ExchangeFlags, client: HTTPClient) async throws
        -> (URL, [EWSFolder])
    {
        let url = try await endpoint(network, exchange, client: client)
        let folders = try await EWSMailbox.contactFolders(url: url, version: try exchange.version(), http: client)
        return (url, folders)
    }

    static func pick(_ wanted: String?, in folders: [EWSFolder]) throws -> EWSFolder {
        guard let wanted else { return folders[0] }
        let w = wanted.lowercased()
        if let f = folders.first(where: { $0.id == wanted || $0.path.lowercased() == w })
            ?? folders.first(where: { $0.name.lowercased() == w })
        {
            return f
        }
        throw CLIError("no contacts folder '\(wanted)'; the mailbox has:\n" + folders.map { "  \($0.path)" }.joined(separator: "\n"))
    }

    static func listing(_ folders: [EWSFolder]) -> String {
        var rows = [["FOLDER", "ITEMS", "ID"]]
        for f in folders { rows.append([f.path + (f.isDefault ? " (default)" : ""), f.count.map(String.init) ?? "", f.id]) }
        return table(rows)
    }
}
