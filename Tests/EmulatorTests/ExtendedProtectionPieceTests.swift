@testable import Emulators
import Testing

/// The emulator's own Extended Protection pieces, against published values.
@Suite struct ExtendedProtectionPieceTests {
    @Test func bindingHashIsPyspnegos() {
        // md5(GssChannelBindings(application_data=b"tls-server-end-point:" + b"\x11" * 32).pack()) in pyspnego 0.12.4.
        let hash = ExtendedProtection.bindingHash([UInt8](repeating: 0x11, count: 32))
        #expect(hash.map { String(format: "%02x", $0) }.joined() == "187b8ed16257050635bf9bbd99eb5e29")
    }

    // RFC 6229 §2: key 0x0102030405, keystream offset 0.
    @Test func rc4KeystreamOfRFC6229() {
        let stream = ExtendedProtection.rc4(key: [1, 2, 3, 4, 5], [UInt8](repeating: 0, count: 16))
        #expect(stream.map { String(format: "%02x", $0) }.joined() == "b2396305f03dc027ccc3524a0a1118a8")
    }

    @Test func signatureAlgorithmsByTheirObjectIdentifiers() {
        #expect(CertificateDER.dotted([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]) == "1.2.840.113549.1.1.11")
        #expect(CertificateDER.dotted([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03]) == "1.2.840.10045.4.3.3")
        // Not a certificate, or cut short: no hash.
        #expect(CertificateDER.signatureDigest([0x30, 0x82, 0xff]) == nil)
        #expect(CertificateDER.signatureDigest([]) == nil)
    }
}
