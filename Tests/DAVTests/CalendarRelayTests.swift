import Foundation
import Testing
import ConnectorDAV
import ConnectorFolder
import ConnectorKit
import PIMFormats
import SyncModel
import TestSupport

/// A series carried between sources by the spokes alone (what the engine hands over is the
/// event as one spoke read it): nothing of it is lost or changed on the way.
@Suite struct CalendarRelayTests {
    /// Radicale → .ics folder → Xandikos, a series with a moved and a cancelled instance and
    /// another app's properties: the same series (fields and UID) at every stop.
    @Test func aSeriesSurvivesCalDAVToFolderToCalDAV() async throws {
        let radicale = try await DAVServer.start(.radicale)
        let xandikos = try await DAVServer.start(.xandikos)
        let source = try await radicale.makeCalendar()
        try await OtherClient(radicale).put(source, "theirs.ics", SampleEvents.text(uid: "0400/relay 1"), type: "text/calendar")
        let original = try SampleEvents.event(uid: "0400/relay 1")
        let from = try CalDAVCalendarSpoke(settings: CalDAVSettings(url: source), http: radicale.client())
        let read = try await listAllEvents(from)
        #expect(read.count == 1)
        #expect(read.first?.item == original)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let folder = ICSFolderSpoke(directory: dir)
        let marker = CreateMarker(hub: HubID("h"), item: ItemID("1"))
        _ = try await folder.write([.create(read[0].item, marker)])
        let inFolder = try await listAllEvents(folder)
        #expect(inFolder.first.map { EventConformance.plain($0.item) } == EventConformance.plain(original))

        let target = try await xandikos.makeCalendar()
        let to = try CalDAVCalendarSpoke(settings: CalDAVSettings(url: target), http: xandikos.client())
        _ = try await to.write([.create(inFolder[0].item, marker)])
        let there = try await listAllEvents(to)
        #expect(there.count == 1)
        #expect(there.first.map { EventConformance.plain($0.item) } == EventConformance.plain(original))
        #expect(there.first?.item.uid == "0400/relay 1")
        // And back into the first calendar as an update: nothing changes but the scheduling flag.
        let back = try await from.write([.update(read[0].id, read[0].version, there[0].item)])
        guard case .updated? = back.first else { Issue.record("\(back)"); return }
        #expect(try await from.fetch(read[0].id).map { EventConformance.plain($0.item) } == EventConformance.plain(original))
    }
}
