import Foundation
import ConnectorDAV
import ConnectorHTTP
import Logging
import TestSupport

/// The real CardDAV servers the tests run against, from PyPI (see .ci/requirements.txt).
enum ServerKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case radicale, xandikos
    var description: String { rawValue }
    var tool: OutsideTool {
        switch self {
        case .radicale: .radicale
        case .xandikos: .xandikos
        }
    }
}

/// One server on loopback with a fresh storage folder, and a user.
final class DAVServer: Sendable {
    let kind: ServerKind
    let process: ServerProcess
    let user = "alice"
    let password = "secret"
    let base: URL

    static func start(_ kind: ServerKind) async throws -> DAVServer {
        try OutsideTools.require(kind.tool)
        let p: ServerProcess
        switch kind {
        case .radicale:
            p = try await ServerProcess.radicale(user: "alice", password: "secret")
        case .xandikos:
            // Plain HTTP Xandikos has no auth of its own (it sits behind a proxy); the
            // credentials are sent and ignored.
            p = try await ServerProcess("python3") { port, dir in
                ["-m", "xandikos", "serve", "-d", dir.appendingPathComponent("data").path, "--defaults", "-l", "127.0.0.1", "-p", "\(port)"]
            }
        }
        return DAVServer(kind: kind, process: p)
    }

    private init(kind: ServerKind, process: ServerProcess) {
        self.kind = kind
        self.process = process
        base = URL(string: "http://127.0.0.1:\(process.port)/")!
    }

    /// Where new address books go.
    var home: URL {
        switch kind {
        case .radicale: base.appendingPathComponent("alice/")
        case .xandikos: base.appendingPathComponent("user/contacts/")
        }
    }

    func client(retry: RetryPolicy = .init()) -> HTTPClient {
        HTTPClient(transport: AHCTransport.shared(), auth: .automatic(user: user, password: password), retry: retry)
    }

    /// A new, empty address book (extended MKCOL, RFC 5689).
    func makeBook(_ name: String = "book-\(UUID().uuidString.prefix(8))") async throws -> URL {
        let url = home.appendingPathComponent(name + "/")
        let body = """
            <?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">\
            <D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>\
            <D:displayname>\(name)</D:displayname></D:prop></D:set></D:mkcol>
            """
        let r = try await client().send(HTTPRequest(
            HTTPMethod(rawValue: "MKCOL"), url, headers: [("Content-Type", "application/xml")], body: Data(body.utf8)))
        guard r.status == 201 else { throw ServerError("MKCOL \(url.path): \(r.status)\n\(process.output().suffix(2000))") }
        return url
    }

    func spoke(_ book: URL, batch: Int = 250, client: HTTPClient? = nil) throws -> CardDAVSpoke {
        try CardDAVSpoke(settings: CardDAVSettings(url: book, multigetBatch: batch), http: client ?? self.client())
    }
}
