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

/// An item keeps its identity: the UID first seen goes into every vCard source the hub fills.
@Suite struct FolderIdentityTests {
    static func card(uid: String, given: String, email: String, note: String? = nil) -> String {
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:\(uid)\r\nFN:\(given) Lovelace\r\nN:Lovelace;\(given);;;\r\n"
            + "EMAIL;TYPE=WORK:\(email)\r\n" + (note.map { "NOTE:\($0)\r\n" } ?? "") + "END:VCARD\r\n"
    }

    struct Folders {
        let h: Harness
        let dirs: [URL]
        let connectors: [SpokeID: any SpokeConnector]
        init() throws {
            dirs = [try TempDir.make(), try TempDir.make()]
            let h = try Harness(spokeOptions: [.init(), .init()])
            self.h = h
            connectors = Dictionary(uniqueKeysWithValues: zip(h.configs.map(\.id), dirs.map { FolderSpoke(directory: $0) as any SpokeConnector }))
        }
        func sync() async throws -> RunRecord {
            h.clock.advance()
            return try await h.engine.sync(hub: h.hub, connectors: connectors)
        }
        func cards(_ i: Int) throws -> [VCard] {
            try FileManager.default.contentsOfDirectory(atPath: dirs[i].path).sorted().map {
                try VCardParser.parse(data: try Data(contentsOf: dirs[i].appendingPathComponent($0)))
            }
        }
    }

    @Test func aCopyKeepsTheUIDAndItsCreateStaysIdempotent() async throws {
        let f = try Folders()
        try Data(Self.card(uid: "urn:uuid:0a1b2c3d-ada", given: "Ada", email: "Ada@Example.org").utf8)
            .write(to: f.dirs[0].appendingPathComponent("ada.vcf"))
        #expect(try await f.sync().status == .succeeded)
        let copy = try #require(try f.cards(1).first)
        #expect(copy.uid == "urn:uuid:0a1b2c3d-ada")
        #expect(copy.createMarker != nil)
        #expect(copy.contact.emails.first?.value == "Ada@Example.org")
        // The hub recognises its own card by the marker it carries: nothing more happens.
        let calm = try await f.sync()
        #expect(calm.stats.values.allSatisfy { $0.hubCreated == 0 && $0.pushedCreates == 0 && $0.pushedUpdates == 0 })
        #expect(try f.cards(1).count == 1)
        #expect(try f.h.hubContacts().map(\.uid) == ["urn:uuid:0a1b2c3d-ada"])
        // A create retried after a crash lands on the same file.
        let spoke = FolderSpoke(directory: f.dirs[1])
        let marker = try #require(copy.createMarker)
        let again = try await spoke.write([.create(copy.identifiedContact, marker)])
        guard case .created = again.first else { Issue.record("\(again)"); return }
        #expect(try f.cards(1).count == 1)
    }

    /// Sources that already agree are adopted by UID, even where the matcher's other evidence
    /// would not do (the email differs here).
    @Test func aFirstSyncMatchesByUID() async throws {
        let f = try Folders()
        try Data(Self.card(uid: "same-1", given: "Ada", email: "ada@one.example").utf8)
            .write(to: f.dirs[0].appendingPathComponent("a.vcf"))
        try Data(Self.card(uid: "same-1", given: "Ada", email: "ada@two.example", note: "hi").utf8)
            .write(to: f.dirs[1].appendingPathComponent("b.vcf"))
        #expect(try await f.sync().status == .succeeded)
        #expect(try f.h.hubContacts().count == 1)
        #expect(try f.cards(0).count == 1)
        #expect(try f.cards(1).count == 1)
        #expect(try f.cards(1).first?.uid == "same-1")
    }

    /// Properties the hub has no field for travel between vCard sources, and so do their edits.
    @Test func unknownPropertiesTravelBetweenFolders() async throws {
        let f = try Folders()
        let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:ada-1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
            + "GENDER:F\r\nRELATED;TYPE=spouse:urn:uuid:william-king\r\nX-SOCIALPROFILE;TYPE=twitter:ada\r\n"
            + "X-SHOE-SIZE:38\r\nitem1.X-ABRELATEDNAMES:Byron\r\nitem1.X-ABLABEL:_$!<Father>!$_\r\nEND:VCARD\r\n"
        try Data(card.utf8).write(to: f.dirs[0].appendingPathComponent("ada.vcf"))
        #expect(try await f.sync().status == .succeeded)
        let copy = try #require(try f.cards(1).first)
        let text = VCardWriter.write(copy)
        for line in ["GENDER:F", "RELATED;TYPE=spouse:urn:uuid:william-king", "X-SOCIALPROFILE;TYPE=twitter:ada",
                     "X-SHOE-SIZE:38", "ITEM1.X-ABRELATEDNAMES:Byron", "ITEM1.X-ABLABEL:_$!<Father>!$_"] {
            #expect(text.uppercased().contains(line.uppercased()), "\(line)")
        }
        // An edit of one travels too; nothing else changes.
        let edited = card.replacingOccurrences(of: "GENDER:F", with: "GENDER:O")
        try Data(edited.utf8).write(to: f.dirs[0].appendingPathComponent("ada.vcf"))
        #expect(try await f.sync().status == .succeeded)
        let again = VCardWriter.write(try #require(try f.cards(1).first))
        #expect(again.contains("GENDER:O") && !again.contains("GENDER:F"))
        #expect(again.contains("X-SOCIALPROFILE;TYPE=twitter:ada"))
        let calm = try await f.sync()
        #expect(calm.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 })
    }
}
