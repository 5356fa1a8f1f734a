import Emulators
import HubServer
import Foundation
import Testing
import TestSupport
@testable import HubCLI

/// `discover` and `spoke add` with `--mailbox-kind`, then `sync` of a read-only public folder:
/// the hub's contact is refused there item by item and the other spoke still gets everything.
@Suite struct EWSKindsCLITests {
    @Test func aReadOnlyPublicFolderThroughTheCLI() async throws {
        let emulator = EWSEmulator(version: .exchange2016, auth: .ntlm)
        emulator.addMailbox(email: "ada@example.com", user: "ada", password: "Ex-pw 1", domain: "EXAMPLE")
        let locked = try emulator.addPublicFolder(named: "Price list", everyone: .reviewer)
        try emulator.addPublicFolder(named: "Suppliers")
        try emulator.createContact(Emulators.EWSContact(givenName: "Lou", surname: "Locked"), in: EWSEmulator.publicFolders,
                                   folder: locked.id)
        let url = try await emulator.start()
        defer { Task { await emulator.stop() } }
        let cli = try CLI()
        let server = ["--url", "http://127.0.0.1:\(try #require(url.port))", "--user", "EXAMPLE\\ada", "--password", "Ex-pw 1"]

        var r = await cli.run(["discover", "--kind", "ews", "--mailbox-kind", "public"] + server)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("Price list (read-only)") && r.output.contains("Suppliers"), "\(r.output)")
        // Refusals say what to fix: Exchange's (the address), the CLI's own (the flag).
        r = await cli.run(["discover", "--kind", "ews", "--mailbox-kind", "other", "--mailbox", "ghost@example.com"] + server)
        #expect(r.error.map { "\($0)" }?.contains("no mailbox at ghost@example.com") == true, "\(r.error.map { "\($0)" } ?? "")")
        r = await cli.run(["discover", "--kind", "ews", "--mailbox-kind", "archive"] + server)
        #expect(r.error.map { "\($0)" }?.hasSuffix("(--mailbox-kind)") == true, "\(r.error.map { "\($0)" } ?? "")")

        _ = await cli.run("hub create Team")
        // No folder named: the first one the account may write to, not the read-only one listed before it.
        r = await cli.run(["spoke", "add", "team", "--name", "Any", "--kind", "ews", "--mailbox-kind", "public"] + server)
        #expect(r.output.contains("contacts folder: Suppliers (others: Price list;"), "\(r.output)")
        _ = await cli.run("spoke remove team any")
        r = await cli.run(["spoke", "add", "team", "--name", "Prices", "--kind", "ews", "--mailbox-kind", "public",
                           "--folder", "Price list"] + server)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("may only read the folder"), "\(r.output)")
        let folder = try cli.folder("office")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: folder)
        _ = await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path])
        r = await cli.run("sync team")
        #expect(r.output.contains("may only read this folder"), "\(r.output)")
        // Lou reached the folder spoke; Ada could not be written to the read-only public folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count == 2)
        #expect(try emulator.contacts(in: EWSEmulator.publicFolders, folder: locked.id).compactMap(\.contact.givenName) == ["Lou"])
    }
}

extension EWSKindsCLITests {
    /// Graph has no public folders, and reaches another user's mailbox only app-only.
    @Test func onlyWhatGraphCanReachMovesToMicrosoft365() throws {
        let sales = ["ews.source": "other", "ews.mailbox": "sales@example.com", "ews.access": "delegate"]
        #expect(throws: Never.self) { try SpokeMigration.movable(["ews.folder": "AAMk"], appOnlyMailbox: nil) }
        #expect(throws: SetupError.self) { try SpokeMigration.movable(["ews.source": "public"], appOnlyMailbox: "sales@example.com") }
        #expect(throws: SetupError.self) { try SpokeMigration.movable(sales, appOnlyMailbox: nil) }
        #expect(throws: Never.self) { try SpokeMigration.movable(sales, appOnlyMailbox: "Sales@example.com") }
    }
}
