@testable import ConnectorHTTP
import ConnectorKit
import Foundation
import Synchronization
import Testing

/// The client's use of the certificate source over https, scripted: which binding each
/// AUTHENTICATE carries, when the certificate is read again, and what a refusal says.
@Suite struct ChannelBindingHandshakeTests {
    static let stamp: [UInt8] = [0x00, 0x80, 0x3e, 0xd5, 0xde, 0xb1, 0x9d, 0x01]
    static let old = TLSServerEndPoint(hash: [UInt8](repeating: 1, count: 32))
    static let new = TLSServerEndPoint(hash: [UInt8](repeating: 2, count: 32))

    /// A scripted transport that also shows certificates: `shown` is what a fresh read finds;
    /// the first read of the script is answered as cached when `cachedFirst`.
    final class Bound: HTTPTransport, TLSEndPointSource {
        let inner: ScriptedTransport
        let reads = Mutex<[(fresh: Bool, cached: Bool)]>([])
        let shown: TLSServerEndPoint?
        let cachedFirst: Bool
        let cache = Mutex<TLSServerEndPoint??>(nil)
        init(_ steps: [ScriptedTransport.Step], shown: TLSServerEndPoint?, cached: TLSServerEndPoint?? = nil) {
            inner = ScriptedTransport(steps)
            self.shown = shown
            cachedFirst = cached != nil
            cache.withLock { $0 = cached }
        }
        func send(_ request: HTTPRequest) async throws -> HTTPResponse { try await inner.send(request) }
        func withLane<T>(_ key: LaneKey, _ body: (HTTPLane) async throws -> T) async throws -> T { try await inner.withLane(key, body) }
        func serverEndPoint(host: String, port: Int, fresh: Bool) async throws -> (endPoint: TLSServerEndPoint?, cached: Bool) {
            let answer: (TLSServerEndPoint?, Bool) = cache.withLock { c in
                if !fresh, let known = c { return (known, true) }
                c = .some(shown)
                return (shown, false)
            }
            reads.withLock { $0.append((fresh, answer.1)) }
            return answer
        }
        /// The channel binding each AUTHENTICATE carried (nil: none).
        var bindings: [[UInt8]?] {
            inner.authorizations.compactMap { header -> [UInt8]?? in
                guard let header, let message = AuthenticateMessage(header: header) else { return nil }
                return .some(NTLM.Challenge.avPairs(Array(message.nt[44...]))?.first { $0.id == 10 }?.value)
            }
        }
    }

    static func challenge() -> ScriptedTransport.Step {
        .reply(401, [("WWW-Authenticate", NTLMFixture.header(NTLMFixture.challenge(timestamp: stamp)))])
    }

    func client(_ transport: Bound, logs: LogCapture = LogCapture()) -> HTTPClient {
        HTTPClient(transport: transport, auth: .ntlm(user: "User", password: "Password", domain: "Domain"),
                   logger: logs.logger, ntlmInputs: NTLMFixture.inputs)
    }

    @Test func aFirstReadIsUsedOnceAndARefusalAfterItIsFinal() async throws {
        let transport = Bound([Self.challenge(), .reply(200), Self.challenge(), .reply(401)], shown: Self.old)
        #expect(try await client(transport).send(HTTPRequest(.get, exampleURL)).status == 200)
        #expect(transport.bindings == [Self.old.avChannelBindings])
        // Another client (a lane not logged in): the cached certificate; refused, read again, the same.
        let other = HTTPClient(transport: transport, auth: .ntlm(user: "Other", password: "Password", domain: "Domain"),
                               ntlmInputs: NTLMFixture.inputs)
        let error = await #expect(throws: ConnectorError.self) { try await other.send(HTTPRequest(.get, exampleURL)) }
        #expect(error?.message.contains("Extended Protection on the server refused the channel binding") == true)
        #expect(transport.reads.withLock { $0.map(\.fresh) } == [false, false, true])
        #expect(transport.bindings.count == 2)
    }

    @Test func aCachedCertificateThatChangedIsReadAgainAndSignedInWith() async throws {
        let transport = Bound([Self.challenge(), .reply(401), Self.challenge(), .reply(200)], shown: Self.new, cached: Self.old)
        let logs = LogCapture()
        #expect(try await client(transport, logs: logs).send(HTTPRequest(.get, exampleURL)).status == 200)
        // The certificate read again is logged (a hash prefix, nothing secret); the cached one was not.
        let bound = logs.all.filter { $0.contains("NTLM sign-ins bound to") }
        #expect(bound.count == 1 && bound[0].hasPrefix("https://dav.example.org: NTLM sign-ins bound to the certificate hash 0202020202020202…"),
                "\(logs.all)")
        #expect(transport.bindings == [Self.old.avChannelBindings, Self.new.avChannelBindings])
        #expect(transport.reads.withLock { $0.map(\.fresh) } == [false, true])
    }

    @Test func aCertificateWithoutABindingSignsInUnboundAndSaysSoWhenRefused() async throws {
        let transport = Bound([Self.challenge(), .reply(401)], shown: nil)
        let error = await #expect(throws: ConnectorError.self) { try await client(transport).send(HTTPRequest(.get, exampleURL)) }
        #expect(transport.bindings == [nil])
        #expect(error?.message == "the server rejected the user name or password, or Extended Protection on the server "
            + "refused a channel binding, which HubSync could not make for this server's certificate")
        // Plain http: no certificate read, no binding, the plain words.
        let http = Bound([Self.challenge(), .reply(401)], shown: Self.old)
        let plain = await #expect(throws: ConnectorError.self) {
            try await client(http).send(HTTPRequest(.get, URL(string: "http://dav.example.org/dav/")!))
        }
        #expect(plain?.message == "the server rejected the user name or password")
        #expect(http.reads.withLock { $0.isEmpty } && http.bindings == [nil])
    }
}
