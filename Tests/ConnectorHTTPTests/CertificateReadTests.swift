import ConnectorHTTP
import Crypto
import Foundation
import Testing
import TestSupport

/// AHCTransport's own TLS handshakes that read a server's certificate for the NTLM channel
/// binding, many at once (a handshake refused at once once tore its pipeline down before it was
/// read: every read then failed as a lost connection).
@Suite struct CertificateReadTests {
    func readAll(_ transport: AHCTransport, _ port: Int, count: Int = 20) async throws -> [String: Int] {
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<count {
                group.addTask {
                    do {
                        let read = try await transport.serverEndPoint(host: "127.0.0.1", port: port, fresh: true)
                        return read.endPoint.map { $0.hash.map { String(format: "%02x", $0) }.joined() } ?? "none"
                    } catch let e as HTTPTransportError {
                        return "\(e.kind): \(e.message)"
                    }
                }
            }
            return try await group.reduce(into: [:]) { $0[$1, default: 0] += 1 }
        }
    }

    @Test func manyReadsAtOnceAreEachVerifiedAndRead() async throws {
        try OutsideTools.require(.pyspnego, .openssl)
        let server = try await TestServer.start(tls: true)
        let pem = server.directory.appendingPathComponent("cert.pem")
        let body = try String(contentsOf: pem, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try #require(Data(base64Encoded: body))
        let expected = SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
        try await withTransport(AHCTransport(tls: TLSSettings(caFile: pem.path))) { transport in
            let reads = try await readAll(transport, server.port)
            #expect(reads == [expected: 20])
            #expect(transport.certificateHandshakes == 20)
        }
        // Not trusted: each read fails as TLS, never as a lost connection.
        try await withTransport(AHCTransport()) { transport in
            let reads = try await readAll(transport, server.port)
            #expect(reads == ["tls: certificate verify failed": 20])
        }
    }
}
