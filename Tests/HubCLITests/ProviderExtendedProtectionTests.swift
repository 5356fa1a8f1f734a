import Emulators
import Foundation
import HubServer
import SyncModel
import Testing
import TestSupport
@testable import HubCLI
@testable import HubServer

/// The wizard's Exchange step against an Exchange with Extended Protection on (the emulator over
/// https): the sign-in goes through, bound to the certificate; a refused one says, in the page's
/// language, that it is the password or Extended Protection behind a proxy, and where.
@Suite struct ProviderExtendedProtectionTests {
    static let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/HubServer/Web").standardizedFileURL

    @Test func theWizardSignsInThroughItAndExplainsARefusal() async throws {
        let certificate = try await TestCertificate.make()
        let emulator = EWSEmulator(auth: [.ntlm])
        emulator.addMailbox(email: "ada@example.com", user: "ada", password: "Ex-pw 1", domain: "EXAMPLE")
        let url = try await emulator.start(tls: EmulatorTLS(certificateFile: certificate.certificateFile, keyFile: certificate.keyFile))
        defer { Task { await emulator.stop() } }
        emulator.extendedProtection = true
        let port = try #require(url.port)
        let provider = try CLI().provider()
        // The wizard has no CA file: the admin turns the certificate check off, explicitly.
        func form(_ user: String) -> SpokeForm {
            SpokeForm(url: url.absoluteString, user: user, password: "Ex-pw 1", version: "2016", verifyTLS: false)
        }
        let found = try await provider.discover(.ews, form("EXAMPLE\\ada"))
        #expect(found.folders.map(\.name) == ["Contacts"])
        #expect(emulator.authStats.ntlmSucceeded >= 1 && emulator.authStats.extendedProtectionRefused.isEmpty)

        // Behind a proxy that ends TLS with its own certificate (signing in anew: the address as user name).
        emulator.extendedProtection(behindProxyWithCertificateHash: [UInt8](repeating: 9, count: 32))
        let e = try #require(await setupError { _ = try await provider.discover(.ews, form("ada@example.com")) })
        #expect(e.field == "password")
        #expect(emulator.authStats.extendedProtectionRefused[.wrongBinding] == 1)
        let api = try #require(APIError.mapping(e))
        #expect(api.text == PlainProblem.extendedProtection && api.place == "127.0.0.1 port \(port)")
        #expect(api.message.hasPrefix("The server at 127.0.0.1 port \(port) refused the sign-in. Check the user name and "
            + "password first. If they are right, the server requires Extended Protection"), "\(api.message)")
        #expect(api.details?.contains("Extended Protection on the server refused the channel binding") == true)
        // In French, from the catalog the page reads.
        let french = PageLanguage(root: Self.web).text(PlainProblem.extendedProtection, "fr")
        #expect(french.hasPrefix("Le serveur à {place} a refusé la connexion.") && french.contains("protection étendue"))
    }
}
