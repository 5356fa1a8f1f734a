import Crypto
import Foundation

/// RFC 5929 `tls-server-end-point`: a hash of the server's certificate, what Extended Protection
/// (Exchange 2019 CU14 on, Subscription Edition) binds an NTLM sign-in to. A proxy that ends TLS
/// shows its own certificate, so a sign-in relayed through it no longer matches the server's.
public struct TLSServerEndPoint: Sendable, Hashable {
    /// The certificate's DER hashed with its own signature's hash (MD5 and SHA-1 become SHA-256).
    public var hash: [UInt8]

    public init(hash: [UInt8]) { self.hash = hash }

    /// Nil when the certificate is not DER we can read, or its signature's hash is one we cannot
    /// make (SHA-224) or know: no binding is sent then. EdDSA, which hashes nothing of its own,
    /// binds with SHA-256 as requests-ntlm does (RFC 5929 leaves it undefined).
    public init?(certificate der: [UInt8]) {
        guard let algorithm = DER.signatureHash(der) else { return nil }
        switch algorithm {
        case .sha256: hash = Array(SHA256.hash(data: der))
        case .sha384: hash = Array(SHA384.hash(data: der))
        case .sha512: hash = Array(SHA512.hash(data: der))
        }
    }

    /// The application data of the channel bindings.
    public var applicationData: [UInt8] { Array("tls-server-end-point:".utf8) + hash }

    /// gss_channel_bindings_struct as SSPI flattens it (RFC 2744 §3.11): no addresses (type 0,
    /// empty), then the application data, each length a little-endian UInt32.
    public var gssChannelBindings: [UInt8] {
        let data = applicationData
        return [UInt8](repeating: 0, count: 16) + (0..<4).map { UInt8(truncatingIfNeeded: data.count >> (8 * $0)) } + data
    }

    /// MsvAvChannelBindings: the MD5 of the bindings struct (MS-NLMP §2.2.2.1).
    public var avChannelBindings: [UInt8] { Array(Insecure.MD5.hash(data: gssChannelBindings)) }
}

/// Just enough DER to find a certificate's signature algorithm, bounded by the bytes given.
enum DER {
    enum Hash: Sendable, Equatable { case sha256, sha384, sha512 }

    /// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature }.
    static func signatureHash(_ der: [UInt8]) -> Hash? {
        guard let certificate = element(der, at: 0), certificate.tag == 0x30,
              let tbs = element(der, at: certificate.content.lowerBound), tbs.tag == 0x30,
              let algorithm = element(der, at: tbs.end), algorithm.tag == 0x30,
              let oid = element(der, at: algorithm.content.lowerBound), oid.tag == 0x06
        else { return nil }
        let id = Array(der[oid.content])
        if id == rsaPSS {
            // RSASSA-PSS-params: hashAlgorithm [0] AlgorithmIdentifier, SHA-1 when absent.
            guard let params = element(der, at: oid.end), params.tag == 0x30, params.end <= algorithm.end else { return .sha256 }
            guard let first = element(der, at: params.content.lowerBound), first.tag == 0xa0, first.end <= params.end,
                  let inner = element(der, at: first.content.lowerBound), inner.tag == 0x30,
                  let hashOID = element(der, at: inner.content.lowerBound), hashOID.tag == 0x06
            else { return .sha256 }
            return digests[Array(der[hashOID.content])] ?? (Array(der[hashOID.content]) == sha1 ? .sha256 : nil)
        }
        return signatures[id]
    }

    /// One TLV at `offset`: tag, content range, end. Nil past the bytes or for an indefinite or
    /// over-long length.
    static func element(_ b: [UInt8], at offset: Int) -> (tag: UInt8, content: Range<Int>, end: Int)? {
        guard offset >= 0, offset + 2 <= b.count else { return nil }
        var i = offset + 1
        var length = Int(b[i])
        i += 1
        if length & 0x80 != 0 {
            let count = length & 0x7f
            guard (1...4).contains(count), i + count <= b.count else { return nil }
            length = b[i..<i + count].reduce(0) { $0 << 8 | Int($1) }
            i += count
        }
        guard length <= b.count - i else { return nil }
        return (b[offset], i..<i + length, i + length)
    }

    private static let rsa: [UInt8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01]
    private static let ecdsa: [UInt8] = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04]
    private static let nist: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04]
    static let rsaPSS = rsa + [0x0a]
    static let sha1: [UInt8] = [0x2b, 0x0e, 0x03, 0x02, 0x1a]
    private static let digests: [[UInt8]: Hash] = [nist + [0x02, 0x01]: .sha256, nist + [0x02, 0x02]: .sha384,
                                                   nist + [0x02, 0x03]: .sha512]
    /// RFC 5929 §4.1: MD5 and SHA-1 signatures bind with SHA-256.
    private static let signatures: [[UInt8]: Hash] = [
        rsa + [0x04]: .sha256, rsa + [0x05]: .sha256, rsa + [0x0b]: .sha256, rsa + [0x0c]: .sha384, rsa + [0x0d]: .sha512,
        ecdsa + [0x01]: .sha256, ecdsa + [0x03, 0x02]: .sha256, ecdsa + [0x03, 0x03]: .sha384, ecdsa + [0x03, 0x04]: .sha512,
        [0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03]: .sha256,  // DSA with SHA-1
        nist + [0x03, 0x02]: .sha256,  // DSA with SHA-256
        [0x2b, 0x65, 0x70]: .sha256, [0x2b, 0x65, 0x71]: .sha256,  // Ed25519, Ed448
    ]
}
