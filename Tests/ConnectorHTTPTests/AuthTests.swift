import ConnectorHTTP
import ConnectorKit
import Foundation
import Synchronization
import Testing

private func digestChallenge(nonce: String, algorithm: String = "MD5", stale: Bool = false) -> ScriptedTransport.Step {
    .reply(401, [("WWW-Authenticate",
                  "Digest realm=\"dav\", qop=\"auth,auth-int\", algorithm=\(algorithm), nonce=\"\(nonce)\", opaque=\"op\"\(stale ? ", stale=TRUE" : "")")])
}

/// The value of one Digest parameter in an Authorization header.
private func param(_ name: String, _ header: String?) -> String? {
    guard let header, let range = header.range(of: "\(name)=") else { return nil }
    return String(header[range.upperBound...].prefix { $0 != "," }).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
}

@Suite struct DigestTests {
    // RFC 7616 §3.9.1.
    let challenge = DigestChallenge(
        realm: "http-auth@example.org", nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
        opaque: "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS")

    func answer(_ algorithm: DigestChallenge.Algorithm) -> String {
        var challenge = challenge
        challenge.algorithm = algorithm
        return challenge.authorization(method: "GET", uri: "/dir/index.html", user: "Mufasa", password: "Circle of Life",
                                       nc: 1, cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    }

    @Test func rfc7616MD5Example() {
        let header = answer(.md5)
        #expect(param("response", header) == "8ca523f5e9506fed4657c9700eebdbec")
        #expect(header.contains("nc=00000001") && header.contains("qop=auth") && header.contains("uri=\"/dir/index.html\""))
        #expect(header.contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""))
    }

    @Test func rfc7616SHA256Example() {
        #expect(param("response", answer(.sha256)) == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
        #expect(answer(.sha256).contains("algorithm=SHA-256"))
    }

    @Test func rfc2069ServersGetNoNonceCount() {
        // RFC 2617 §3.5 inputs without qop: H(HA1:nonce:HA2), expected value from Python hashlib.
        let old = DigestChallenge(realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", qopAuth: false)
        let header = old.authorization(method: "GET", uri: "/dir/index.html", user: "Mufasa", password: "Circle Of Life",
                                       nc: 1, cnonce: "0a4f113b")
        #expect(!header.contains("nc=") && !header.contains("cnonce") && !header.contains("qop"))
        #expect(param("response", header) == "670fd8c2df070c60b045671b8b24ff02")
    }

    @Test func challengeIsReusedWithCountingNonceAndStaleIsAnswered() async throws {
        let transport = ScriptedTransport([
            digestChallenge(nonce: "n1"), .reply(200), .reply(200),
            digestChallenge(nonce: "n2", stale: true), .reply(200),
        ])
        let client = HTTPClient(transport: transport, auth: .digest(user: "u", password: "p"))
        for path in ["a", "b", "c"] {
            #expect(try await client.send(HTTPRequest(.get, exampleURL.appendingPathComponent(path))).status == 200)
        }
        let auth = transport.authorizations
        #expect(auth[0] == nil)
        #expect(auth[1...].map { param("nonce", $0) } == ["n1", "n1", "n1", "n2"])
        #expect(auth[1...].map { param("nc", $0) } == ["00000001", "00000002", "00000003", "00000001"])
        #expect(param("uri", auth[2]) == "/dav/b")
        #expect(param("opaque", auth[1]) == "op")
        #expect(Set(auth[1...].map { param("cnonce", $0) }).count == 4)
        #expect(client.requestsSent == 5)
    }

    @Test func sha256IsPreferredWhenOffered() async throws {
        let transport = ScriptedTransport([
            .reply(401, [("WWW-Authenticate", "Digest realm=\"r\", nonce=\"a\", qop=\"auth\", algorithm=MD5"),
                         ("WWW-Authenticate", "Digest realm=\"r\", nonce=\"b\", qop=\"auth\", algorithm=SHA-256")]),
            .reply(200),
        ])
        let client = HTTPClient(transport: transport, auth: .digest(user: "u", password: "p"))
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        #expect(param("algorithm", transport.authorizations[1]) == "SHA-256")
        #expect(param("nonce", transport.authorizations[1]) == "b")
    }

    @Test func aRejectedAnswerIsUnauthorized() async throws {
        let transport = ScriptedTransport([digestChallenge(nonce: "n1"), digestChallenge(nonce: "n2")])
        let client = HTTPClient(transport: transport, auth: .digest(user: "u", password: "wrong"))
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unauthorized)
        #expect(error?.description == "the server at https://dav.example.org (GET /dav/): the server rejected the user name or password")
    }
}

@Suite struct AuthTests {
    @Test func basicIsSentWithEveryRequest() async throws {
        let transport = ScriptedTransport([.reply(200), .reply(200)])
        let client = HTTPClient(transport: transport, auth: .basic(user: "Aladdin", password: "open sesame"))
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        #expect(transport.authorizations == ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="])
    }

    @Test func basicRejectedIsUnauthorized() async throws {
        let transport = ScriptedTransport([.reply(401, [("WWW-Authenticate", "Basic realm=\"x\"")])])
        let client = HTTPClient(transport: transport, auth: .basic(user: "u", password: "p"))
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unauthorized)
    }

    @Test func withoutAuthA401IsTheCallersToMap() async throws {
        let transport = ScriptedTransport([.reply(401, [("WWW-Authenticate", "Basic realm=\"x\"")])])
        #expect(try await HTTPClient(transport: transport).send(HTTPRequest(.get, exampleURL)).status == 401)
    }

    @Test func automaticPrefersDigestWhenBothAreOffered() async throws {
        let transport = ScriptedTransport([
            .reply(401, [("WWW-Authenticate", "Basic realm=\"r\", Digest realm=\"r\", nonce=\"n\", qop=auth")]), .reply(200),
        ])
        let client = HTTPClient(transport: transport, auth: .automatic(user: "u", password: "p"))
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        #expect(transport.authorizations[0] == nil)
        #expect(transport.authorizations[1]?.hasPrefix("Digest ") == true)
    }

    @Test func automaticSendsBasicOnlyOnceAsked() async throws {
        let transport = ScriptedTransport([.reply(401, [("WWW-Authenticate", "Basic realm=\"r\"")]), .reply(200), .reply(200)])
        let client = HTTPClient(transport: transport, auth: .automatic(user: "u", password: "p"))
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        let basic = "Basic " + Data("u:p".utf8).base64EncodedString()
        #expect(transport.authorizations == [nil, basic, basic])
        #expect(client.requestsSent == 3)
    }

    @Test func digestDoesNotFallBackToBasic() async throws {
        let transport = ScriptedTransport([.reply(401, [("WWW-Authenticate", "Basic realm=\"r\"")])])
        let client = HTTPClient(transport: transport, auth: .digest(user: "u", password: "p"))
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unauthorized)
        #expect(transport.requests.count == 1)
    }

    @Test func bearerAsksTheProviderOnceMoreAfter401() async throws {
        let calls = Mutex(0)
        let refused = Mutex<[String?]>([])
        let provider: @Sendable (String?) async throws -> String = { rejected in
            refused.withLock { $0.append(rejected) }
            return "token-\(calls.withLock { $0 += 1; return $0 })"
        }
        let transport = ScriptedTransport([.reply(401), .reply(200), .reply(401), .reply(401)])
        let client = HTTPClient(transport: transport, auth: .bearer(provider))
        #expect(try await client.send(HTTPRequest(.get, exampleURL)).status == 200)
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unauthorized)
        #expect(transport.authorizations == ["Bearer token-1", "Bearer token-2", "Bearer token-3", "Bearer token-4"])
        #expect(refused.withLock { $0 } == [nil, "token-1", nil, "token-3"])
    }

    @Test func secretsNeverReachTheLog() async throws {
        let logs = LogCapture()
        let transport = ScriptedTransport([
            .reply(200), digestChallenge(nonce: "n"), .reply(207), .reply(401), .reply(200),
        ])
        let basic = HTTPClient(transport: transport, auth: .basic(user: "u", password: "hunter2"), logger: logs.logger)
        _ = try await basic.send(HTTPRequest(.get, exampleURL, body: Data("BODY-SECRET".utf8)))
        let digest = HTTPClient(transport: transport, auth: .digest(user: "u", password: "hunter2"), logger: logs.logger)
        _ = try await digest.send(HTTPRequest(.propfind, exampleURL))
        let bearer = HTTPClient(transport: transport, auth: .bearer({ _ in "ya29.TOKEN" }), logger: logs.logger)
        _ = try await bearer.send(HTTPRequest(.get, URL(string: "https://dav.example.org/x?access_token=QUERYSECRET")!))
        let text = logs.all.joined(separator: "\n")
        #expect(logs.all.count == 5)
        #expect(text.contains("PROPFIND https://dav.example.org/dav/ → 207"))
        for secret in ["Authorization", "hunter2", "ya29", "Basic", "Digest", "response=", "BODY-SECRET", "QUERYSECRET"] {
            #expect(!text.contains(secret), "\(secret) logged")
        }
    }
}

@Suite struct RedirectTests {
    @Test func propfindFollows301WithSameMethodAndBody() async throws {
        let transport = ScriptedTransport([.reply(301, [("Location", "/dav/u/")]), .reply(207)])
        let client = HTTPClient(transport: transport)
        let body = Data("<propfind/>".utf8)
        let response = try await client.send(HTTPRequest(.propfind, URL(string: "https://h.example/.well-known/carddav")!,
                                                         headers: [("Depth", "0")], body: body))
        #expect(response.status == 207)
        #expect(response.url.absoluteString == "https://h.example/dav/u/")
        #expect(transport.requests.map(\.method) == [.propfind, .propfind])
        #expect(transport.requests[1].body == body && transport.requests[1].header("Depth") == "0")
    }

    @Test func writesFollowOnly307And308() async throws {
        let transport = ScriptedTransport([.reply(301, [("Location", "/b")]), .reply(308, [("Location", "/c")]), .reply(201)])
        let client = HTTPClient(transport: transport)
        #expect(try await client.send(HTTPRequest(.put, URL(string: "https://h.example/a")!)).status == 301)
        #expect(try await client.send(HTTPRequest(.put, URL(string: "https://h.example/a")!)).status == 201)
        #expect(transport.requests.map(\.url.path) == ["/a", "/a", "/c"])
    }

    @Test func foreignOriginsGetNoBasicNorCallerCredentials() async throws {
        let transport = ScriptedTransport([
            .reply(301, [("Location", "https://other.example/x")]), .reply(401, [("WWW-Authenticate", "Basic realm=\"r\"")]),
        ])
        let client = HTTPClient(transport: transport, auth: .basic(user: "u", password: "p"))
        let error = await #expect(throws: ConnectorError.self) {
            try await client.send(HTTPRequest(.get, URL(string: "https://h.example/a")!, headers: [("Authorization", "X")]))
        }
        #expect(error?.kind == .unauthorized)
        #expect(transport.authorizations == ["Basic dTpw", nil])
    }

    @Test func tooManyHopsIsAProtocolViolation() async throws {
        let transport = ScriptedTransport(Array(repeating: .reply(302, [("Location", "/loop")]), count: 6))
        let client = HTTPClient(transport: transport)
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .protocolViolation)
        #expect(transport.requests.count == 6)
    }
}
