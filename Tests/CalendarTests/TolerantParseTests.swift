import Foundation
import PIMFormats
import SyncModel
import Testing

/// Real-world input that is not quite RFC 5545, and input meant to hurt.
@Suite struct TolerantParseTests {
    private func wrap(_ body: String) -> String { "BEGIN:VCALENDAR\nVERSION:2.0\n\(body)\nEND:VCALENDAR\n" }

    @Test func badEventsAreSkippedNotTheFile() throws {
        let cal = try ICalParser.parse(wrap("""
            BEGIN:VEVENT
            UID:a
            SUMMARY:no start
            END:VEVENT
            BEGIN:VEVENT
            UID:b
            DTSTART:2024-02-30
            END:VEVENT
            BEGIN:VEVENT
            DTSTART;VALUE=DATE:20240229
            UID:c
            RRULE:FREQ=SOMETIMES
            END:VEVENT
            """))
        #expect(cal.events.map(\.uid) == ["c"])
        #expect(cal.problems.count == 2)
        // An RRULE nobody can read is kept as data, not dropped.
        #expect(cal.events.first?.master?.extra.first?.value == "FREQ=SOMETIMES")
    }

    @Test func zoneSpellingsResolve() throws {
        let cal = try ICalParser.parse(wrap("""
            BEGIN:VEVENT
            UID:z1
            DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20240101T090000
            END:VEVENT
            BEGIN:VEVENT
            UID:z2
            DTSTART;TZID=Pacific Standard Time:20240101T090000
            END:VEVENT
            BEGIN:VEVENT
            UID:z3
            DTSTART;TZID=Europe/Kiev:20240101T090000
            END:VEVENT
            """))
        #expect(cal.events.compactMap { $0.master?.start.zone } == [
            .named("America/New_York"), .named("America/Los_Angeles"), .named("Europe/Kiev"),
        ])
    }

    @Test func everyWindowsZoneNamesAZoneFoundationKnows() throws {
        var unknown: [String] = []
        for name in ["W. Europe Standard Time", "Eastern Standard Time", "AUS Eastern Standard Time", "UTC", "Tokyo Standard Time"] {
            let cal = try ICalParser.parse(wrap("BEGIN:VEVENT\nUID:x\nDTSTART;TZID=\(name):20240101T090000\nEND:VEVENT"))
            guard case .named(let id)? = cal.events.first?.master?.start.zone, TimeZone(identifier: id) != nil else {
                unknown.append(name); continue
            }
        }
        #expect(unknown.isEmpty)
    }

    @Test func limitsHold() throws {
        var deep = "BEGIN:VCALENDAR\n"
        for _ in 0..<20 { deep += "BEGIN:X-NEST\n" }
        #expect(throws: ICalError.self) { try ICalParser.parse(deep) }
        var small = ICalLimits()
        small.maxBytes = 100
        #expect(throws: ICalError.self) { try ICalParser.parse(self.wrap(String(repeating: "X-A:b\n", count: 50)), limits: small) }
        small = ICalLimits()
        small.maxOverrides = 2
        var body = "BEGIN:VEVENT\nUID:u\nDTSTART:20240101T090000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\n"
        for d in 2...5 { body += "BEGIN:VEVENT\nUID:u\nRECURRENCE-ID:2024010\(d)T090000Z\nDTSTART:2024010\(d)T100000Z\nEND:VEVENT\n" }
        let cal = try ICalParser.parse(wrap(body), limits: small)
        #expect(cal.events.isEmpty && cal.problems.count == 1)
    }

    @Test func truncatedInputKeepsWhatWasComplete() throws {
        let cal = try ICalParser.parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:t\nDTSTART:20240101T090000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:cut")
        #expect(cal.events.map(\.uid) == ["t"])
        #expect(!cal.problems.isEmpty)
    }
}
