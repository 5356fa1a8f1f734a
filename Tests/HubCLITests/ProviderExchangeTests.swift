import Emulators
import Foundation
import HubServer
import SyncModel
import Testing
import TestSupport
@testable import HubCLI

/// The web wizard's Exchange steps (`ConnectorProvider`) against the EWS emulator: live checks
/// that blame the right field, and settings equal to what `spoke add` stores.
@Suite struct ProviderExchangeTests {
    let mailbox = "ada@example.com"

    func emulator(_ version: Emulators.ExchangeVersion = .exchange2016) async throws -> (EWSEmulator, URL) {
        let emulator = EWSEmulator(version: version, auth: [.ntlm, .basic])
        emulator.addMailbox(email: mailbox, user: "ada", password: "Ex-pw 1", domain: "EXAMPLE")
        _ = try emulator.createContact(Emulators.EWSContact(givenName: "Ann", surname: "Arden", email: "ann@example.com"), in: mailbox)
        _ = try emulator.addContactsFolder(named: "Customers", in: mailbox)
        return (emulator, try await emulator.start())
    }

    @Test func discoverByURLAndByEmail() async throws {
        let (emulator, url) = try await emulator()
        let cli = try CLI()
        let provider = try cli.provider(autodiscover: [try #require(emulator.autodiscoverURL)])
        let base = "http://127.0.0.1:\(try #require(url.port))"

        var found = try await provider.discover(.ews, SpokeForm(url: base, user: "EXAMPLE\\ada", password: "Ex-pw 1", version: "2016"))
        #expect(found.endpoint == url.absoluteString)
        #expect(found.folders.map(\.name) == ["Contacts", "Contacts/Customers"])
        #expect(found.folders.map(\.isDefault) == [true, false])
        #expect(found.folders.first?.count == 1)

        // No server given: Autodiscover finds it from the email address.
        found = try await provider.discover(.ews, SpokeForm(user: "ada", password: "Ex-pw 1", email: mailbox, version: "2016"))
        #expect(found.endpoint == url.absoluteString)
        #expect(found.account == mailbox)
        #expect(found.folders.count == 2)
        await emulator.stop()
    }

    @Test func failuresBlameTheRightField() async throws {
        let (emulator, url) = try await emulator(.exchange2013)
        let cli = try CLI()
        let nowhere = URL(string: "http://127.0.0.1:\(try closedPort())/autodiscover/autodiscover.xml")!
        let provider = try cli.provider(autodiscover: [nowhere])
        let base = "http://127.0.0.1:\(try #require(url.port))"
        func discover(_ form: SpokeForm) async -> String? { await blamedField { _ = try await provider.discover(.ews, form) } }

        #expect(await discover(SpokeForm(url: base, user: "ada", password: "wrong", version: "2013")) == "password")
        // The server runs 2013; 2016 is newer than it speaks.
        #expect(await discover(SpokeForm(url: base, user: "ada", password: "Ex-pw 1", version: "2016")) == "version")
        #expect(await discover(SpokeForm(url: base, user: "ada", password: "Ex-pw 1", version: "2013")) == "none")
        #expect(await discover(SpokeForm(url: base, user: "ada", password: "Ex-pw 1", version: "2007")) == "version")
        let closed = "http://127.0.0.1:\(try closedPort())"
        #expect(await discover(SpokeForm(url: closed, user: "ada", password: "Ex-pw 1", version: "2013")) == "url")
        #expect(await discover(SpokeForm(url: "http://", user: "ada", password: "Ex-pw 1", version: "2013")) == "url")
        // Autodiscover finds nothing for the address.
        #expect(await discover(SpokeForm(user: "ada", password: "Ex-pw 1", email: mailbox, version: "2013")) == "email")
        #expect(await discover(SpokeForm(user: "ada", password: "Ex-pw 1", version: "2013")) == "email")
        #expect(await discover(SpokeForm(url: base, user: "ada", version: "2013")) == "password")
        #expect(await discover(SpokeForm(url: base, password: "Ex-pw 1", version: "2013")) == "user")
        // The messages say what to do.
        var e = await setupError { _ = try await provider.discover(.ews, SpokeForm(url: base, user: "ada", password: "x", version: "2013")) }
        #expect(e?.message == "The server refused this user name and password.")
        e = await setupError { _ = try await provider.discover(.ews, SpokeForm(url: base, user: "ada", password: "Ex-pw 1", version: "2016")) }
        #expect(e?.message == "The server runs an older Exchange than the version chosen: pick an older one.")
        e = await setupError { _ = try await provider.discover(.ews, SpokeForm(url: closed, user: "ada", password: "Ex-pw 1")) }
        #expect(e?.message.hasPrefix("The server at \(closed) (EWS GetFolder): could not reach the server: the connection was refused")
                == true, "\(e?.message ?? "")")
        e = await setupError { _ = try await provider.discover(.ews, SpokeForm(user: "ada", password: "Ex-pw 1", email: mailbox)) }
        #expect(e?.message.hasPrefix("Autodiscover found no Exchange server for \(mailbox)") == true, "\(e?.message ?? "")")
        // TLS with a server that speaks none: the handshake fails, nothing is sent.
        let https = "https://127.0.0.1:\(try #require(url.port))"
        e = await setupError { _ = try await provider.discover(.ews, SpokeForm(url: https, user: "ada", password: "Ex-pw 1")) }
        #expect(e?.field == "url")
        #expect(e?.message == "The server at \(https) (EWS GetFolder): the TLS handshake failed (does the server speak https "
            + "on this port?).", "\(e?.message ?? "")")
        // Not an EWS endpoint there (the web app's own kind of server: the People emulator).
        let google = PeopleEmulator()
        let other = try await google.start()
        #expect(await discover(SpokeForm(url: other.absoluteString, user: "ada", password: "Ex-pw 1", version: "2013")) == "url")
        await google.stop()
        await emulator.stop()
    }

    @Test func settingsAreWhatSpokeAddStores() async throws {
        let (emulator, url) = try await emulator()
        let cli = try CLI()
        let base = "http://127.0.0.1:\(try #require(url.port))"
        _ = await cli.run("hub create Team")
        let r = await cli.run(["spoke", "add", "team", "--name", "Exchange", "--kind", "ews", "--url", base, "--user", "ada",
                               "--password", "Ex-pw 1", "--exchange-version", "2016", "--folder", "Customers"])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        let stored = try cli.storedSettings(hub: "team", spoke: "exchange")

        let provider = try cli.provider()
        let form = SpokeForm(url: base, user: "ada", password: "Ex-pw 1", version: "2016")
        let found = try await provider.discover(.ews, form)
        let customers = try #require(found.folders.first { $0.name == "Contacts/Customers" })
        let made = try await provider.settings(.ews, form, folder: customers.id)
        try expectSameSettings(made, stored, secrets: try cli.secrets())
        #expect(made["ews.folderName"] == "Contacts/Customers")
        #expect(made["auth"] != nil)
        // The default folder when none is chosen; a folder that is not there is refused.
        #expect(try await provider.settings(.ews, form, folder: nil)["ews.folderName"] == "Contacts")
        #expect(await blamedField { _ = try await provider.settings(.ews, form, folder: "nope") } == "folder")

        // The spoke works: its connector lists the contact.
        let spoke = SpokeConfig(id: SpokeID("x"), hub: HubID("team"), name: "X", kind: .ews, position: 9, settings: made)
        let page = try await provider.connector(for: spoke).pull(since: nil, page: nil)
        #expect(page.changes.isEmpty)  // the Customers folder is empty
        #expect(provider.describe(spoke) == [
            "url": url.absoluteString, "user": "ada", "folder": "Contacts/Customers", "version": "Exchange 2016 or later",
        ])
        // A new password, sealed like `spoke set --password` does.
        let changed = try provider.changingPassword(spoke, to: "Ex-pw 2")
        #expect(try cli.secrets().open(try #require(changed["password"])) == "Ex-pw 2")
        await emulator.stop()
    }

    @Test func kindsOfferedToTheWizard() throws {
        let cli = try CLI()
        let kinds = try cli.provider().kinds
        #expect(kinds.map(\.kind) == [.ews, .graph, .directory, .google, .carddav, .folder, .caldav, .icsFolder])
        // Microsoft 365: app-only without a server app registration; no "Sign in with Microsoft".
        let m365 = try #require(kinds.first { $0.kind == .graph })
        #expect(m365.available && m365.signIn == nil && m365.fields.map(\.name) == ["email", "tenant", "clientID", "clientSecret"])
        let google = try #require(kinds.first { $0.kind == .google })
        #expect(!google.available && google.summary.contains("--google-client-id"))
        #expect(google.signIn == "google")
        let ews = try #require(kinds.first { $0.kind == .ews })
        #expect(ews.customFields == ["OfficeLocation", "Profession", "AssistantName", "Manager", "SpouseName"])
        #expect(ews.fields.map(\.name) == ["mailboxKind", "mailbox", "access", "email", "user", "password", "url", "version", "verifyTLS"])
        #expect(ews.fields.first { $0.name == "version" }?.choices?.map(\.value) == ["2016", "2013", "2010sp2"])
        #expect(kinds.allSatisfy { $0.demo == nil })
        // Every field names a SpokeForm property.
        let properties = Set(Mirror(reflecting: SpokeForm()).children.compactMap(\.label))
        #expect(kinds.flatMap(\.fields).allSatisfy { properties.contains($0.name) })
        let configured = try cli.provider(googleClientID: "id", googleClientSecret: "secret").kinds
        #expect(configured.first { $0.kind == .google }?.available == true)
    }
}
