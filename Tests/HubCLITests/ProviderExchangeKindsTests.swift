import Emulators
import Foundation
@testable import HubServer
import SyncModel
import Testing
import TestSupport
@testable import HubCLI

/// The kinds of Exchange source through `spoke add` and the wizard's provider: another user's or a
/// shared mailbox (delegate, impersonation) and a public folder, stored alike by both, with
/// refusals blamed on the field to fix.
@Suite struct ProviderExchangeKindsTests {
    static let ada = "ada@example.com", sales = "sales@example.com", carl = "carl@example.com", nobody = "nobody@example.com"

    func emulator() async throws -> (EWSEmulator, String) {
        let emu = EWSEmulator(version: .exchange2016, auth: [.ntlm, .basic])
        emu.addMailbox(email: Self.ada, user: "ada", password: "Ex-pw 1", domain: "EXAMPLE")
        for (box, user) in [(Self.sales, "sales"), (Self.carl, "carl"), (Self.nobody, "nobody")] {
            emu.addMailbox(email: box, user: user, password: "p-\(UUID())", domain: "EXAMPLE")
        }
        try emu.createContact(Emulators.EWSContact(givenName: "Sam", surname: "Sales"), in: Self.sales)
        try emu.grantFullAccess(to: Self.ada, on: Self.sales)
        let company = try emu.addPublicFolder(named: "Company", contacts: false, everyone: .reviewer)
        try emu.addPublicFolder(named: "Partners", parent: company.id)
        try emu.addPublicFolder(named: "Locked", everyone: .reviewer)
        let url = try await emu.start()
        return (emu, "http://127.0.0.1:\(try #require(url.port))")
    }

    func form(_ base: String?, kind: String?, mailbox: String? = nil, access: String? = nil, email: String? = nil) -> SpokeForm {
        var f = SpokeForm(url: base, user: "ada", password: "Ex-pw 1", email: email, version: "2016")
        f.mailboxKind = kind
        f.mailbox = mailbox
        f.access = access
        return f
    }

    @Test func aSharedMailboxIsStoredAlikeByTheCLIAndTheWizardAndSyncs() async throws {
        let (emu, base) = try await emulator()
        defer { Task { await emu.stop() } }
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        let r = await cli.run(["spoke", "add", "team", "--name", "Sales", "--kind", "ews", "--url", base, "--user", "ada",
                               "--password", "Ex-pw 1", "--mailbox-kind", "other", "--mailbox", Self.sales])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        let stored = try cli.storedSettings(hub: "team", spoke: "sales")
        #expect(stored["ews.source"] == "other" && stored["ews.mailbox"] == Self.sales && stored["ews.access"] == "delegate")

        let provider = try cli.provider()
        let f = form(base, kind: "other", mailbox: Self.sales)
        let found = try await provider.discover(.ews, f)
        #expect(found.account == Self.sales && found.folders.map(\.name) == ["Contacts"] && found.folders[0].count == 1)
        let made = try await provider.settings(.ews, f, folder: nil)
        try expectSameSettings(made, stored, secrets: try cli.secrets())

        let spoke = SpokeConfig(id: SpokeID("x"), hub: HubID("team"), name: "X", kind: .ews, position: 9, settings: made)
        let page = try await provider.connector(for: spoke).pull(since: nil, page: nil)
        #expect(page.changes.count == 1)  // Sam, from the shared mailbox, not Ada's empty one
        #expect(provider.describe(spoke)["account"] == Self.sales)
    }

    @Test func aPublicFolderIsPickedFromTheTree() async throws {
        let (emu, base) = try await emulator()
        defer { Task { await emu.stop() } }
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        let r = await cli.run(["spoke", "add", "team", "--name", "Partners", "--kind", "ews", "--url", base, "--user", "ada",
                               "--password", "Ex-pw 1", "--mailbox-kind", "public", "--folder", "Company/Partners"])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        let stored = try cli.storedSettings(hub: "team", spoke: "partners")
        #expect(stored["ews.source"] == "public" && stored["ews.folderName"] == "Company/Partners")

        let provider = try cli.provider()
        let found = try await provider.discover(.ews, form(base, kind: "public"))
        #expect(Set(found.folders.map(\.name)) == ["Company/Partners", "Locked"])
        #expect(found.folders.first { $0.name == "Locked" }?.readOnly == true)
        #expect(found.folders.first { $0.name == "Company/Partners" }?.readOnly == nil)
        let partners = try #require(found.folders.first { $0.name == "Company/Partners" })
        try expectSameSettings(try await provider.settings(.ews, form(base, kind: "public"), folder: partners.id), stored,
                               secrets: try cli.secrets())
    }

    @Test func refusalsBlameTheFieldToFix() async throws {
        let (emu, base) = try await emulator()
        defer { Task { await emu.stop() } }
        let cli = try CLI()
        let nowhere = URL(string: "http://127.0.0.1:\(try closedPort())/autodiscover/autodiscover.xml")!
        let provider = try cli.provider(autodiscover: [nowhere])
        func blamed(_ f: SpokeForm) async -> String? { await blamedField { _ = try await provider.discover(.ews, f) } }
        #expect(await blamed(form(base, kind: "archive")) == "mailboxKind")
        #expect(await blamed(form(base, kind: "other")) == "mailbox")
        #expect(await blamed(form(base, kind: "other", mailbox: Self.sales, access: "sudo")) == "access")
        #expect(await blamed(form(base, kind: "other", mailbox: Self.nobody)) == "mailbox")
        #expect(await blamed(form(base, kind: "other", mailbox: "ghost@example.com")) == "mailbox")
        #expect(await blamed(form(base, kind: "other", mailbox: Self.carl, access: "impersonation")) == "access")
        #expect(await blamed(form(base, kind: "other", mailbox: Self.sales)) == "none")
        // An address alone means another user's mailbox.
        #expect(try EWSSetup.source(kind: nil, address: Self.sales, access: nil) == .otherMailbox(address: Self.sales, access: .delegate))
        #expect(try EWSSetup.source(kind: " ", address: "", access: "impersonation") == .userMailbox)
        // The words the wizard shows (translated by the page: PlainProblem's texts).
        let e = await setupError { _ = try await provider.discover(.ews, form(base, kind: "other", mailbox: Self.carl, access: "impersonation")) }
        #expect(PlainProblem.summary(e?.message ?? "") == PlainProblem.impersonationDenied, "\(String(describing: e))")
    }

    @Test func autodiscoverAsksForTheOtherMailbox() async throws {
        let (emu, _) = try await emulator()
        defer { Task { await emu.stop() } }
        let provider = try CLI().provider(autodiscover: [try #require(emu.autodiscoverURL)])
        let found = try await provider.discover(.ews, form(nil, kind: "other", mailbox: Self.sales))
        #expect(found.account == Self.sales && found.endpoint == emu.serviceURL?.absoluteString)
        // Autodiscover knows nothing of that address: the account's own finds the server, which then says so.
        let e = await setupError { _ = try await provider.discover(.ews, form(nil, kind: "other", mailbox: "ghost@example.com", email: Self.ada)) }
        #expect(e?.field == "mailbox" && e?.message.contains("(ErrorNonExistentMailbox)") == true, "\(String(describing: e))")
    }

    /// What a sync's problems and a spoke's last error read as: Exchange's refusals in words the
    /// page translates.
    @Test func refusalsInPlainWords() {
        let cases: [(String, String)] = [
            ("spoke prices: Exchange refused the change: the account may only read this folder (ErrorAccessDenied)", PlainProblem.readOnlyFolder),
            ("the server at https://mail.example.com (EWS GetFolder): the account has no permission on this public folder; ask for a folder permission (ErrorAccessDenied)",
             PlainProblem.publicFolderDenied),
            ("the server at https://mail.example.com (EWS SyncFolderItems): the account has no access to the mailbox sales@example.com: give it Full Access to the mailbox, or a permission on its contacts folder (ErrorAccessDenied)",
             PlainProblem.mailboxDenied),
            ("Exchange has no mailbox at ghost@example.com; check the address (ErrorNonExistentMailbox)", PlainProblem.noSuchMailbox),
        ]
        for (raw, words) in cases {
            let problem = PlainProblem.of(raw)
            #expect(problem.text == words && problem.summary == words && problem.details == raw, "\(raw)")
        }
        #expect(PlainProblem.of("Exchange answered a SOAP fault (ErrorInvalidRequest)").text == nil)
    }
}
