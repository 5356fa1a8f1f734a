import Crypto
import Foundation
import HummingbirdTLS
import NIOSSL

/// What an emulator serves https with: a certificate chain and its key, PEM files (tests make
/// them with openssl into a temporary folder).
public struct EmulatorTLS: Sendable {
    public var certificateFile: String
    public var keyFile: String

    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    func configuration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { NIOSSLCertificateSource.certificate($0) }
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
    }

    /// RFC 5929 tls-server-end-point of the leaf certificate: its DER hashed with the hash of its
    /// signature algorithm, SHA-256 for MD5 and SHA-1 (and for EdDSA, as Windows clients do).
    public func endPointHash() throws -> [UInt8] {
        guard let leaf = try NIOSSLCertificate.fromPEMFile(certificateFile).first else {
            throw EmulatorTLSError("no certificate in \(certificateFile)")
        }
        let der = try leaf.toDERBytes()
        switch CertificateDER.signatureDigest(der) {
        case "sha384": return Array(SHA384.hash(data: der))
        case "sha512": return Array(SHA512.hash(data: der))
        case "sha256": return Array(SHA256.hash(data: der))
        default: throw EmulatorTLSError("the certificate's signature algorithm has no tls-server-end-point hash")
        }
    }
}

public struct EmulatorTLSError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The signature algorithm of an X.509 certificate, by its object identifier in dotted form.
enum CertificateDER {
    static func signatureDigest(_ der: [UInt8]) -> String? {
        // Certificate: SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID, params }, … }.
        guard let outer = tlv(der, 0), let tbs = tlv(der, outer.start), let algorithm = tlv(der, tbs.end),
              let oid = tlv(der, algorithm.start), der[oid.offset] == 0x06 else { return nil }
        let name = dotted(Array(der[oid.start..<oid.end]))
        if name == "1.2.840.113549.1.1.10" {  // RSASSA-PSS: the hash is in its parameters, SHA-1 by default
            guard let params = tlv(der, oid.end), params.end <= algorithm.end, let tagged = tlv(der, params.start),
                  der[tagged.offset] == 0xa0, let hashAlgorithm = tlv(der, tagged.start), let hashOID = tlv(der, hashAlgorithm.start)
            else { return "sha256" }
            return ["2.16.840.1.101.3.4.2.1": "sha256", "2.16.840.1.101.3.4.2.2": "sha384", "2.16.840.1.101.3.4.2.3": "sha512",
                    "1.3.14.3.2.26": "sha256"][dotted(Array(der[hashOID.start..<hashOID.end]))]
        }
        return [
            "1.2.840.113549.1.1.4": "sha256", "1.2.840.113549.1.1.5": "sha256", "1.2.840.113549.1.1.11": "sha256",
            "1.2.840.113549.1.1.12": "sha384", "1.2.840.113549.1.1.13": "sha512", "1.2.840.10045.4.1": "sha256",
            "1.2.840.10045.4.3.2": "sha256", "1.2.840.10045.4.3.3": "sha384", "1.2.840.10045.4.3.4": "sha512",
            "1.3.101.112": "sha256", "1.3.101.113": "sha256",
        ][name]
    }

    /// Tag at `offset`, content `start..<end`; nil when it runs past the bytes.
    static func tlv(_ b: [UInt8], _ offset: Int) -> (offset: Int, start: Int, end: Int)? {
        guard offset + 1 < b.count else { return nil }
        var length = Int(b[offset + 1]), start = offset + 2
        if length >= 0x80 {
            let n = length - 0x80
            guard n >= 1, n <= 3, start + n <= b.count else { return nil }
            length = b[start..<start + n].reduce(0) { $0 * 256 + Int($1) }
            start += n
        }
        return start + length <= b.count ? (offset, start, start + length) : nil
    }

    static func dotted(_ oid: [UInt8]) -> String {
        guard let first = oid.first else { return "" }
        var parts = ["\(first / 40)", "\(first % 40)"], value = 0
        for byte in oid.dropFirst() {
            value = value << 7 | Int(byte & 0x7f)
            if byte & 0x80 == 0 { parts.append("\(value)"); value = 0 }
        }
        return parts.joined(separator: ".")
    }
}
