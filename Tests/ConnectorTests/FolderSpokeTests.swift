import Foundation
import Testing
import ConnectorFolder
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

@Suite struct FolderSpokeTests {
    func write(_ text: String, _ name: String, in dir: URL) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    @Test func aMalformedFileIsAnItemErrorNotADeletion() async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir)
        try write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\r\n", "ada.vcf", in: dir)
        try write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\n", "bob.vcf", in: dir)
        try write("not a card", "notes.txt", in: dir)
        let page = try await spoke.pull(since: nil, page: nil)
        #expect(page.changes.count == 1)
        #expect(page.errors.map(\.remoteID) == [RemoteID("bob.vcf")])
    }

    @Test func filesTheHubHoldsAreListedNotParsed() async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir)
        try write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nN:Lovelace;Ada;;;\r\nEND:VCARD\r\n", "ada.vcf", in: dir)
        try write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nN:Bell;Bob;;;\r\nEND:VCARD\r\n", "bob.vcf", in: dir)
        var held: [RemoteID: RemoteVersion] = [:]
        for case .upsert(let r) in try await spoke.pull(since: nil, page: nil).changes { held[r.id] = r.version }
        try write("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nN:Bell;Bobby;;;\r\nEND:VCARD\r\n", "bob.vcf", in: dir)
        let known = held
        let page = try await spoke.pull(since: nil, page: nil, known: KnownVersions { ids in known.filter { ids.contains($0.key) } })
        #expect(page.unchanged == [RemoteID("ada.vcf")])
        var changed: [String] = []
        for case .upsert(let r) in page.changes { changed.append(r.contact.givenName ?? "") }
        #expect(changed == ["Bobby"])
    }

    @Test func aCreateRetriedAfterACrashFindsItsFile() async throws {
        let spoke = FolderSpoke(directory: try TempDir.make())
        let m = CreateMarker(hub: HubID("h"), item: ItemID("x"))
        let first = try await spoke.write([.create(Contact(givenName: "A"), m)])
        let again = try await spoke.write([.create(Contact(givenName: "A"), m)])
        #expect(first == again)
        #expect(try await listAll(spoke).count == 1)
    }

    @Test func anEditKeepsPropertiesTheHubDoesNotKnow() async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir)
        try write(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:abc\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nGEO:geo:51.5,-0.1\r\nEND:VCARD\r\n",
            "ada.vcf", in: dir)
        guard let item = try await listAll(spoke).first else { Issue.record("no item"); return }
        var c = item.contact
        c.title = "Countess"
        #expect(try await spoke.write([.update(item.id, item.version, c)]).count == 1)
        let text = try String(contentsOf: dir.appendingPathComponent("ada.vcf"), encoding: .utf8)
        #expect(text.contains("GEO:geo:51.5,-0.1"))
        #expect(text.contains("VERSION:4.0"))
        #expect(text.contains("UID:abc"))
        #expect(text.contains("TITLE:Countess"))
    }

    /// A bad file in the folder holds up only itself: the rest syncs, and the hub keeps the
    /// contact the file held before it broke.
    @Test func syncGoesOnPastABadFile() async throws {
        let dir = try TempDir.make()
        let folder = FolderSpoke(directory: dir)
        let h = try Harness(spokeOptions: [.init(), .init()]) { i, clock in
            MemorySpoke(name: "s\(i)", clock: clock.closure)
        }
        let connectors: [SpokeID: any SpokeConnector] = [h.configs[0].id: h.spokes[0], h.configs[1].id: folder]
        h.spokes[0].userUpsert(Sample.person("Ada", "Lovelace", email: "ada@example.com"))
        h.spokes[0].userUpsert(Sample.person("Alan", "Turing", email: "alan@example.com"))
        var run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(run.status == .succeeded)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files.count == 2)
        try write("BEGIN:VCARD\r\nVERSION:3.0\r\nPHOTO;ENCODING=b:@@@\r\nEND:VCARD\r\n", files[0], in: dir)
        h.clock.advance()
        run = try await h.engine.sync(hub: h.hub, connectors: connectors)
        #expect(run.status == .partial)
        #expect(run.errors.count == 1)
        #expect(try h.hubContacts().count == 2)
        #expect(h.spokes[0].count == 2)
    }
}

@Suite struct FolderSpokeCustomFields {
    @Test func unmappedCustomFieldsSurviveAHubUpdate() async throws {
        let dir = try TempDir.make()
        let spoke = FolderSpoke(directory: dir)
        try Data("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nN:Lovelace;Ada;;;\r\nX-SHOE-SIZE:38\r\nEND:VCARD\r\n".utf8)
            .write(to: dir.appendingPathComponent("ada.vcf"))
        guard let item = try await listAll(spoke).first else { Issue.record("no item"); return }
        #expect(item.contact.custom["X-SHOE-SIZE"] == "38")
        var c = item.contact
        c.custom = [:]  // what the hub sends when it maps no custom field
        c.title = "Countess"
        _ = try await spoke.write([.update(item.id, item.version, c)])
        let after = try await spoke.fetch(item.id)?.contact
        #expect(after?.title == "Countess")
        #expect(after?.custom["X-SHOE-SIZE"] == "38")
    }
}
