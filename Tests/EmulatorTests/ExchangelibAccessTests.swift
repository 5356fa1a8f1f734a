import Emulators
import Foundation
import TestSupport
import Testing

/// exchangelib (the real client) reaching mailboxes other than its own on the emulator: Full
/// Access (delegate), ApplicationImpersonation, public folders with per-folder permissions.
@Suite(.serialized) struct ExchangelibAccessTests {
    static let shared = "shared@example.com", carl = "carl@example.com", dora = "dora@example.com", erin = "erin@example.com"

    @Test func delegateImpersonationAndPublicFolders() async throws {
        let fx = try await EWSFixture.start(auth: [.ntlm])
        defer { Task { await fx.emulator.stop() } }
        let emu = fx.emulator
        emu.addMailbox(email: Self.shared, user: "shared", password: "unused-\(UUID())", domain: "EXAMPLE")
        emu.addMailbox(email: Self.carl, user: "carl", password: "unused-\(UUID())", domain: "EXAMPLE")
        emu.addMailbox(email: Self.dora, user: "dora", password: EWSFixture.password, domain: "EXAMPLE")
        try emu.createContact(EWSContact(givenName: "Shared1", surname: "Box"), in: Self.shared)
        try emu.createContact(EWSContact(givenName: "Imp1", surname: "Box"), in: Self.carl)
        emu.addMailbox(email: Self.erin, user: "erin", password: "unused-\(UUID())", domain: "EXAMPLE")
        try emu.createContact(EWSContact(givenName: "Rev1", surname: "Box"), in: Self.erin)
        try emu.setFolderPermission(.reviewer, for: EWSFixture.email, folder: "contacts", in: Self.erin)
        // What Outlook asks for beside a folder's permission ("Folder visible" on the mailbox): exchangelib opens the root first.
        try emu.setFolderPermission(.reviewer, for: EWSFixture.email, folder: "root", in: Self.erin)
        try emu.grantFullAccess(to: EWSFixture.email, on: Self.shared)
        try emu.grantImpersonation(to: EWSFixture.email)
        let company = try emu.addPublicFolder(named: "Company", contacts: false, everyone: .reviewer)
        try emu.addPublicFolder(named: "Partners", parent: company.id, everyone: .editor)
        let locked = try emu.addPublicFolder(named: "Locked", everyone: .reviewer)
        try emu.createContact(EWSContact(givenName: "Pub1", surname: "Folder"), in: EWSEmulator.publicFolders, folder: locked.id)

        let out = try await PythonScript.run(
            "exchangelib_access.py",
            [fx.url.absoluteString, EWSFixture.user, EWSFixture.password, Self.shared, Self.carl, Self.dora, Self.erin],
            needs: [.exchangelib])
        print(out)
        #expect(out.contains("SUMMARY: exchangelib access passed"))
        // What the round trips left behind: nothing in the mailboxes, nothing in the read-only folder.
        #expect(try emu.contacts(in: Self.shared).map(\.contact.givenName) == ["Shared1"])
        #expect(try emu.contacts(in: Self.carl).map(\.contact.givenName) == ["Imp1"])
        #expect(try emu.contacts(in: Self.erin).map(\.contact.givenName) == ["Rev1"])
        #expect(try emu.contacts(in: EWSEmulator.publicFolders, folder: locked.id).map(\.contact.givenName) == ["Pub1"])
        #expect(try emu.contacts(in: EWSFixture.email).isEmpty)
    }
}
