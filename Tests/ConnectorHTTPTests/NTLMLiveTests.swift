import ConnectorHTTP
import ConnectorKit
import Foundation
import Testing
import TestSupport

/// NTLM through AHCTransport's lanes against pyspnego's acceptor, which keeps a login per
/// connection as IIS does.
@Suite(.serialized) struct NTLMLiveTests {
    struct Stats: Decodable {
        var negotiates: Int
        var logins: Int
        var served: Int
        var connections: [Int]
    }

    func url(_ server: ServerProcess, _ path: String, scheme: String = "http") -> URL {
        URL(string: "\(scheme)://127.0.0.1:\(server.port)\(path)")!
    }

    func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    func stats(_ server: ServerProcess, _ transport: AHCTransport, scheme: String = "http") async throws -> Stats {
        let response = try await HTTPClient(transport: transport).send(HTTPRequest(.get, url(server, "/ntlm-stats", scheme: scheme)))
        return try JSONDecoder().decode(Stats.self, from: response.body)
    }

    func alice(_ transport: AHCTransport, password: String = TestServer.password, maxConcurrent: Int = 4) -> HTTPClient {
        HTTPClient(transport: transport, auth: .ntlm(user: TestServer.user, password: password, domain: TestServer.ntlmDomain),
                   maxConcurrent: maxConcurrent)
    }

    @Test func oneLoginThenTheConnectionIsReused() async throws {
        try OutsideTools.require(.pyspnego)
        let server = try await TestServer.start()
        try await withTransport { transport in
            let client = alice(transport)
            for n in 1...5 {
                let response = try await client.send(HTTPRequest(.put, url(server, "/ntlm/c/\(n).vcf"), body: Data("card \(n)".utf8)))
                #expect(response.status == 200, "\(server.output())")
                #expect(text(response) == "HUBSYNC\\alice PUT /ntlm/c/\(n).vcf card \(n)")
            }
            let s = try await stats(server, transport)
            #expect(s.negotiates == 1 && s.logins == 1 && s.served == 5)
            // NEGOTIATE and AUTHENTICATE for the first request, then one bare request each.
            #expect(client.requestsSent == 6)
            #expect(client.answeredScheme == .ntlm)
        }
    }

    @Test func aWrongPasswordIsUnauthorizedEvenNextToALoggedInConnection() async throws {
        try OutsideTools.require(.pyspnego)
        let server = try await TestServer.start()
        try await withTransport { transport in
            #expect(try await alice(transport).send(HTTPRequest(.get, url(server, "/ntlm/x"))).status == 200)
            let error = await #expect(throws: ConnectorError.self) {
                try await alice(transport, password: "nope").send(HTTPRequest(.get, url(server, "/ntlm/x")))
            }
            #expect(error?.kind == .unauthorized)
            #expect(error?.description == "the server at http://127.0.0.1:\(server.port) (GET /ntlm/x): the server rejected "
                + "the user name or password")
            let s = try await stats(server, transport)
            #expect(s.negotiates == 2 && s.logins == 1 && s.served == 1)
        }
    }

    @Test func concurrentRequestsLogInOncePerLane() async throws {
        try OutsideTools.require(.pyspnego)
        let server = try await TestServer.start()
        try await withTransport { transport in
            let client = alice(transport, maxConcurrent: 4)
            for round in 1...2 {
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for n in 1...20 {
                        group.addTask { try await client.send(HTTPRequest(.get, url(server, "/ntlm/\(round)/\(n)"))).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses == Array(repeating: 200, count: 20), "\(server.output())")
            }
            let s = try await stats(server, transport)
            // At most one lane per slot, each logged in once on its own connection, all reused in round 2.
            #expect((1...4).contains(s.logins), "\(s)")
            #expect(s.negotiates == s.logins && Set(s.connections).count == s.logins)
            #expect(s.served == 40)
            // Each login: a NEGOTIATE, and an AUTHENTICATE that carries its request.
            #expect(client.requestsSent == 40 + s.logins)
        }
    }

    @Test func automaticAnswersNegotiateNTLMWithNTLM() async throws {
        try OutsideTools.require(.pyspnego)
        let server = try await TestServer.start()
        try await withTransport { transport in
            for user in ["HUBSYNC\\alice", TestServer.upn] {
                let client = HTTPClient(transport: transport, auth: .automatic(user: user, password: TestServer.password))
                let response = try await client.send(HTTPRequest(.get, url(server, "/ntlm/me")))
                #expect(response.status == 200 && text(response) == "\(user) GET /ntlm/me ", "\(server.output())")
                #expect(client.answeredScheme == .ntlm)
                _ = try await client.send(HTTPRequest(.get, url(server, "/ntlm/me")))
                // The first 401 (no credentials yet), the handshake, then one bare request.
                #expect(client.requestsSent == 4)
            }
        }
    }

    @Test func overTLS() async throws {
        try OutsideTools.require(.pyspnego, .openssl)
        let server = try await TestServer.start(tls: true)
        try await withTransport(AHCTransport(tls: TLSSettings(caFile: server.directory.appendingPathComponent("cert.pem").path))) { transport in
            let client = alice(transport)
            for _ in 1...3 {
                #expect(try await client.send(HTTPRequest(.get, url(server, "/ntlm/tls", scheme: "https"))).status == 200)
            }
            let s = try await stats(server, transport, scheme: "https")
            #expect(s.logins == 1 && s.served == 3)
        }
    }

    /// Extended Protection: pyspnego's acceptor bound to the server's certificate signs us in
    /// (binding and MIC checked); bound to another (a proxy ending TLS) it refuses, and the
    /// error says why it may be. The certificate is read once, and again after a refusal.
    @Test func extendedProtectionOverTLS() async throws {
        try OutsideTools.require(.pyspnego, .openssl)
        let server = try await TestServer.start(tls: true)
        let ca = server.directory.appendingPathComponent("cert.pem").path
        try await withTransport(AHCTransport(tls: TLSSettings(caFile: ca))) { transport in
            let client = alice(transport)
            for _ in 1...3 {
                let response = try await client.send(HTTPRequest(.get, url(server, "/ntlm-ep/x", scheme: "https")))
                #expect(response.status == 200, "\(server.output())")
            }
            #expect(transport.certificateHandshakes == 1)
            let s = try await stats(server, transport, scheme: "https")
            #expect(s.logins == 1 && s.served == 3)

            // Another account: a lane not logged in yet.
            let carol = HTTPClient(transport: transport, auth: .ntlm(user: TestServer.upn, password: TestServer.password, domain: nil))
            let error = await #expect(throws: ConnectorError.self) {
                try await carol.send(HTTPRequest(.get, url(server, "/ntlm-ep-proxy/x", scheme: "https")))
            }
            #expect(error?.kind == .unauthorized)
            #expect(error?.message.contains("Extended Protection on the server refused the channel binding") == true,
                    "\(error?.message ?? "")")
            // The cached certificate was read again before giving up (the same: no second sign-in).
            #expect(transport.certificateHandshakes == 2)
            #expect(server.output().contains("Acceptor bindings do not match"), "\(server.output())")
        }
    }

    /// The certificate read for the binding is verified as the requests are: an untrusted one
    /// stops the sign-in before any NTLM message goes out.
    @Test func anUntrustedCertificateIsNotBoundTo() async throws {
        try OutsideTools.require(.pyspnego, .openssl)
        let server = try await TestServer.start(tls: true)
        try await withTransport(AHCTransport()) { transport in
            let error = await #expect(throws: ConnectorError.self) {
                try await alice(transport).send(HTTPRequest(.get, url(server, "/ntlm-ep/x", scheme: "https")))
            }
            #expect(error?.kind == .misconfigured, "\(error?.description ?? "")")
            #expect(error?.message.contains("certificate") == true, "\(error?.message ?? "")")
        }
        // Verification off, explicitly: the binding is made from the certificate shown.
        try await withTransport(AHCTransport(tls: TLSSettings(verify: false))) { transport in
            let response = try await alice(transport).send(HTTPRequest(.get, url(server, "/ntlm-ep/y", scheme: "https")))
            #expect(response.status == 200, "\(server.output())")
        }
        // Only that sign-in reached the server: the untrusted one sent no NTLM message.
        let s = try await withTransport(AHCTransport(tls: TLSSettings(verify: false))) { try await stats(server, $0, scheme: "https") }
        #expect(s.negotiates == 1 && s.logins == 1)
    }
}
