import ConnectorDAV
import ConnectorEWS
import ConnectorGoogle
import ConnectorGraph
import ConnectorHTTP
import ConnectorKit
import Foundation
import Testing
import TestSupport

/// What an admin reads when a server fails: for every network connector and every class of
/// failure, provoked over the wire, the text names the server and the request, says what went
/// wrong in plain words, and shows no internal name, Foundation code or secret.
@Suite struct AdminErrorTextTests {
    enum Kind: String, CaseIterable, Sendable { case carddav, ews, google, graph }

    enum Failure: String, CaseIterable, Sendable {
        case refused, unresolvable, tls, unauthorized, forbidden, notFound, serverError, malformed, tooSlow, quota

        /// Words the text must hold (one of them): what went wrong, as an admin would say it.
        var plainWords: [String] {
            switch self {
            case .refused: ["the connection was refused"]
            case .unresolvable: ["the host name could not be resolved"]
            case .tls: ["the TLS handshake failed"]
            case .unauthorized: ["rejected the user name or password", "refused the access token"]
            case .forbidden: ["forbids", "refused access", "refused the credentials", "403"]
            case .notFound: ["does not exist", "no EWS endpoint", "404"]
            case .serverError: ["500"]
            case .malformed: ["could not be read"]
            case .tooSlow: ["the server is too slow"]
            case .quota: ["asks to wait 3600 s"]
            }
        }
    }

    static let password = "pw-SECRET-1"
    static let token = "tok-SECRET-2"
    /// None of these may reach an admin: type and case names, Foundation's and NIO's texts.
    static let denied = [
        "Error Domain", "NSXML", "NSCocoa", "errno", "error set", "Optional(", "The operation could not be completed",
        "protocolViolation", "unauthorized:", "unavailable:", "misconfigured:", "ConnectorError", "HTTPTransportError",
        "HTTPClientError", "DecodingError", "keyNotFound", "typeMismatch", "CodingKeys", "NIO", "BoringSSL", "Failure(",
        password, token,
    ]

    /// One server for all cases: each case's base URL picks its misbehaviour.
    static let server = Task { try await HostileHTTPServer.start() }

    func base(_ failure: Failure, _ kind: Kind) async throws -> URL {
        let port = try await Self.server.value.port
        let path: String
        switch failure {
        case .refused: return URL(string: "http://127.0.0.1:1/")!
        case .unresolvable: return URL(string: "http://hubsync-nowhere.invalid:8080/")!
        case .tls: return URL(string: "https://127.0.0.1:\(port)/")!
        case .unauthorized: path = "401"
        case .forbidden: path = "403"
        case .notFound: path = "404"
        case .serverError: path = "500"
        case .malformed: path = kind == .carddav || kind == .ews ? "badxml" : "badjson"
        case .tooSlow: path = "slow"
        case .quota: path = "quota"
        }
        return URL(string: "http://127.0.0.1:\(port)/\(path)/")!
    }

    func spoke(_ kind: Kind, _ base: URL, _ http: HTTPClient) throws -> any SpokeConnector {
        switch kind {
        case .carddav:
            try CardDAVSpoke(settings: CardDAVSettings(url: base.appendingPathComponent("alice/book/")), http: http)
        case .ews:
            EWSSpoke(settings: EWSSettings(url: base.appendingPathComponent("EWS/Exchange.asmx")), http: http)
        case .google:
            GoogleSpoke(settings: GoogleSettings(clientID: "c", apiBase: base), http: http)
        case .graph:
            GraphSpoke(settings: GraphSettings(clientID: "c", graphBase: base.appendingPathComponent("v1.0")), http: http)
        }
    }

    @Test(arguments: Kind.allCases, Failure.allCases)
    func theTextNamesTheServerAndTheRequestInPlainWords(kind: Kind, failure: Failure) async throws {
        let base = try await base(failure, kind)
        let transport = AHCTransport(timeout: .seconds(20))
        let auth: HTTPAuth = switch kind {
        case .carddav, .ews: .basic(user: "alice", password: Self.password)
        case .google, .graph: .bearer { _ in Self.token }
        }
        // Retries are not waited for; the deadline of the too-slow case ends at once.
        let http = HTTPClient(
            transport: transport, auth: auth, retry: RetryPolicy(maxAttempts: 2), sleep: { _ in },
            deadlineTimer: { d in if failure != .tooSlow { try await Task.sleep(for: d) } })
        let connector = try spoke(kind, base, http)
        let error = await #expect(throws: ConnectorError.self) { _ = try await connector.pull(since: nil, page: nil) }
        try await transport.shutdown()
        let text = try #require(error).description

        #expect(text.hasPrefix("the server at \(ServerName.of(base)) ("), "\(text)")
        let request = try #require(error?.request, "no request named: \(text)")
        #expect(text.contains("(\(request)): "), "\(text)")
        #expect(failure.plainWords.contains { text.contains($0) }, "\(text)")
        if failure == .malformed, kind == .carddav || kind == .ews {
            #expect(text.contains("(line "), "an XML error says where: \(text)")
        }
        for word in Self.denied { #expect(!text.contains(word), "\(word) in \(text)") }
    }

    /// A URL with a user name and password in it, or a token in its query, is never shown.
    @Test func theServerIsNamedWithoutCredentialsOrQuery() {
        let url = URL(string: "https://alice:\(Self.password)@dav.example.org:8443/dav/book/?token=\(Self.token)")!
        #expect(ServerName.of(url) == "https://dav.example.org:8443")
        let error = ConnectorError(.unavailable, "the server answered 503 after retries", server: ServerName.of(url),
                                   request: HTTPClient.requestName(HTTPRequest(.report, url)))
        #expect(error.description == "the server at https://dav.example.org:8443 (REPORT /dav/book/): the server answered 503 after retries")
    }
}
