import ConnectorDAV
import ConnectorFolder
import ConnectorHTTP
import Emulators
import Foundation
import TestSupport

/// The four sources of the round-trip fidelity suite around one SQLite hub: an Exchange mailbox
/// (EWS emulator), a Google account (People emulator), a Radicale address book and a folder of
/// vCards; and the official clients that write, edit and read them (`python/fidelity_clients.py`).
struct FidelityRig {
    enum Kind: String, CaseIterable, CustomStringConvertible {
        case exchange, google, carddav, folder
        var description: String { rawValue }
    }

    let hub: HubFixture
    /// The clients' settings, as the script reads them.
    let config: String

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("python")

    static func with(_ body: (FidelityRig) async throws -> Void) async throws {
        try OutsideTools.require(.exchangelib, .googleClient, .radicale)
        try await ExchangeAndGoogle.with(auth: .basic) { both in
            try await withResource({ try await ServerProcess.radicale(user: "alice", password: "secret") },
                                   close: { $0.stop() }) { radicale in
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fidelity-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: dir) }
                let http = HTTPClient(transport: AHCTransport.shared(), auth: .automatic(user: "alice", password: "secret"))
                let book = try await makeBook(URL(string: "http://127.0.0.1:\(radicale.port)/alice/fidelity/")!, http)
                var hub = try HubFixture()
                try hub.add("exchange", .ews, both.ewsSpoke(.basic(user: "ada", password: "pw")))
                try hub.add("google", .google, both.google.spoke())
                try hub.add("carddav", .carddav, try CardDAVSpoke(settings: CardDAVSettings(url: book), http: http))
                try hub.add("folder", .folder, FolderSpoke(directory: dir))
                let tokens = both.google.emulator.issueTokens(for: Google.email)
                let config: [String: Any] = [
                    "exchange": ["url": both.ewsURL.absoluteString, "user": "ada", "password": "pw", "email": ExchangeAndGoogle.mailbox],
                    "google": ["base": both.google.base.absoluteString, "client_id": Google.clientID, "secret": Google.secret,
                               "access": tokens.access, "refresh": tokens.refresh],
                    "carddav": ["url": book.absoluteString, "user": "alice", "password": "secret"],
                    "folder": dir.path,
                ]
                let json = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
                try await body(FidelityRig(hub: hub, config: json))
            }
        }
    }

    private static func makeBook(_ url: URL, _ http: HTTPClient) async throws -> URL {
        let body = """
            <?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">\
            <D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>
            """
        let r = try await http.send(HTTPRequest(
            HTTPMethod(rawValue: "MKCOL"), url, headers: [("Content-Type", "application/xml")], body: Data(body.utf8)))
        guard r.status == 201 else { throw ServerError("MKCOL \(url.path): \(r.status)") }
        return url
    }

    /// Runs the script's commands in one process (one import of each client library); returns
    /// each `dump` it printed: every source's contacts as its official client reads them.
    func run(_ commands: [String]) async throws -> [[Kind: [FidelityCard]]] {
        let out = try await PythonScript.run("fidelity_clients.py", in: Self.script, [config] + commands,
                                             needs: [.exchangelib, .googleClient])
        return try out.split(separator: "\n").filter { $0.hasPrefix("DUMP ") }.map { line in
            let raw = try JSONDecoder().decode([String: [FidelityCard]].self, from: Data(line.dropFirst(5).utf8))
            return Dictionary(uniqueKeysWithValues: raw.compactMap { k, v in Kind(rawValue: k).map { ($0, v) } })
        }
    }
}
