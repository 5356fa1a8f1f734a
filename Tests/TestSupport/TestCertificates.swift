import Foundation

/// A self-signed server certificate for 127.0.0.1 and localhost, made by openssl into a fresh
/// temporary folder: the test trusts it as its CA file.
public struct TestCertificate: Sendable {
    public enum Key: String, Sendable {
        /// ECDSA P-256 signed with SHA-256 (the tls-server-end-point hash is SHA-256).
        case ecdsa
        /// RSA 2048 signed with SHA-384 (the hash is SHA-384).
        case rsaSHA384
    }

    public let directory: URL
    public var certificateFile: String { directory.appendingPathComponent("cert.pem").path }
    public var keyFile: String { directory.appendingPathComponent("key.pem").path }

    /// Skipped (failed in CI) without openssl. Waits for openssl without holding a thread of the
    /// concurrency pool (an RSA key takes a while on a busy machine).
    public static func make(_ key: Key = .ecdsa) async throws -> TestCertificate {
        try OutsideTools.require(.openssl)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-cert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cert = TestCertificate(directory: dir)
        let newKey = key == .ecdsa ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-sha256"]
            : ["-newkey", "rsa:2048", "-sha384"]
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509"] + newKey + [
            "-nodes", "-keyout", cert.keyFile, "-out", cert.certificateFile, "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { done in
            openssl.terminationHandler = { done.resume(returning: $0.terminationStatus) }
            do { try openssl.run() } catch { done.resume(throwing: error) }
        }
        guard status == 0 else { throw ServerError("openssl req failed") }
        return cert
    }

    /// The certificate's DER (the PEM's base64 body).
    public func der() throws -> [UInt8] {
        let pem = try String(contentsOfFile: certificateFile, encoding: .utf8)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else { throw ServerError("cert.pem is not PEM") }
        return Array(data)
    }
}
