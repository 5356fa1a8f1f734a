import Foundation
import Testing
import ConnectorFolder
import ConnectorKit
import ConnectorMemory
import PIMFormats
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// Files from other apps and broken folders: bad lines, several cards per file, old versions,
/// files that cannot be read.
@Suite struct FolderHostileFileTests {
    func write(_ text: String, _ name: String, in dir: URL) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    func text(_ name: String, in dir: URL) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    func upserts(_ page: PullPage) -> [RemoteItem] {
        page.changes.compactMap { if case .upsert(let r) = $0 { r } else { nil } }
    }

    @Test func aBadLineIsSkippedAndReportedAndTheRestOfTheCardSyncs() async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir)
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n.TEL:+44 20 1234\r\n"
            + "X-ODD\u{01}NAME:x\r\nthis line has no colon\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n"
        try write(card, "ada.vcf", in: dir)
        let page = try await spoke.pull(since: nil, page: nil)
        let items = upserts(page)
        #expect(items.count == 1)
        #expect(items.first?.contact.emails.map(\.value) == ["ada@example.com"])
        #expect(page.errors.map(\.message) == [5, 6, 7].map { "ada.vcf: vCard error at line \($0): malformed content line (line skipped)" })
        #expect(page.errors.allSatisfy { $0.remoteID == nil })
        // The hub's edit keeps the lines it could not read.
        let item = try #require(items.first)
        var c = item.contact
        c.title = "Countess"
        let outcomes = try await spoke.write([.update(item.id, item.version, c)])
        guard case .updated = outcomes.first else { Issue.record("\(outcomes)"); return }
        let after = try text("ada.vcf", in: dir)
        #expect(after.contains("TITLE:Countess"))
        for bad in [".TEL:+44 20 1234", "X-ODD\u{01}NAME:x", "this line has no colon"] { #expect(after.contains(bad)) }
    }

    static let multi = [
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u-ada\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Uid\r\nN:Uid;No;;;\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u-bob\r\nFN:Bob Bell\r\nN:Bell;Bob;;;\r\nNOTE:keep me\\, exactly\r\nEND:VCARD\r\n",
    ]

    @Test func aFileWithSeveralCardsIsSeveralItemsAndAnEditKeepsTheOthers() async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir)
        try write(Self.multi.joined(), "all.vcf", in: dir)
        let items = upserts(try await spoke.pull(since: nil, page: nil))
        #expect(items.map(\.id.rawValue) == ["all.vcf#u-ada", "all.vcf#n2", "all.vcf#u-bob"])
        #expect(items.map { $0.contact.givenName ?? "" } == ["Ada", "No", "Bob"])
        // An edit of one card rewrites that card only; the others keep their bytes and versions.
        var c = items[1].contact
        c.title = "Engineer"
        let outcomes = try await spoke.write([.update(items[1].id, items[1].version, c)])
        guard case .updated(let v?) = outcomes.first else { Issue.record("\(outcomes)"); return }
        let after = try text("all.vcf", in: dir)
        #expect(after.hasPrefix(Self.multi[0]) && after.hasSuffix(Self.multi[2]))
        #expect(after.contains("TITLE:Engineer"))
        let again = upserts(try await spoke.pull(since: nil, page: nil))
        #expect(again.map(\.version) == [items[0].version, v, items[2].version])
        // A deletion removes that card alone; a create gets a file of its own.
        #expect(try await spoke.write([.delete(items[0].id, items[0].version)]) == [.deleted])
        let m = CreateMarker(hub: HubID("h"), item: ItemID("new"))
        _ = try await spoke.write([.create(Contact(givenName: "Cy"), m)])
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.count == 2)
        let left = upserts(try await spoke.pull(since: nil, page: nil)).map { $0.contact.givenName ?? "" }.sorted()
        #expect(left == ["Bob", "Cy", "No"])
        #expect(try text("all.vcf", in: dir).hasSuffix(Self.multi[2]))
    }

    @Test(arguments: ["2.1", "3.0", "4.0"])
    func aCardIsWrittenBackInTheVersionItWasReadIn(version: String) async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir)
        try write("BEGIN:VCARD\r\nVERSION:\(version)\r\nFN:Zoë Ärger\r\nN:Ärger;Zoë;;;\r\nTEL;TYPE=work:123\r\nEND:VCARD\r\n",
                  "z.vcf", in: dir)
        let item = try #require(upserts(try await spoke.pull(since: nil, page: nil)).first)
        var c = item.contact
        c.notes = "first line\nsecond, line; with é"
        _ = try await spoke.write([.update(item.id, item.version, c)])
        let after = try text("z.vcf", in: dir)
        #expect(after.contains("VERSION:\(version)\r\n"))
        if version == "2.1" {
            #expect(after.contains("TEL;WORK:123") || after.contains("TEL;WORK;VOICE:123"), "\(after)")
            #expect(after.contains("ENCODING=QUOTED-PRINTABLE"))
            #expect(!after.contains("TYPE="))
        }
        let back = try #require(try await spoke.fetch(item.id))
        #expect(back.contact.notes == c.notes)
        #expect(back.contact.givenName == "Zoë" && back.contact.familyName == "Ärger")
        #expect(back.contact.phones.map(\.value) == ["123"])
    }

    @Test func aFileThatCannotBeReadIsAnItemErrorAndTheListingIsNotFinal() async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir)
        try write(Self.multi[0], "ada.vcf", in: dir)
        // A directory named like a card: listed, never readable (root reads any mode-000 file).
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("bob.vcf"), withIntermediateDirectories: false)
        let page = try await spoke.pull(since: nil, page: nil)
        #expect(upserts(page).count == 1)
        #expect(page.errors.map(\.remoteID) == [RemoteID("bob.vcf")])
        #expect(page.errors.first?.message.contains("cannot read bob.vcf") == true)
        #expect(page.mode == .incremental)
    }

    /// A handful of files turning unreadable, below the guard's share: nothing is deleted,
    /// anywhere, and they come back when readable again.
    @Test func unreadableFilesAreNeverReadAsDeleted() async throws {
        let dir = try TempDir.make()
        let folder = FolderSpoke(directory: dir)
        let h = try Harness(spokeOptions: [.init(), .init()]) { i, clock in MemorySpoke(name: "s\(i)", clock: clock.closure) }
        let connectors: [SpokeID: any SpokeConnector] = [h.configs[0].id: h.spokes[0], h.configs[1].id: folder]
        for i in 0..<20 { h.spokes[0].userUpsert(Sample.person("P\(i)", "Q\(i)", email: "p\(i)@example.com")) }
        var run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(run.status == .succeeded)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.count == 20)
        // Three files (15 %, under the guard's 20 %) become unreadable.
        let saved = try files.prefix(3).map { try Data(contentsOf: dir.appendingPathComponent($0)) }
        for f in files.prefix(3) {
            try FileManager.default.removeItem(at: dir.appendingPathComponent(f))
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(f), withIntermediateDirectories: false)
        }
        h.clock.advance()
        run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(run.status == .partial)
        #expect(try h.hubContacts().count == 20)
        #expect(h.spokes[0].count == 20)
        for (f, data) in zip(files.prefix(3), saved) {
            try FileManager.default.removeItem(at: dir.appendingPathComponent(f))
            try data.write(to: dir.appendingPathComponent(f))
        }
        h.clock.advance()
        run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(run.status == .succeeded)
        #expect(try h.hubContacts().count == 20)
        #expect(h.spokes[0].count == 20)
    }

    /// A card past `VCardLimits` in an export fails alone (the others sync), and a file past
    /// the spoke's size limit is reported and kept, never read as deleted.
    @Test func hugeCardsAndFilesFailAloneAndCleanly() async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir, maxFileBytes: 24 << 20)
        let huge = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge X\r\nN:X;Huge;;;\r\nNOTE:"
            + String(repeating: "n", count: VCardLimits.maxLineBytes + 1) + "\r\nEND:VCARD\r\n"
        try write(Self.multi[0] + huge + Self.multi[2], "export.vcf", in: dir)
        try write(Self.multi[1], "tiny.vcf", in: dir)
        try Data(count: 25 << 20).write(to: dir.appendingPathComponent("big.vcf"))
        let page = try await spoke.pull(since: nil, page: nil)
        #expect(upserts(page).compactMap(\.contact.givenName).sorted() == ["Ada", "Bob", "No"])
        let messages = page.errors.map(\.message)
        #expect(messages.contains("cannot read big.vcf: the file is larger than 24 MB; kept as it was"), "\(messages)")
        #expect(page.errors.first { $0.message.hasPrefix("cannot read big.vcf") }?.remoteID == RemoteID("big.vcf"))
        #expect(messages.contains("export.vcf: vCard error at line 11: line 11 is longer than 10 MB: the card is not read"),
                "\(messages)")
    }
}
