import Foundation
import Testing
import PIMFormats
import SyncCore
import SyncModel
import TestSupport
@testable import HubCLI

/// The demo's team calendar: files our parser and Python's `icalendar` read back, and the
/// instances the demo promises (a moved and a cancelled meeting, last workdays across DST).
@Suite struct DemoCalendarTests {
    static let today = CivilDate(2026, 3, 18)  // a Wednesday; Berlin changes to summer time on 29 March

    @Test func theSeedFilesReadBackAsTheSameSeries() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("demo-cal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try DemoCalendar.seed(dir, today: Self.today) == 7)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names.count == 7 && names.allSatisfy { $0.hasSuffix(".ics") })
        let read = try names.flatMap { try ICalParser.parse(data: Data(contentsOf: dir.appendingPathComponent($0))).events }
        let made = DemoCalendar.events(today: Self.today)
        #expect(Set(read.map(\.uid)) == Set(made.map(\.uid)))
        let meeting = try #require(read.first { $0.uid.hasPrefix("demo-team-meeting") })
        #expect(meeting.overrides.count == 1 && meeting.exdates.count == 1 && meeting.master?.attendees.count == 2)
        let doctor = try #require(read.first { $0.uid.hasPrefix("demo-doctor") })
        #expect(doctor.master?.classification == .private)

        // Python `icalendar` reads every file: no METHOD, every person SCHEDULE-AGENT=CLIENT.
        try OutsideTools.require(.icalendar)
        let out = try await PythonScript.run("ical_outbound.py", in: Self.calendarScripts, [dir.path], needs: [.icalendar])
        let rows = out.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 7)
        #expect(Set(rows.map { $0[3] }) == Set(made.map(\.uid)))
        #expect(rows.first { $0[3].hasPrefix("demo-team-meeting") }.map { [$0[1], $0[2], $0[4]] } == ["2", "Europe/Berlin", "6"])
    }

    /// The Python checks of the CalendarTests target.
    static let calendarScripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CalendarTests/python")

    @Test func theMeetingIsMovedOnceCancelledOnceAndTheReviewFallsOnLastWorkdays() throws {
        let day = 86400
        let now = CivilDateTime(Self.today, 12).secondsSinceEpoch
        let all = DemoCalendar.events(today: Self.today).map { ($0.uid, $0) }
        let shown = Upcoming().occurrences(of: all, from: now, to: now + 120 * day)
        #expect(shown.unexpanded.isEmpty)
        let meetings = shown.occurrences.filter { $0.key.hasPrefix("demo-team-meeting") }
        // Mondays 10:00 from the 23rd; the 30 March one moved to Tuesday 31 March 14:00, 6 April gone.
        let starts = meetings.map(\.occurrence.start.wall)
        #expect(starts.contains(CivilDateTime(CivilDate(2026, 3, 31), 14)))
        #expect(!starts.contains(CivilDateTime(CivilDate(2026, 3, 30), 10)))
        #expect(!starts.contains(CivilDateTime(CivilDate(2026, 4, 6), 10)))
        #expect(starts.contains(CivilDateTime(CivilDate(2026, 3, 23), 10)) && starts.contains(CivilDateTime(CivilDate(2026, 4, 13), 10)))
        let moved = try #require(meetings.first { $0.occurrence.start.wall.date == CivilDate(2026, 3, 31) })
        #expect(moved.fields.description?.contains("Moved") == true)
        // 31 March (Tue), 30 April (Thu), 29 May (Fri), 30 June (Tue), all 16:00 in Berlin, on both sides of DST.
        let reviews = shown.occurrences.filter { $0.key.hasPrefix("demo-monthly-review") }.map(\.occurrence.start.wall)
        #expect(reviews == [CivilDate(2026, 3, 31), CivilDate(2026, 4, 30), CivilDate(2026, 5, 29), CivilDate(2026, 6, 30)]
            .map { CivilDateTime($0, 16) })
        let instants = shown.occurrences.filter { $0.key.hasPrefix("demo-monthly-review") }.map(\.occurrence.startInstant)
        #expect(instants.first.map { $0 % day } == 14 * 3600)  // 16:00 CEST is 14:00 UTC
        let holidays = shown.occurrences.filter { $0.key.hasPrefix("demo-holiday") }.map(\.occurrence.start)
        #expect(holidays == [.date(CivilDate(2026, 5, 1))])
    }
}
