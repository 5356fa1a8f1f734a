import ConnectorHTTP
import ConnectorKit
import Foundation
import Testing
import TestSupport

/// AHCTransport against a real server on loopback.
@Suite(.serialized) struct LiveServerTests {
    func url(_ server: ServerProcess, _ path: String, scheme: String = "http") -> URL {
        URL(string: "\(scheme)://127.0.0.1:\(server.port)\(path)")!
    }

    func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test(arguments: ["md5", "sha256"])
    func digestAgainstAnIndependentServer(algorithm: String) async throws {
        let server = try await TestServer.start()
        try await withTransport { transport in
            let client = HTTPClient(transport: transport, auth: .digest(user: TestServer.user, password: TestServer.password))
            for n in 1...3 {
                let response = try await client.send(HTTPRequest(.put, url(server, "/digest-\(algorithm)/c/\(n).vcf?x=1"),
                                                                 body: Data("card \(n)".utf8)))
                #expect(response.status == 200, "\(server.output())")
                #expect(text(response) == "PUT /digest-\(algorithm)/c/\(n).vcf?x=1 card \(n)")
            }
            // One 401 round trip for the first request only: the challenge is reused with nc counting.
            #expect(client.requestsSent == 4)
        }
    }

    @Test func wrongPasswordIsUnauthorized() async throws {
        let server = try await TestServer.start()
        try await withTransport { transport in
            for auth in [HTTPAuth.digest(user: TestServer.user, password: "nope"), .basic(user: TestServer.user, password: "nope"),
                         .automatic(user: "bob", password: TestServer.password)] {
                let client = HTTPClient(transport: transport, auth: auth)
                let error = await #expect(throws: ConnectorError.self) {
                    try await client.send(HTTPRequest(.get, url(server, "/digest-md5/x")))
                }
                #expect(error?.kind == .unauthorized)
            }
        }
    }

    @Test func basicAndAutomatic() async throws {
        let server = try await TestServer.start()
        try await withTransport { transport in
            let basic = HTTPClient(transport: transport, auth: .basic(user: TestServer.user, password: TestServer.password))
            let answer = try await basic.send(HTTPRequest(.get, url(server, "/basic")))
            #expect(text(answer) == "basic")
            let automatic = HTTPClient(transport: transport, auth: .automatic(user: TestServer.user, password: TestServer.password))
            let digest = try await automatic.send(HTTPRequest(.get, url(server, "/auto")))
            #expect(text(digest) == "digest")
            let basicAgain = try await automatic.send(HTTPRequest(.get, url(server, "/basic")))
            #expect(text(basicAgain) == "basic")
            #expect(automatic.requestsSent == 4)
        }
    }

    /// Answers come compressed when the server can (a multistatus of cards to about a sixth),
    /// and reach the caller inflated.
    @Test func answersAreAskedForCompressedAndInflated() async throws {
        let server = try await TestServer.start()
        try await withTransport { transport in
            let response = try await HTTPClient(transport: transport).send(HTTPRequest(.get, url(server, "/gzip")))
            #expect(response.status == 200)
            #expect(response.header("Content-Encoding") == "gzip")
            #expect(text(response) == "<multistatus>" + String(repeating: "x", count: 100000) + "</multistatus>")
        }
    }

    @Test func anAnswerPastTheLimitOnceInflatedIsRefused() async throws {
        let server = try await TestServer.start()
        try await withTransport(AHCTransport(maxBody: 1 << 20)) { transport in
            let error = await #expect(throws: ConnectorError.self) {
                try await HTTPClient(transport: transport).send(HTTPRequest(.get, url(server, "/gzip-bomb")))
            }
            #expect(error?.message.contains("larger than 1 MB once inflated") == true, "\(String(describing: error))")
        }
    }

    @Test func serviceUnavailableWithRetryAfterThenSuccess() async throws {
        let server = try await TestServer.start()
        try await withTransport { transport in
            let sleeps = Sleeps()
            let client = HTTPClient(transport: transport, sleep: sleeps.sleeper)
            let response = try await client.send(HTTPRequest(.get, url(server, "/flaky")))
            #expect(response.status == 200 && text(response) == "recovered")
            #expect(sleeps.all == [.seconds(1)])
        }
    }

    @Test func wellKnownPropfindIsRedirectedAndAuthenticatedPerHop() async throws {
        let server = try await TestServer.start()
        try await withTransport { transport in
            let client = HTTPClient(transport: transport, auth: .digest(user: TestServer.user, password: TestServer.password))
            let response = try await client.send(HTTPRequest(.propfind, url(server, "/.well-known/carddav"),
                                                             headers: [("Depth", "0")], body: Data("<propfind/>".utf8)))
            #expect(response.status == 207)
            #expect(text(response) == "PROPFIND /digest-sha256/dav/ <propfind/>")
            #expect(response.url == url(server, "/digest-sha256/dav/"))
        }
    }

    @Test func refusedConnectionIsUnavailable() async throws {
        let port = try ServerProcess.freePort()
        try await withTransport(AHCTransport(timeout: .seconds(5))) { transport in
            let client = HTTPClient(transport: transport, retry: .init(maxAttempts: 2), sleep: Sleeps().sleeper)
            let error = await #expect(throws: ConnectorError.self) {
                try await client.send(HTTPRequest(.get, URL(string: "http://127.0.0.1:\(port)/")!))
            }
            #expect(error?.kind == .unavailable)
            #expect(error?.description.hasPrefix("the server at http://127.0.0.1:\(port) (GET /): could not reach the server") == true)
        }
    }

    @Test func selfSignedCertificate() async throws {
        try OutsideTools.require(.openssl)
        let server = try await TestServer.start(tls: true)
        let hello = HTTPRequest(.get, url(server, "/hello", scheme: "https"))
        try await withTransport { strict in
            let error = await #expect(throws: ConnectorError.self) {
                try await HTTPClient(transport: strict, sleep: Sleeps().sleeper).send(hello)
            }
            #expect(error?.kind == .misconfigured)
            #expect(error?.description.contains("the server at https://127.0.0.1:\(server.port) (GET /hello): its TLS certificate is "
                + "not trusted (certificate verify failed)") == true, "\(error?.description ?? "")")
        }

        let cert = server.directory.appendingPathComponent("cert.pem").path
        for tls in [TLSSettings(caFile: cert), TLSSettings(verify: false)] {
            try await withTransport(AHCTransport(tls: tls)) { transport in
                let response = try await HTTPClient(transport: transport).send(hello)
                #expect(response.status == 200 && text(response) == "hello", "\(tls)")
            }
        }
    }
}
