import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport
@testable import HubCLI

/// `discover --kind ews`, `spoke add --kind ews` and `sync` against the EWS emulator set up like
/// an on-premises server that offers NTLM only.
@Suite struct EWSCLITests {
    @Test func addAnExchangeSpokeAndSync() async throws {
        let emulator = EWSEmulator(version: .exchange2016, auth: .ntlm)
        emulator.addMailbox(email: "ada@example.com", user: "ada", password: "Ex-pw 1", domain: "EXAMPLE")
        let url = try await emulator.start()
        let port = try #require(url.port)
        _ = try emulator.createContact(Emulators.EWSContact(givenName: "Ann", surname: "Arden", email: "ann@example.com"),
                                       in: "ada@example.com")
        _ = try emulator.addContactsFolder(named: "Customers", in: "ada@example.com")
        let cli = try CLI()
        let auth = ["--user", "EXAMPLE\\ada", "--password", "Ex-pw 1"]

        var r = await cli.run(["discover", "--kind", "ews", "--url", "http://127.0.0.1:\(port)"] + auth)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("Contacts (default)") && r.output.contains("Contacts/Customers"))
        // From the email address alone, by Autodiscover.
        let autodiscover = try #require(emulator.autodiscoverURL).absoluteString
        r = await cli.run(["discover", "--kind", "ews", "--email", "ada@example.com", "--autodiscover-url", autodiscover] + auth)
        #expect(r.output.contains(url.absoluteString), "\(r.output) \(r.error.map { "\($0)" } ?? "")")

        _ = await cli.run("hub create Team")
        r = await cli.run(["spoke", "add", "team", "--name", "Exchange", "--kind", "ews", "--url", "http://127.0.0.1:\(port)",
                           "--user", "EXAMPLE\\ada", "--password", "wrong"])
        let refused = r.error.map { "\($0)" } ?? ""
        #expect(refused.hasPrefix("the server at http://127.0.0.1:\(port) (EWS GetFolder): the server rejected the user name "
            + "or password"), "\(refused)")
        r = await cli.run(["spoke", "add", "team", "--name", "Exchange", "--kind", "ews", "--url", "http://127.0.0.1:\(port)",
                           "--exchange-version", "2019", "--folder", "Nowhere"] + auth)
        #expect(r.error.map { "\($0)" }?.contains("no contacts folder 'Nowhere'") == true)
        r = await cli.run(["spoke", "add", "team", "--name", "Exchange", "--kind", "ews", "--url", "http://127.0.0.1:\(port)",
                           "--exchange-version", "2019"] + auth)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("contacts folder: Contacts"))

        let folder = try cli.folder("office")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: folder)
        _ = await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path])
        r = await cli.run("sync team")
        #expect(r.exitCode == 0, "\(r.output)")
        let names = try emulator.contacts(in: "ada@example.com").compactMap(\.contact.givenName).sorted()
        #expect(names == ["Ada", "Ann"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 2)
        r = await cli.run("spoke list team")
        #expect(r.output.contains("ews"))
        // NTLM authenticates connections: later runs in this process reuse the authenticated
        // one, and a wrong password never rides on it.
        #expect(await cli.run("sync team").exitCode == 0)
        #expect(emulator.authStats.ntlmSucceeded >= 1)
        #expect(emulator.authStats.ntlmFailed >= 1)
        #expect(emulator.authStats.basicSucceeded == 0)
        let db = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        #expect(db.range(of: Data("Ex-pw 1".utf8)) == nil)
        await emulator.stop()
    }
}
