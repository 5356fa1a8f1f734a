import ConnectorEWS
import ConnectorKit
import ConnectorMemory
import Emulators
import Foundation
import SyncModel
import SyncStore
import Testing
import TestSupport

/// The kinds of Exchange source, each synced whole against the emulator: another user's mailbox
/// by delegate access and by impersonation, and a public folder (a read-only one refusing the
/// hub's writes item by item while the rest of the sync goes on).
@Suite struct EWSSourceTests {
    static let shared = "sales@example.com", carl = "carl@example.com", nobody = "nobody@example.com"

    /// The emulator with Ada's own mailbox, a shared mailbox she has Full Access to, Carl's
    /// mailbox (she holds the ApplicationImpersonation role), and public folders "Company"
    /// (mail), "Company/Partners" (contacts, writable) and "Locked" (contacts, read-only).
    func exchange() async throws -> (x: Exchange, partners: String, locked: String) {
        let x = try await Exchange.start()
        let emu = x.emulator
        emu.addMailbox(email: Self.shared, user: "sales", password: "p-\(UUID())", domain: "EXAMPLE")
        emu.addMailbox(email: Self.carl, user: "carl", password: "p-\(UUID())", domain: "EXAMPLE")
        emu.addMailbox(email: Self.nobody, user: "nobody", password: "p-\(UUID())", domain: "EXAMPLE")
        try emu.grantFullAccess(to: Exchange.email, on: Self.shared)
        try emu.grantImpersonation(to: Exchange.email)
        let company = try emu.addPublicFolder(named: "Company", contacts: false, everyone: .reviewer)
        let partners = try emu.addPublicFolder(named: "Partners", parent: company.id, everyone: .editor)
        let locked = try emu.addPublicFolder(named: "Locked", everyone: .reviewer)
        return (x, partners.id, locked.id)
    }

    func spoke(_ x: Exchange, _ source: EWSSource, folder: String? = nil) -> EWSSpoke {
        EWSSpoke(settings: EWSSettings(url: x.url, version: .exchange2016, folderID: folder, source: source), http: x.client())
    }

    /// A hub of the Exchange source and a memory spoke holding "Mo", synced once.
    func syncOnce(_ x: Exchange, _ source: EWSSource, folder: String? = nil) async throws -> (HubFixture, MemorySpoke, RunRecord) {
        var hub = try HubFixture()
        let memory = MemorySpoke(name: "memory")
        _ = memory.userUpsert(Contact(givenName: "Mo", familyName: "Memory"))
        try hub.add("exchange", .ews, spoke(x, source, folder: folder))
        try hub.add("memory", .memory, memory)
        return (hub, memory, try await hub.sync())
    }

    @Test func storedSettingsWithoutAKindAreAUserMailboxAndEachKindRoundTrips() throws {
        // A spoke stored before there were kinds.
        #expect(try EWSSource(stored: ["url": "https://mail.example.com/EWS/Exchange.asmx", "ews.version": "2016", "ews.folder": "AAMk"])
            == .userMailbox)
        for source in [EWSSource.userMailbox, .otherMailbox(address: Self.shared, access: .delegate),
                       .otherMailbox(address: Self.carl, access: .impersonation), .publicFolder] {
            #expect(try EWSSource(stored: source.stored) == source)
        }
        #expect(throws: ConnectorError.self) { try EWSSource(stored: ["ews.source": "archive"]) }
        #expect(throws: ConnectorError.self) { try EWSSource(stored: ["ews.source": "other"]) }
    }

    @Test(arguments: [EWSAccess.delegate, .impersonation])
    func anotherUsersMailboxSyncsBothWays(access: EWSAccess) async throws {
        let (x, _, _) = try await exchange()
        defer { Task { await x.stop() } }
        let owner = access == .delegate ? Self.shared : Self.carl
        try x.emulator.createContact(Emulators.EWSContact(givenName: "Sam", surname: "Shared"), in: owner)
        let source = EWSSource.otherMailbox(address: owner, access: access)
        let folders = try await EWSMailbox.contactFolders(url: x.url, version: .exchange2016, source: source, http: x.client())
        #expect(folders.map(\.path) == ["Contacts"] && folders[0].count == 1 && !folders[0].readOnly)

        let (hub, memory, run) = try await syncOnce(x, source)
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(try hub.names() == ["Mo", "Sam"])
        #expect(try x.emulator.contacts(in: owner).compactMap(\.contact.givenName).sorted() == ["Mo", "Sam"])
        #expect(memory.contacts.compactMap(\.givenName).sorted() == ["Mo", "Sam"])
        // Ada's own mailbox is not touched.
        #expect(try x.contacts().isEmpty)
    }

    @Test func refusalsSayWhatToChange() async throws {
        let (x, _, _) = try await exchange()
        defer { Task { await x.stop() } }
        func failure(_ source: EWSSource) async -> ConnectorError? {
            do {
                _ = try await spoke(x, source).pull(since: nil, page: nil)
                return nil
            } catch { return error as? ConnectorError }
        }
        let denied = await failure(.otherMailbox(address: Self.nobody, access: .delegate))
        #expect(denied?.kind == .unauthorized && denied?.message.contains("give it Full Access") == true, "\(String(describing: denied))")
        let missing = await failure(.otherMailbox(address: "ghost@example.com", access: .delegate))
        #expect(missing?.message.contains("(ErrorNonExistentMailbox)") == true, "\(String(describing: missing))")
        // Without the role, impersonation is refused.
        let noRole = Exchange(emulator: x.emulator, url: x.url)
        x.emulator.addMailbox(email: "eve@example.com", user: "eve", password: "EvePass1", domain: "EXAMPLE")
        let eve = EWSSpoke(settings: EWSSettings(url: x.url, source: .otherMailbox(address: Self.carl, access: .impersonation)),
                           http: noRole.client(auth: .basic(user: "eve", password: "EvePass1")))
        do {
            _ = try await eve.pull(since: nil, page: nil)
            Issue.record("impersonation without the role was allowed")
        } catch let e as ConnectorError {
            #expect(e.kind == .unauthorized && e.message.contains("ApplicationImpersonation"), "\(e)")
        }
    }

    @Test func publicFolderTreeListsItsContactsFoldersAndSyncs() async throws {
        let (x, partners, locked) = try await exchange()
        defer { Task { await x.stop() } }
        let folders = try await EWSMailbox.contactFolders(url: x.url, version: .exchange2016, source: .publicFolder, http: x.client())
        #expect(folders.map(\.path) == ["Locked", "Company/Partners"] || folders.map(\.path) == ["Company/Partners", "Locked"],
                "\(folders.map(\.path))")
        #expect(folders.first { $0.id == locked }?.readOnly == true && folders.first { $0.id == partners }?.readOnly == false)
        // A folder everyone may write can still be read-only for one user.
        try x.emulator.setFolderPermission(.reviewer, for: Exchange.email, folder: partners, in: EWSEmulator.publicFolders)
        let forAda = try await EWSMailbox.contactFolders(url: x.url, version: .exchange2016, source: .publicFolder, http: x.client())
        #expect(forAda.first { $0.id == partners }?.readOnly == true)
        try x.emulator.setFolderPermission(.editor, for: Exchange.email, folder: partners, in: EWSEmulator.publicFolders)

        try x.emulator.createContact(Emulators.EWSContact(givenName: "Pat", surname: "Partner"), in: EWSEmulator.publicFolders,
                                     folder: partners)
        let (hub, memory, run) = try await syncOnce(x, .publicFolder, folder: partners)
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(try hub.names() == ["Mo", "Pat"])
        #expect(try x.emulator.contacts(in: EWSEmulator.publicFolders, folder: partners).compactMap(\.contact.givenName).sorted()
            == ["Mo", "Pat"])
        #expect(memory.contacts.compactMap(\.givenName).sorted() == ["Mo", "Pat"])
    }

    @Test func aReadOnlyPublicFolderRefusesTheHubsWritesItemByItemAndTheSyncGoesOn() async throws {
        let (x, _, locked) = try await exchange()
        defer { Task { await x.stop() } }
        let pub = try x.emulator.createContact(Emulators.EWSContact(givenName: "Pub", surname: "Locked"),
                                               in: EWSEmulator.publicFolders, folder: locked)
        var (hub, memory, run) = try await syncOnce(x, .publicFolder, folder: locked)
        // Mo could not be written to the folder; Pub still reached the memory spoke.
        #expect(run.status == .partial, "\(run.status) \(run.errors)")
        #expect(run.errors.contains { $0.contains("may only read this folder (ErrorAccessDenied)") }, "\(run.errors)")
        #expect(try hub.names() == ["Mo", "Pub"])
        #expect(memory.contacts.compactMap(\.givenName).sorted() == ["Mo", "Pub"])
        #expect(try x.emulator.contacts(in: EWSEmulator.publicFolders, folder: locked).map(\.contact) == [pub.contact])

        // An edit from the memory side is refused there too, and still goes nowhere else wrong.
        let entry = try #require(memory.entries.first { $0.value.contact.givenName == "Pub" })
        var edited = entry.value.contact
        edited.title = "Boss"
        _ = memory.userUpsert(edited, id: entry.key)
        run = try await hub.sync()
        #expect(run.status == .partial, "\(run.status) \(run.errors)")
        #expect(run.errors.contains { $0.contains("may only read this folder") }, "\(run.errors)")
        #expect(try x.emulator.contacts(in: EWSEmulator.publicFolders, folder: locked).map(\.contact) == [pub.contact])
        _ = hub
    }
}

extension EWSSourceTests {
    /// Without Full Access, a permission on the Contacts folder is enough to sync it; a Reviewer
    /// permission lets the hub read and refuses its writes, item by item.
    @Test(arguments: [EWSPermission.editor, .reviewer])
    func aFolderPermissionOnAnotherMailbox(level: EWSPermission) async throws {
        let (x, _, _) = try await exchange()
        defer { Task { await x.stop() } }
        try x.emulator.setFolderPermission(level, for: Exchange.email, folder: "contacts", in: Self.nobody)
        try x.emulator.createContact(Emulators.EWSContact(givenName: "Nia", surname: "Nobody"), in: Self.nobody)
        let source = EWSSource.otherMailbox(address: Self.nobody, access: .delegate)
        let folders = try await EWSMailbox.contactFolders(url: x.url, version: .exchange2016, source: source, http: x.client())
        #expect(folders.map(\.path) == ["Contacts"] && folders[0].readOnly == (level == .reviewer))

        let (hub, memory, run) = try await syncOnce(x, source)
        #expect(run.status == (level == .editor ? .succeeded : .partial), "\(run.errors)")
        #expect(try hub.names() == ["Mo", "Nia"] && memory.contacts.compactMap(\.givenName).sorted() == ["Mo", "Nia"])
        #expect(try x.emulator.contacts(in: Self.nobody).compactMap(\.contact.givenName).sorted()
            == (level == .editor ? ["Mo", "Nia"] : ["Nia"]))
    }
}
