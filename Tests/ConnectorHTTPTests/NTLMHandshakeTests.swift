import ConnectorHTTP
import ConnectorKit
import Foundation
import Testing
import TestSupport

private let type1 = "NTLM TlRMTVNTUAABAAAABYIIoAAAAAAgAAAAAAAAACAAAAA="

private func challenge(_ message: [UInt8] = NTLMFixture.specChallenge, also: [String] = []) -> ScriptedTransport.Step {
    .reply(401, [("WWW-Authenticate", NTLMFixture.header(message))] + also.map { ("WWW-Authenticate", $0) })
}

private func ntlmClient(_ transport: ScriptedTransport, user: String = "User", domain: String? = "Domain",
                        logger: LogCapture? = nil, sleeps: Sleeps = Sleeps()) -> HTTPClient {
    HTTPClient(transport: transport, auth: .ntlm(user: user, password: "Password", domain: domain),
               logger: logger?.logger ?? .init(label: "test"), sleep: sleeps.sleeper, ntlmInputs: NTLMFixture.inputs)
}

@Suite struct NTLMHandshakeTests {
    @Test func negotiateThenAuthenticateEachWithTheBody() async throws {
        let transport = ScriptedTransport([challenge(), .reply(201)])
        let client = ntlmClient(transport)
        let body = Data("<card/>".utf8)
        let response = try await client.send(HTTPRequest(.put, exampleURL, body: body))
        #expect(response.status == 201)
        #expect(transport.authorizations.first == type1)
        let answer = try #require(AuthenticateMessage(header: transport.authorizations[1]))
        #expect(answer.user == "User" && answer.domain == "Domain")
        // The MS-NLMP §4.2.4 example, end to end through the client with injected inputs.
        #expect(answer.ntProofStr == "68cd0ab851e51c96aabc927bebef6a1c")
        #expect(transport.requests.map(\.body) == [body, body])
        #expect(transport.requests.map(\.method) == [.put, .put])
        #expect(client.answeredScheme == .ntlm)
        #expect(client.requestsSent == 2)
    }

    @Test func aLoggedInConnectionSendsNoHeader() async throws {
        let transport = ScriptedTransport([challenge(), .reply(200), .reply(200), .reply(207)])
        let client = ntlmClient(transport)
        for method in [HTTPMethod.get, .get, .propfind] {
            _ = try await client.send(HTTPRequest(method, exampleURL))
        }
        #expect(transport.authorizations.count == 4)
        #expect(transport.authorizations[2...].allSatisfy { $0 == nil })
        #expect(Set(transport.laneKeys).count == 1 && transport.laneKeys.count == 3)
    }

    @Test func aFresh401RedoesTheHandshake() async throws {
        // The connection closed between requests: the server sees a new one and asks again.
        let transport = ScriptedTransport([
            challenge(), .reply(200),
            .reply(401, [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM")]), challenge(), .reply(200),
            .reply(200),
        ])
        let client = ntlmClient(transport)
        for _ in 0..<3 { #expect(try await client.send(HTTPRequest(.get, exampleURL)).status == 200) }
        let kinds = transport.authorizations.map { header -> String in
            guard let header else { return "bare" }
            return header == type1 ? "negotiate" : (AuthenticateMessage(header: header) != nil ? "authenticate" : "?")
        }
        #expect(kinds == ["negotiate", "authenticate", "bare", "negotiate", "authenticate", "bare"])
    }

    @Test func a401ToTheAuthenticateIsUnauthorized() async throws {
        let transport = ScriptedTransport([challenge(), .reply(401, [("WWW-Authenticate", "NTLM")])])
        let client = ntlmClient(transport)
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unauthorized)
        #expect(error?.description == "the server at https://dav.example.org (GET /dav/): the server rejected the user name or password")
        #expect(transport.requests.count == 2)
    }

    @Test func aServerWithoutNTLMIsUnauthorizedWithWhatItOffers() async throws {
        let transport = ScriptedTransport([.reply(401, [("WWW-Authenticate", "Basic realm=\"r\"")])])
        let error = await #expect(throws: ConnectorError.self) {
            try await ntlmClient(transport).send(HTTPRequest(.get, exampleURL))
        }
        #expect(error?.kind == .unauthorized)
        #expect(error?.description == "the server at https://dav.example.org (GET /dav/): the server did not answer NTLM with a "
            + "challenge (it offers basic)")
    }

    @Test func aMalformedChallengeIsAProtocolViolation() async throws {
        let transport = ScriptedTransport([.reply(401, [("WWW-Authenticate", "NTLM AAAA")])])
        let error = await #expect(throws: ConnectorError.self) {
            try await ntlmClient(transport).send(HTTPRequest(.get, exampleURL))
        }
        #expect(error?.kind == .protocolViolation)
    }

    @Test func aConnectionClosedAfterTheChallengeIsNotTakenForAWrongPassword() async throws {
        let transport = ScriptedTransport([
            .reply(401, [("WWW-Authenticate", NTLMFixture.header(NTLMFixture.specChallenge)), ("Connection", "close")]),
        ])
        let error = await #expect(throws: ConnectorError.self) {
            try await ntlmClient(transport).send(HTTPRequest(.get, exampleURL))
        }
        #expect(error?.kind == .protocolViolation)
        #expect(transport.requests.count == 1)
    }

    @Test func retryAfterDuringTheHandshakeIsHonouredAndItsOwn401sAreNotRejections() async throws {
        let sleeps = Sleeps()
        // Throttled at the NEGOTIATE, then after a login that held: the retry goes bare.
        let transport = ScriptedTransport([.reply(503, [("Retry-After", "2")]), challenge(), .reply(503), .reply(200)])
        let client = HTTPClient(transport: transport, auth: .ntlm(user: "User", password: "Password", domain: "Domain"),
                                retry: exactRetry(), sleep: sleeps.sleeper, ntlmInputs: NTLMFixture.inputs)
        #expect(try await client.send(HTTPRequest(.get, exampleURL)).status == 200)
        #expect(sleeps.all == [.seconds(2), .seconds(1)])
        let auth = transport.authorizations
        #expect(auth[0] == type1 && auth[1] == type1 && AuthenticateMessage(header: auth[2]) != nil && auth[3] == nil)
        #expect(auth.count == 4)
    }

    @Test func userNameFormsReachTheMessage() async throws {
        for (user, expected) in [("CORP\\alice", ("alice", "CORP")), ("alice@corp.example", ("alice@corp.example", ""))] {
            let transport = ScriptedTransport([challenge(), .reply(200)])
            _ = try await ntlmClient(transport, user: user, domain: nil).send(HTTPRequest(.get, exampleURL))
            let answer = try #require(AuthenticateMessage(header: transport.authorizations[1]))
            #expect((answer.user, answer.domain) == expected)
        }
    }

    @Test func otherCredentialsGetOtherLanes() async throws {
        let transport = ScriptedTransport([challenge(), .reply(200), challenge(), .reply(200), .reply(200)])
        for password in ["right", "wrong", "right"] {
            let client = HTTPClient(transport: transport, auth: .ntlm(user: "u", password: password, domain: "D"))
            _ = try await client.send(HTTPRequest(.get, exampleURL))
        }
        let keys = transport.laneKeys
        #expect(keys[0] != keys[1] && keys[0] == keys[2])
        // The third client shares the first one's lane, logged in already: no handshake.
        #expect(transport.authorizations[4] == nil)
    }

    @Test func noNTLMForAnotherOrigin() async throws {
        let transport = ScriptedTransport([
            challenge(), .reply(302, [("Location", "https://other.example/x")]),
            .reply(401, [("WWW-Authenticate", "NTLM")]),
        ])
        let error = await #expect(throws: ConnectorError.self) {
            try await ntlmClient(transport).send(HTTPRequest(.get, exampleURL))
        }
        #expect(error?.kind == .unauthorized)
        #expect(transport.requests.last?.url.host == "other.example")
        #expect(transport.authorizations.last == .some(nil))
    }

    @Test func aTransportThatCannotHoldAConnectionSaysSo() async throws {
        struct Pooled: HTTPTransport {
            func send(_ request: HTTPRequest) async throws -> HTTPResponse { HTTPResponse(status: 200, url: request.url) }
        }
        let client = HTTPClient(transport: Pooled(), auth: .ntlm(user: "u", password: "p", domain: nil))
        let error = await #expect(throws: ConnectorError.self) { try await client.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .misconfigured)
    }

    @Test func tokensAndSecretsNeverReachTheLog() async throws {
        let logs = LogCapture()
        let transport = ScriptedTransport([challenge(), .reply(200), .reply(200)])
        let client = ntlmClient(transport, logger: logs)
        _ = try await client.send(HTTPRequest(.post, exampleURL, body: Data("BODY-SECRET".utf8)))
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        let text = logs.all.joined(separator: "\n")
        #expect(logs.all.count == 3)
        for secret in ["Authorization", "NTLM", "TlRM", "Password", "BODY-SECRET", "Domain"] {
            #expect(!text.contains(secret), "\(secret) logged")
        }
    }
}

@Suite struct AutomaticNTLMTests {
    func automatic(_ transport: ScriptedTransport) -> HTTPClient {
        HTTPClient(transport: transport, auth: .automatic(user: "CORP\\alice", password: "pw"), ntlmInputs: NTLMFixture.inputs)
    }

    @Test(arguments: [["Negotiate", "NTLM"], ["Negotiate, NTLM"], ["NTLM"]])
    func picksNTLMWhenOnlyNTLMOrNegotiateIsOffered(offer: [String]) async throws {
        let transport = ScriptedTransport([
            .reply(401, offer.map { ("WWW-Authenticate", $0) }), challenge(), .reply(200), .reply(200),
        ])
        let client = automatic(transport)
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        #expect(transport.authorizations[0] == nil && transport.authorizations[1] == type1)
        let answer = try #require(AuthenticateMessage(header: transport.authorizations[2]))
        #expect(answer.user == "alice" && answer.domain == "CORP")
        #expect(client.answeredScheme == .ntlm)
        // Remembered: the next request goes straight to the logged-in lane.
        _ = try await client.send(HTTPRequest(.get, exampleURL))
        #expect(transport.authorizations.count == 4 && transport.authorizations[3] == nil)
    }

    @Test func negotiateAloneIsNotAnswered() async throws {
        let transport = ScriptedTransport([.reply(401, [("WWW-Authenticate", "Negotiate")])])
        let error = await #expect(throws: ConnectorError.self) { try await automatic(transport).send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.kind == .unauthorized)
        #expect(transport.requests.count == 1)
    }

    @Test func basicOverHttpsNTLMOverHttp() async throws {
        let offer = ScriptedTransport.Step.reply(401, [("WWW-Authenticate", "NTLM"), ("WWW-Authenticate", "Basic realm=\"r\"")])
        let https = ScriptedTransport([offer, .reply(200)])
        _ = try await automatic(https).send(HTTPRequest(.get, exampleURL))
        #expect(https.authorizations[1]?.hasPrefix("Basic ") == true)

        let http = ScriptedTransport([offer, challenge(), .reply(200)])
        _ = try await automatic(http).send(HTTPRequest(.get, URL(string: "http://mail.example/ews")!))
        #expect(http.authorizations[1] == type1)
    }

    @Test func digestStillWinsOverNTLM() async throws {
        let transport = ScriptedTransport([
            .reply(401, [("WWW-Authenticate", "NTLM"), ("WWW-Authenticate", "Digest realm=\"r\", nonce=\"n\", qop=\"auth\"")]),
            .reply(200),
        ])
        _ = try await automatic(transport).send(HTTPRequest(.get, exampleURL))
        #expect(transport.authorizations[1]?.hasPrefix("Digest ") == true)
    }
}
