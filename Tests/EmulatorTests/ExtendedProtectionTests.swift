import Crypto
import Emulators
import Foundation
import TestSupport
import Testing

/// The EWS emulator over https with Extended Protection on, proven by outside clients: pyspnego
/// (with, without and with another channel binding, and with a broken MIC), requests-ntlm and
/// exchangelib.
@Suite(.serialized) struct ExtendedProtectionTests {
    @Test func outsideClientsSignInWithTheChannelBindingOnly() async throws {
        let certificate = try await TestCertificate.make()
        let emulator = EWSEmulator(auth: [.ntlm])
        emulator.addMailbox(email: EWSFixture.email, user: EWSFixture.user, password: EWSFixture.password, domain: "EXAMPLE")
        try emulator.seedContacts(2, in: EWSFixture.email)
        let url = try await emulator.start(tls: EmulatorTLS(certificateFile: certificate.certificateFile, keyFile: certificate.keyFile))
        defer { Task { await emulator.stop() } }
        #expect(url.scheme == "https")
        emulator.extendedProtection = true
        let out = try await PythonScript.run("ep_clients.py",
                                             [url.absoluteString, EWSFixture.user, EWSFixture.password, EWSFixture.email,
                                              certificate.certificateFile], needs: [.pyspnego, .exchangelib])
        print(out)
        #expect(out.contains("SUMMARY: extended protection clients passed"))
        let refused = emulator.authStats.extendedProtectionRefused
        // pyspnego and requests-ntlm without a binding; pyspnego with another; the broken MIC.
        #expect(refused[.noBinding] == 2 && refused[.wrongBinding] == 1 && refused[.wrongMIC] == 1, "\(refused)")
        #expect(emulator.requestCount("GetFolder") >= 3)
    }

    @Test func theEndPointHashFollowsTheCertificatesSignature() async throws {
        let ecdsa = try await TestCertificate.make(.ecdsa), rsa = try await TestCertificate.make(.rsaSHA384)
        let ecdsaHash = try EmulatorTLS(certificateFile: ecdsa.certificateFile, keyFile: ecdsa.keyFile).endPointHash()
        #expect(ecdsaHash == Array(SHA256.hash(data: try ecdsa.der())))
        let rsaHash = try EmulatorTLS(certificateFile: rsa.certificateFile, keyFile: rsa.keyFile).endPointHash()
        #expect(rsaHash == Array(SHA384.hash(data: try rsa.der())))
    }
}
