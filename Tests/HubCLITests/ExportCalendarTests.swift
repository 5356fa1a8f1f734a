import Foundation
import Testing
import PIMFormats
import SyncModel
import SyncStore
import SyncStoreSQLite
import TestSupport
@testable import HubCLI

/// `hubsync export` of a calendar hub: one .ics with every series, the VTIMEZONEs they use and
/// the hub's name, that Python `icalendar` reads and that schedules nobody on import.
@Suite struct ExportCalendarTests {
    static let today = CivilDate(2026, 3, 18)

    @Test func oneICSWithEverySeriesThatPythonReads() async throws {
        let events = DemoCalendar.events(today: Self.today)
        let text = Export.calendar(events, name: "Team, Berlin", now: Date(timeIntervalSince1970: 1_773_000_000))
        let cal = try ICalParser.parse(text)
        #expect(cal.events.count == events.count)
        // The same series (the stamp filled in and SCHEDULE-AGENT added are not content).
        #expect(Dictionary(uniqueKeysWithValues: cal.events.map { ($0.uid, $0.contentHash) })
            == Dictionary(uniqueKeysWithValues: events.map { ($0.uid, $0.contentHash) }))
        #expect(text.contains("X-WR-CALNAME:Team\\, Berlin\r\n") && !text.contains("METHOD"))
        #expect(text.components(separatedBy: "BEGIN:VCALENDAR").count == 2)

        try OutsideTools.require(.icalendar)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("export-cal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(text.utf8).write(to: dir.appendingPathComponent("team.ics"))
        let out = try await PythonScript.run("ical_outbound.py", in: DemoCalendarTests.calendarScripts, [dir.path], needs: [.icalendar])
        let rows = out.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        // One file: 8 VEVENTs (the meeting's master and its moved instance, 4 holidays, the review,
        // the doctor), Berlin's zone once, every UID, the meeting's 3 people twice, all CLIENT.
        #expect(rows.map { Array($0.prefix(5)) } == [["team", "8", "Europe/Berlin", events.map(\.uid).sorted().joined(separator: ","), "6"]])
    }

    /// `hubsync export` of a calendar hub writes its live series (not a deleted one) as one .ics;
    /// asking for contacts, or a vCard version, of a calendar hub is a mistake said plainly.
    @Test func theCommandWritesTheHubsLiveSeries() async throws {
        let cli = try CLI()
        _ = await cli.run("hub create Team --object calendar")
        let events = DemoCalendar.events(today: Self.today)
        var batch = ItemWriteBatch<Event>()
        batch.items = events.enumerated().map { i, e in
            HubRecord(id: ItemID("e\(i)"), item: e.canonical(), version: HubRecord<Event>.allocatedVersion, modifiedAt: Date())
        }
        batch.items[0].deleted = true
        try SQLiteStore(path: cli.db).commit(hub: HubID("team"), batch: batch)

        let file = cli.dir.appendingPathComponent("team.ics")
        let r = await cli.run(["export", "team", "--object", "calendar", "--out", file.path])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("wrote \(events.count - 1) events"))
        let back = try ICalParser.parse(data: Data(contentsOf: file))
        #expect(Set(back.events.map(\.uid)) == Set(events.dropFirst().map(\.uid)))
        #expect(back.properties.contains { $0.name == "X-WR-CALNAME" && $0.value == "Team" })
        #expect(await cli.run("export team --object contacts").exitCode != 0)
        #expect(await cli.run("export team --vcard 4.0").exitCode != 0)
    }
}
