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
}
