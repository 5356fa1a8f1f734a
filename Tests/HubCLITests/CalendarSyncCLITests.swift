import Foundation
import Testing

/// `hubsync sync` runs a calendar hub: a series written in one `.ics` folder reaches the other
/// whole (its rule, its moved instance), and an edit made there comes back.
@Suite struct CalendarSyncCLITests {
    static let standup = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//Someone//EN\r
        BEGIN:VEVENT\r
        UID:standup-1@example.com\r
        DTSTAMP:20261201T090000Z\r
        DTSTART;TZID=Europe/Paris:20261207T093000\r
        DTEND;TZID=Europe/Paris:20261207T094500\r
        RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR\r
        SUMMARY:Stand-up\r
        LOCATION:Room 4\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:standup-1@example.com\r
        DTSTAMP:20261201T090000Z\r
        RECURRENCE-ID;TZID=Europe/Paris:20261209T093000\r
        DTSTART;TZID=Europe/Paris:20261209T110000\r
        DTEND;TZID=Europe/Paris:20261209T111500\r
        SUMMARY:Stand-up (moved)\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    @Test func aSeriesGoesFromOneICSFolderToTheOtherAndAnEditComesBack() async throws {
        let cli = try CLI()
        let a = try cli.folder("a"), b = try cli.folder("b")
        try Data(Self.standup.utf8).write(to: a.appendingPathComponent("standup.ics"))
        var r = await cli.run("hub create Team --object calendar")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        for (name, dir) in [("A", a), ("B", b)] {
            r = await cli.run(["spoke", "add", "team", "--name", name, "--kind", "ics-folder", "--path", dir.path])
            #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        }
        r = await cli.run("sync team")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        #expect(r.output.contains("succeeded"))
        let copied = try FileManager.default.contentsOfDirectory(atPath: b.path).filter { $0.hasSuffix(".ics") }
        #expect(copied == ["standup-1@example.com.ics"])
        let file = try #require(copied.first)
        let text = try String(contentsOf: b.appendingPathComponent(file), encoding: .utf8)
        for part in ["UID:standup-1@example.com", "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR", "SUMMARY:Stand-up\r",
                     "RECURRENCE-ID;TZID=Europe/Paris:20261209T093000", "SUMMARY:Stand-up (moved)", "LOCATION:Room 4"] {
            #expect(text.contains(part), "\(part)")
        }

        // Edited in B: the series gets a new place; the next sync carries it back to A.
        try Data(text.replacingOccurrences(of: "LOCATION:Room 4", with: "LOCATION:Room 7").utf8)
            .write(to: b.appendingPathComponent(file))
        r = await cli.run("sync team")
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "") \(r.output)")
        let back = try String(contentsOf: a.appendingPathComponent("standup.ics"), encoding: .utf8)
        #expect(back.contains("LOCATION:Room 7"))
        #expect(back.contains("SUMMARY:Stand-up (moved)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: a.path).filter { $0.hasSuffix(".ics") } == ["standup.ics"])

        // A third pass changes nothing anywhere.
        r = await cli.run("sync team")
        #expect(r.output.contains("succeeded"))
        r = await cli.run("hub show team")
        #expect(r.output.contains("1 events") || r.output.contains("1 event"))
    }
}
