@testable import ConnectorHTTP
import Foundation
import Testing
import TestSupport

/// Extended Protection's pieces on the client: the channel binding (RFC 5929, RFC 2744 as SSPI
/// flattens it), the AV pairs, the session key and the MIC; checked against MS-NLMP §4.2.4, and
/// against pyspnego's acceptor and requests-ntlm, which compute them on their own.
@Suite struct ExtendedProtectionTests {
    let credential = NTLM.Credential(user: "User", password: "Password", domain: "Domain")
    static let stamp: [UInt8] = [0x00, 0x80, 0x3e, 0xd5, 0xde, 0xb1, 0x9d, 0x01]
    /// A certificate hash of 32 bytes 0x11: what the binding is built from.
    static let endPoint = TLSServerEndPoint(hash: [UInt8](repeating: 0x11, count: 32))

    @Test func channelBindingsStructAndHash() {
        let gss = Self.endPoint.gssChannelBindings
        // Two empty addresses (type 0, length 0), then the application data's length and bytes.
        #expect(Array(gss[0..<16]) == [UInt8](repeating: 0, count: 16))
        #expect(Array(gss[16..<20]) == [53, 0, 0, 0])
        #expect(Array(gss[20...]) == Array("tls-server-end-point:".utf8) + [UInt8](repeating: 0x11, count: 32))
        // pyspnego: md5(GssChannelBindings(application_data=b"tls-server-end-point:" + b"\x11" * 32).pack()).
        #expect(NTLMFixture.hex(Self.endPoint.avChannelBindings) == "187b8ed16257050635bf9bbd99eb5e29")
    }

    // MS-NLMP §4.2.4.1.2 (NTLMv2): SessionBaseKey.
    @Test func sessionBaseKeyOfTheSpecExample() throws {
        let challenge = try #require(NTLM.Challenge(NTLMFixture.specChallenge))
        let message = NTLM.authenticate(credential, challenge, clientChallenge: NTLMFixture.clientChallenge,
                                        now: NTLMFixture.epoch1601)
        let read = try #require(AuthenticateMessage(header: NTLMFixture.header(message)))
        #expect(NTLMFixture.hex(NTLM.sessionBaseKey(credential, ntResponse: read.nt)) == "8de40ccadbc14a82f15cb0ad0de95ca3")
        // No timestamp and no binding: the spec's message, no MIC, the AV pairs as the server sent them.
        #expect(message.count - 64 == read.lm.count + read.nt.count + 12 + 8)
    }

    @Test func avPairsGetFlagsAndBindingBeforeTheEnd() throws {
        let challenge = try #require(NTLM.Challenge(NTLMFixture.challenge(timestamp: Self.stamp)))
        let info = NTLM.targetInfo(challenge.targetInfo, mic: true, binding: Self.endPoint)
        let pairs = try #require(NTLM.Challenge.avPairs(info))
        #expect(pairs.map(\.id) == [2, 1, 7, 6, 10])
        #expect(pairs[3].value == [2, 0, 0, 0])
        #expect(pairs[4].value == Self.endPoint.avChannelBindings)
        #expect(Array(info.suffix(4)) == [0, 0, 0, 0])
        // A server's own MsvAvFlags keeps its bits; a binding it sent is replaced, not doubled.
        let theirs = NTLMFixture.avPair(6, [1, 0, 0, 0]) + NTLMFixture.avPair(10, [UInt8](repeating: 0, count: 16)) + [0, 0, 0, 0]
        let merged = try #require(NTLM.Challenge.avPairs(NTLM.targetInfo(theirs, mic: true, binding: Self.endPoint)))
        #expect(merged.map(\.id) == [6, 10])
        #expect(merged[0].value == [3, 0, 0, 0] && merged[1].value == Self.endPoint.avChannelBindings)
        // Without a MIC nor a binding nothing is added.
        #expect(NTLM.targetInfo(challenge.targetInfo, mic: false, binding: nil) == challenge.targetInfo)
    }

    @Test func aTimestampedChallengeGetsAMICOverTheThreeMessages() throws {
        let raw = NTLMFixture.challenge(timestamp: Self.stamp)
        let challenge = try #require(NTLM.Challenge(raw))
        #expect(challenge.raw == raw)
        let negotiate = NTLM.negotiate()
        let message = NTLM.authenticate(credential, challenge, clientChallenge: NTLMFixture.clientChallenge, now: Date(),
                                        negotiate: negotiate, binding: Self.endPoint)
        let read = try #require(AuthenticateMessage(header: NTLMFixture.header(message)))
        // Version (zero) and MIC between the flags and the payload, which starts at 88.
        #expect(Array(message[64..<72]) == [UInt8](repeating: 0, count: 8))
        #expect(message[12..<16] == [24, 0, 24, 0] && message[16..<20] == [88, 0, 0, 0])
        var zeroed = message
        zeroed.replaceSubrange(72..<88, with: [UInt8](repeating: 0, count: 16))
        let key = NTLM.sessionBaseKey(credential, ntResponse: read.nt)
        #expect(Array(message[72..<88]) == NTLM.hmacMD5(key: key, negotiate + raw + zeroed))
        // The binding and the MIC flag are inside the NTLMv2 blob, under the NTProofStr.
        let blobInfo = try #require(NTLM.Challenge.avPairs(Array(read.nt[44...])))
        #expect(blobInfo.first { $0.id == 10 }?.value == Self.endPoint.avChannelBindings)
        #expect(blobInfo.first { $0.id == 6 }?.value == [2, 0, 0, 0])
        // Another binding, another MIC and proof.
        let other = NTLM.authenticate(credential, challenge, clientChallenge: NTLMFixture.clientChallenge, now: Date(),
                                      negotiate: negotiate, binding: TLSServerEndPoint(hash: [UInt8](repeating: 0x22, count: 32)))
        #expect(Array(other[72..<88]) != Array(message[72..<88]))
    }

    /// A small ECDSA P-256 certificate signed with SHA-256 (openssl req -x509, CN=ep.test), and its
    /// SHA-256 as `openssl x509 -outform der | sha256sum` gives it.
    @Test func certificateHashFollowsItsSignatureAlgorithm() throws {
        let der = try #require(Data(base64Encoded: Self.ecdsaCertificate)).map { $0 }
        let endPoint = try #require(TLSServerEndPoint(certificate: der))
        #expect(NTLMFixture.hex(endPoint.hash) == Self.ecdsaCertificateSHA256)
        #expect(DER.signatureHash(der) == .sha256)
        // Truncated or not DER at all: nothing is bound.
        #expect(TLSServerEndPoint(certificate: Array(der.prefix(40))) == nil)
        #expect(TLSServerEndPoint(certificate: Array("not a certificate".utf8)) == nil)
        #expect(TLSServerEndPoint(certificate: [0x30, 0x84, 0xff, 0xff, 0xff, 0xff]) == nil)
    }

    /// Certificates signed every way Python's cryptography can, hashed by us and by requests-ntlm
    /// (`_get_certificate_hash`, what exchangelib binds with).
    @Test func certificateHashesAgreeWithRequestsNTLM() async throws {
        let out = try await ExtendedProtectionScript.run(["certificates"], needs: [.pyspnego, .exchangelib])
        var checked = 0
        for line in out.split(separator: "\n") where line.hasPrefix("cert ") {
            let parts = line.split(separator: " ").map(String.init)
            let der = NTLMFixture.bytes(parts[2])
            let ours = TLSServerEndPoint(certificate: der).map { NTLMFixture.hex($0.hash) } ?? "none"
            #expect(ours == parts[3], "\(parts[1])")
            checked += 1
        }
        #expect(checked == 11, "\(out.split(separator: "\n").map { $0.prefix(20) })")
    }

    /// Our AUTHENTICATE through pyspnego's acceptor, which checks the binding and the MIC.
    @Test func pyspnegoAcceptsOurBindingAndMIC() async throws {
        let raw = NTLMFixture.challenge(timestamp: Self.stamp)
        let challenge = try #require(NTLM.Challenge(raw))
        let negotiate = NTLM.negotiate()
        func answer(_ binding: TLSServerEndPoint?) -> [UInt8] {
            NTLM.authenticate(credential, challenge, clientChallenge: NTLMFixture.clientChallenge, now: Date(),
                              negotiate: negotiate, binding: binding)
        }
        func accept(_ message: [UInt8], bindings: TLSServerEndPoint?) async throws -> String {
            try await ExtendedProtectionScript.run(
                ["accept", NTLMFixture.hex(negotiate), NTLMFixture.hex(raw), NTLMFixture.hex(message),
                 bindings.map { NTLMFixture.hex($0.applicationData) } ?? "-"], needs: [.pyspnego])
        }
        let good = answer(Self.endPoint)
        #expect(try await accept(good, bindings: Self.endPoint).hasPrefix("accepted Domain\\User"))
        #expect(try await accept(good, bindings: nil).hasPrefix("accepted"))
        // pyspnego's own words for each refusal: another certificate, no binding, a MIC that does not match.
        let other = TLSServerEndPoint(hash: [UInt8](repeating: 0x22, count: 32))
        #expect(try await accept(good, bindings: other).contains("Acceptor bindings do not match"))
        #expect(try await accept(answer(nil), bindings: Self.endPoint).contains("not present in initiator response"))
        var tampered = good
        tampered[80] ^= 0x01
        #expect(try await accept(tampered, bindings: Self.endPoint).contains("Invalid MIC"))
        // And the binding hash pyspnego makes of the same application data is ours.
        let made = try await ExtendedProtectionScript.run(["bindings", NTLMFixture.hex(Self.endPoint.applicationData)],
                                                          needs: [.pyspnego])
        #expect(made.split(separator: "\n").map(String.init)
                == [NTLMFixture.hex(Self.endPoint.gssChannelBindings), NTLMFixture.hex(Self.endPoint.avChannelBindings)])
    }

    static let ecdsaCertificate = "MIIBejCCAR+gAwIBAgIUDLv3yJALSvdb7xykOEBN1tp7KFowCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHZXAudGVzdDAeFw0yNjEy"
        + "MDcxODM4MzhaFw0zNjEyMDQxODM4MzhaMBIxEDAOBgNVBAMMB2VwLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARHFI6tSmrO7FtcPe+R"
        + "yhsUyf4qfLeD2vPzuInMiQ1rp2FJQ1VZ0AbgSzyz6BNK6nBKb053gSkdCpsm5PbXUWUMo1MwUTAdBgNVHQ4EFgQUD4VSzi7ppfr4gVSWzn6swzqG"
        + "GO4wHwYDVR0jBBgwFoAUD4VSzi7ppfr4gVSWzn6swzqGGO4wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAwgRswy6TJ/fNMEFJ"
        + "8zbmAIyhO+DROP94qVgbCmXbcRgCIQCVCxIZHcuJrH6cd68CFvHbuO1ZwZnRMPhpTBh4+FF1nQ=="
    static let ecdsaCertificateSHA256 = "ff99a15369f8d5dbb2a68bca3e4932aae2a93e00c1dc8ab9d8f86601d69beead"
}

/// pyspnego and requests-ntlm computing the same things on their own, for the tests above.
enum ExtendedProtectionScript {
    static let source = #"""
import hashlib, os, sys
mode = sys.argv[1]
if mode == "bindings":
    from spnego.channel_bindings import GssChannelBindings
    packed = GssChannelBindings(application_data=bytes.fromhex(sys.argv[2])).pack()
    print(packed.hex())
    print(hashlib.md5(packed).hexdigest())
elif mode == "accept":
    import spnego
    from spnego.channel_bindings import GssChannelBindings
    from spnego._ntlm_raw.messages import Challenge
    negotiate, challenge, authenticate = (bytes.fromhex(a) for a in sys.argv[2:5])
    users = os.path.join(os.environ["TMPDIR"], "users")
    with open(users, "w") as f:
        f.write("Domain:User:Password\n")
    os.environ["NTLM_USER_FILE"] = users
    bindings = None if sys.argv[5] == "-" else GssChannelBindings(application_data=bytes.fromhex(sys.argv[5]))
    context = spnego.server(protocol="ntlm", channel_bindings=bindings)
    context.step(negotiate)
    # The server's challenge is the fixture our AUTHENTICATE answers, not the one pyspnego drew.
    context._temp_challenge = Challenge.unpack(challenge)
    try:
        context.step(authenticate)
        print("accepted", context.client_principal)
    except Exception as e:
        print("refused", type(e).__name__, e)
elif mode == "certificates":
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
    from cryptography.x509.oid import NameOID
    from cryptography.hazmat.primitives import serialization
    from requests_ntlm.requests_ntlm import _get_certificate_hash
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    cases = [
        ("rsa-sha256", rsa_key, hashes.SHA256(), None), ("rsa-sha384", rsa_key, hashes.SHA384(), None),
        ("rsa-sha512", rsa_key, hashes.SHA512(), None),
        ("ecdsa-sha256", ec_key, hashes.SHA256(), None), ("ecdsa-sha384", ec_key, hashes.SHA384(), None),
        ("ecdsa-sha512", ec_key, hashes.SHA512(), None),
        ("rsa-pss-sha256", rsa_key, hashes.SHA256(), "pss"), ("rsa-pss-sha512", rsa_key, hashes.SHA512(), "pss"),
        ("ed25519", ed25519.Ed25519PrivateKey.generate(), None, None),
    ]
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ep.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    for label, key, algorithm, pad in cases:
        builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + datetime.timedelta(days=1)))
        kwargs = {"rsa_padding": padding.PSS(mgf=padding.MGF1(algorithm), salt_length=32)} if pad else {}
        cert = builder.sign(key, algorithm, **kwargs)
        der = cert.public_bytes(serialization.Encoding.DER)
        # cryptography no longer signs with MD5 or SHA-1: such certificates are made by renaming
        # the algorithm (sha256WithRSAEncryption, in both places); the hash does not check the signature.
        renamed = [(label, der)]
        if label == "rsa-sha256":
            oid = bytes.fromhex("2a864886f70d01010b")
            renamed += [("rsa-sha1", der.replace(oid, oid[:-1] + b"\x05")), ("rsa-md5", der.replace(oid, oid[:-1] + b"\x04"))]
        for label, der in renamed:
            digest = _get_certificate_hash(der)
            print("cert", label, der.hex(), digest.hex() if digest else "none")
"""#

    static func run(_ args: [String], needs: [OutsideTool]) async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-ep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try source.write(to: dir.appendingPathComponent("ep.py"), atomically: true, encoding: .utf8)
        return try await PythonScript.run("ep.py", in: dir, args, needs: needs)
    }
}
