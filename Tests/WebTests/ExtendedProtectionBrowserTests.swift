import Emulators
import Foundation
import TestSupport
import Testing

/// The wizard in French against an Exchange with Extended Protection on behind a proxy that ends
/// TLS (the emulator over https, bound to another certificate): the refusal is named on the
/// password in plain French words. Skipped without chromium, chromedriver and selenium, unless CI is set.
@Suite(.serialized) struct ExtendedProtectionBrowserTests {
    typealias F = WebFixture

    @Test(.timeLimit(.minutes(10)))
    func theWizardSaysWhatAnExtendedProtectionRefusalMayBe() async throws {
        try OutsideTools.require(BrowserTools.needed)
        let fx = try await F.start()
        defer { Task { await fx.stop() } }
        let certificate = try await TestCertificate.make()
        let exchange = EWSEmulator(auth: [.ntlm])
        exchange.addMailbox(email: F.mailbox, user: F.exchangeUser, password: F.exchangePassword, domain: "EXAMPLE")
        let url = try await exchange.start(tls: EmulatorTLS(certificateFile: certificate.certificateFile, keyFile: certificate.keyFile))
        defer { Task { await exchange.stop() } }
        exchange.extendedProtection(behindProxyWithCertificateHash: [UInt8](repeating: 5, count: 32))
        try clearScreenshots(of: "extended-protection")
        let out = try await fx.browser("refusal", [
            "--ews-url", url.absoluteString, "--ews-user", F.exchangeUser, "--ews-password", F.exchangePassword,
            "--setup-code", try #require(fx.app.setupCode), "--place", "127.0.0.1 port \(try #require(url.port))",
        ], script: "web_ep.py", shots: "extended-protection")
        #expect(out.contains("SUMMARY: refusal all checks passed"))
        #expect(screenshots(of: "extended-protection")["fr-extended-protection"]?.isPNG == true)
        #expect(exchange.authStats.extendedProtectionRefused[.wrongBinding] == 1)
    }
}
