import Foundation
import Testing
import ConnectorFolder
import ConnectorKit
import PIMFormats
import SyncModel
import TestSupport

/// A folder of `.ics` files, one series per file, as a calendar spoke.
@Suite struct ICSFolderTests {
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func conformance() async throws {
        try await EventConformance.all { ICSFolderSpoke(directory: try Self.folder(), pageSize: 3) }
    }

    @Test func filesAreNamedAfterTheUIDAndKeepWhatTheHubDoesNotHold() async throws {
        let dir = try Self.folder()
        let spoke = ICSFolderSpoke(directory: dir)
        let out = try await spoke.write([
            .create(EventConformance.series("a/b c"), CreateMarker(hub: HubID("h"), item: ItemID("1"))),
            .create(EventConformance.series("plain-1@example.com"), CreateMarker(hub: HubID("h"), item: ItemID("2"))),
        ])
        #expect(out.map(\.name) == ["created \(ICSFolderSpoke.fileName(uid: "a/b c"))", "created plain-1@example.com.ics"])
        #expect(ICSFolderSpoke.fileName(uid: "a/b c").hasPrefix("uid-"))
        // Another app's file: its calendar properties, zones and tasks stay through an update.
        let other = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//Other App//EN\r
            X-WR-CALNAME:Team\r
            BEGIN:VEVENT\r
            UID:other-1\r
            DTSTAMP:20261201T090000Z\r
            DTSTART:20261209T090000Z\r
            SUMMARY:Theirs\r
            X-OTHER:kept\r
            END:VEVENT\r
            BEGIN:VTODO\r
            UID:todo-1\r
            SUMMARY:A task beside it\r
            END:VTODO\r
            END:VCALENDAR\r

            """
        try Data(other.utf8).write(to: dir.appendingPathComponent("other.ics"))
        try Data("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR\r\n".utf8)
            .write(to: dir.appendingPathComponent("tasks.ics"))
        let all = try await listAllEvents(spoke)
        #expect(all.count == 3)  // the task file is not an item
        let theirs = try #require(all.first { $0.id.rawValue == "other.ics" })
        var edited = theirs.item
        edited.master?.summary = "Renamed"
        guard case .updated? = try await spoke.write([.update(theirs.id, theirs.version, edited)]).first else {
            Issue.record("update failed"); return
        }
        let text = try String(contentsOf: dir.appendingPathComponent("other.ics"), encoding: .utf8)
        for kept in ["PRODID:-//Other App//EN", "X-WR-CALNAME:Team", "X-OTHER:kept", "BEGIN:VTODO", "SUMMARY:Renamed"] {
            #expect(text.contains(kept), "\(kept)")
        }
    }

    /// A long marker is folded in the file; it is still found, and only in the file that holds it.
    @Test func aFoldedMarkerIsFound() async throws {
        let dir = try Self.folder()
        let spoke = ICSFolderSpoke(directory: dir)
        let long = CreateMarker(hub: HubID("hub-0123456789abcdef-0123456789abcdef"), item: ItemID("item-0123456789abcdef-0123456789abcdef"))
        _ = try await spoke.write([
            .create(EventConformance.single("folded-1", "Folded"), long),
            .create(EventConformance.single("other-1", "Other"), CreateMarker(hub: HubID("h"), item: ItemID("2"))),
        ])
        let text = try String(contentsOf: dir.appendingPathComponent("folded-1.ics"), encoding: .utf8)
        #expect(text.contains("X-HUBSYNC-MARKER:") && !text.contains(long.description))  // folded
        let found = try await spoke.find(marker: long)
        #expect(found?.id.rawValue == "folded-1.ics")
        #expect(found?.marker == long)
        #expect(found?.item.master?.extra.isEmpty == true)
    }

    @Test func anUnreadableOrHostileFileIsReportedAndNeverADeletion() async throws {
        let dir = try Self.folder()
        let spoke = ICSFolderSpoke(directory: dir, limits: { var l = ICalLimits(); l.maxBytes = 4096; return l }())
        _ = try await spoke.write([.create(EventConformance.single("ok-1", "Fine"), CreateMarker(hub: HubID("h"), item: ItemID("1")))])
        try Data(repeating: 0x41, count: 10_000).write(to: dir.appendingPathComponent("huge.ics"))
        try Data("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:no uid, no start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n".utf8)
            .write(to: dir.appendingPathComponent("broken.ics"))
        let deep = String(repeating: "BEGIN:X\r\n", count: 50) + String(repeating: "END:X\r\n", count: 50)
        try Data("BEGIN:VCALENDAR\r\n\(deep)END:VCALENDAR\r\n".utf8).write(to: dir.appendingPathComponent("deep.ics"))
        let page = try await spoke.pull(since: nil, page: nil)
        #expect(page.mode == .incremental)  // not final: nothing absent may be read as deleted
        #expect(page.changes.count == 1)
        #expect(Set(page.errors.compactMap(\.remoteID?.rawValue)) == ["huge.ics", "broken.ics", "deep.ics"])
        // Still there, untouched.
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("huge.ics").path))
    }
}
