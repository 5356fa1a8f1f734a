import ConnectorEWS
import ConnectorHTTP
import ConnectorKit
import ConnectorMemory
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// The EWS spoke against an Exchange with Extended Protection on (the emulator over https, NTLM
/// only): a whole sync signs in with the channel binding; a missing or another binding is
/// refused, in words that say what may be wrong; a certificate changed since it was read is read
/// again.
@Suite(.serialized) struct ExtendedProtectionSyncTests {
    struct Server {
        let emulator: EWSEmulator
        let url: URL
        let certificate: TestCertificate

        static func start(_ certificate: TestCertificate, port: Int = 0, emulator: EWSEmulator? = nil) async throws -> Server {
            let emulator = emulator ?? {
                let e = EWSEmulator(auth: [.ntlm])
                e.addMailbox(email: Exchange.email, user: Exchange.user, password: Exchange.password, domain: "EXAMPLE")
                return e
            }()
            let url = try await emulator.start(
                port: port, tls: EmulatorTLS(certificateFile: certificate.certificateFile, keyFile: certificate.keyFile))
            emulator.extendedProtection = true
            return Server(emulator: emulator, url: url, certificate: certificate)
        }

        func spoke(_ transport: any HTTPTransport, password: String = Exchange.password) -> EWSSpoke {
            EWSSpoke(settings: EWSSettings(url: url, version: .exchange2016, batchSize: 3),
                     http: ConnectorHTTPClient(transport: transport, auth: .ntlm(user: "EXAMPLE\\\(Exchange.user)", password: password, domain: nil),
                                               retry: EWSSpoke.retryPolicy(RetryPolicy(random: { 1 })), sleep: { _ in }))
        }
    }

    /// Forwards to a real transport but cannot show the certificate: the sign-in goes unbound,
    /// as from a client without channel binding support.
    struct Unbound: HTTPTransport {
        let inner: AHCTransport
        func send(_ request: HTTPRequest) async throws -> HTTPResponse { try await inner.send(request) }
        func withLane<T>(_ key: LaneKey, _ body: (HTTPLane) async throws -> T) async throws -> T {
            try await inner.withLane(key, body)
        }
    }

    @Test func aWholeSyncThroughExtendedProtection() async throws {
        let server = try await Server.start(try await TestCertificate.make())
        try await withResource({ AHCTransport(tls: TLSSettings(caFile: server.certificate.certificateFile)) },
                               close: { try await $0.shutdown(); await server.emulator.stop() }) { transport in
            _ = try server.emulator.createContact(Emulators.EWSContact(givenName: "Ann", surname: "Arden"), in: Exchange.email)
            var hub = try HubFixture()
            let memory = MemorySpoke(name: "memory")
            try hub.add("exchange", .ews, server.spoke(transport))
            try hub.add("memory", .memory, memory)
            _ = memory.userUpsert(Contact(givenName: "Cy", familyName: "Young"))
            let first = try await hub.sync()
            #expect(first.status == .succeeded, "\(first.errors)")
            #expect(try hub.names() == ["Ann", "Cy"])
            #expect(try server.emulator.contacts(in: Exchange.email).compactMap(\.contact.givenName).sorted() == ["Ann", "Cy"])
            #expect(try await hub.sync().status == .succeeded)
            let stats = server.emulator.authStats
            #expect(stats.ntlmSucceeded >= 1 && stats.extendedProtectionRefused.isEmpty, "\(stats)")
            // One certificate read for the whole run, however many sign-ins.
            #expect(transport.certificateHandshakes == 1)
        }
    }

    @Test func aMissingOrAnotherBindingIsRefusedInPlainWords() async throws {
        let server = try await Server.start(try await TestCertificate.make())
        try await withResource({ AHCTransport(tls: TLSSettings(caFile: server.certificate.certificateFile)) },
                               close: { try await $0.shutdown(); await server.emulator.stop() }) { transport in
            // No binding at all.
            let unbound = await #expect(throws: ConnectorError.self) {
                _ = try await server.spoke(Unbound(inner: transport)).pull(since: nil, page: nil)
            }
            #expect(unbound?.kind == .unauthorized)
            #expect(server.emulator.authStats.extendedProtectionRefused == [.noBinding: 1])
            // Behind a proxy that ends TLS with its own certificate: another binding.
            server.emulator.extendedProtection(behindProxyWithCertificateHash: [UInt8](repeating: 7, count: 32))
            let proxied = await #expect(throws: ConnectorError.self) {
                _ = try await server.spoke(transport).pull(since: nil, page: nil)
            }
            #expect(proxied?.kind == .unauthorized)
            #expect(proxied?.message == "the server rejected the user name or password, or Extended Protection on the server "
                + "refused the channel binding HubSync sent for the certificate it was shown (a proxy or load balancer that "
                + "ends TLS in front of the server shows another one)")
            #expect(server.emulator.authStats.extendedProtectionRefused[.wrongBinding] == 1)
            // Bound to the right certificate again: the same spoke signs in.
            server.emulator.extendedProtection = true
            _ = try await server.spoke(transport).pull(since: nil, page: nil)
        }
    }

    /// The certificate is cached per host and port; when the server shows another one (renewed),
    /// the refused sign-in reads it again and signs in once more, bound to the new one.
    @Test func aRenewedCertificateIsReadAgain() async throws {
        let old = try await TestCertificate.make(), renewed = try await TestCertificate.make(.rsaSHA384)
        // The client trusts both (one CA file holding the two self-signed certificates).
        let bundle = old.directory.appendingPathComponent("both.pem")
        try (try String(contentsOfFile: old.certificateFile, encoding: .utf8)
             + String(contentsOfFile: renewed.certificateFile, encoding: .utf8)).write(to: bundle, atomically: true, encoding: .utf8)
        let first = try await Server.start(old)
        let port = try #require(first.url.port)
        try await withResource({ AHCTransport(tls: TLSSettings(caFile: bundle.path)) },
                               close: { try await $0.shutdown(); await first.emulator.stop() }) { transport in
            _ = try await first.spoke(transport).pull(since: nil, page: nil)
            #expect(transport.certificateHandshakes == 1)
            await first.emulator.stop()
            let second = try await Server.start(renewed, port: port, emulator: first.emulator)
            _ = try await second.spoke(transport).pull(since: nil, page: nil)
            #expect(transport.certificateHandshakes == 2)
            #expect(first.emulator.authStats.extendedProtectionRefused == [.wrongBinding: 1])
        }
    }
}
