import Foundation
import PIMFormats
import SyncModel
import Testing

/// parse → write → parse is the identity on the model, and what a user wrote that HubSync does not
/// read (X- properties, unknown parameters, vendor components) comes back out.
@Suite struct RoundTripTests {
    @Test func theWholeCorpusRoundTrips() throws {
        let corpus = OracleTests.corpus()
        var identical = 0
        for s in corpus {
            let once = try ICalParser.parse(ICalWriter.write(s.event))
            #expect(once.problems.isEmpty, "\(s.name): \(once.problems)")
            #expect(once.events == [s.event], "\(s.name) changed on the way:\n\(ICalWriter.write(s.event))")
            let twice = try ICalParser.parse(ICalWriter.write(once))
            if twice.events == once.events { identical += 1 }
        }
        #expect(identical == corpus.count)
    }

    static let outlook = """
        BEGIN:VCALENDAR\r
        PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r
        VERSION:2.0\r
        METHOD:PUBLISH\r
        X-WR-CALNAME:Team\r
        BEGIN:VTIMEZONE\r
        TZID:W. Europe Standard Time\r
        BEGIN:STANDARD\r
        DTSTART:16011028T030000\r
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
        TZOFFSETFROM:+0200\r
        TZOFFSETTO:+0100\r
        END:STANDARD\r
        END:VTIMEZONE\r
        BEGIN:VTIMEZONE\r
        TZID:Customized Time Zone\r
        BEGIN:STANDARD\r
        DTSTART:16010101T000000\r
        TZOFFSETFROM:+0530\r
        TZOFFSETTO:+0530\r
        END:STANDARD\r
        END:VTIMEZONE\r
        BEGIN:VEVENT\r
        CLASS:PUBLIC\r
        DTSTART;TZID="W. Europe Standard Time":20240304T090000\r
        DTEND;TZID=W. Europe Standard Time:20240304T093000\r
        RRULE:FREQ=WEEKLY;BYDAY=MO;INTERVAL=1\r
        EXDATE;TZID=W. Europe Standard Time:20240311T090000\r
        SUMMARY;LANGUAGE=de-de:Stand-up\\, kurz\\; bitte p\r
         ünktlich\r
        DESCRIPTION:Zeile 1\\nZeile 2\r
        UID:040000008200E00074C5B7101A82E008000000001\r
        ORGANIZER;CN="Ann, Boss":mailto:ann@example.com\r
        ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Bob:mailto:bob@example.com\r
        X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r
        X-ALT-DESC;FMTTYPE=text/html:<b>hi</b>\r
        TRANSP:OPAQUE\r
        CATEGORIES:Team,Daily\r
        BEGIN:VALARM\r
        TRIGGER:-PT15M\r
        ACTION:DISPLAY\r
        DESCRIPTION:Reminder\r
        END:VALARM\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:040000008200E00074C5B7101A82E008000000001\r
        RECURRENCE-ID;TZID=UTC:20240318T080000Z\r
        DTSTART;TZID=W. Europe Standard Time:20240318T100000\r
        DTEND;TZID=W. Europe Standard Time:20240318T103000\r
        SUMMARY:Stand-up (later)\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:custom-zone\r
        DTSTART;TZID=Customized Time Zone:20240501T120000\r
        SUMMARY:Delhi call\r
        END:VEVENT\r
        BEGIN:VTODO\r
        UID:todo-1\r
        SUMMARY:Kept\r
        END:VTODO\r
        END:VCALENDAR\r

        """

    @Test func outlookExportIsReadAndKept() throws {
        let cal = try ICalParser.parse(Self.outlook)
        #expect(cal.problems.isEmpty)
        #expect(cal.events.count == 2)
        let e = try #require(cal.events.first)
        let m = try #require(e.master)
        #expect(m.start == .dateTime(CivilDateTime(CivilDate(2024, 3, 4), 9), .named("Europe/Berlin")))
        #expect(m.summary == "Stand-up, kurz; bitte pünktlich")
        #expect(m.description == "Zeile 1\nZeile 2")
        #expect(m.extraParams["SUMMARY"] == [EventParameter(name: "LANGUAGE", values: ["de-de"])])
        #expect(m.organizer?.commonName == "Ann, Boss")
        #expect(m.attendees.first?.participation == "NEEDS-ACTION")
        #expect(m.categories == ["Team", "Daily"])
        #expect(m.transparency == .opaque && m.classification == .public)
        #expect(m.alarms.first?.trigger == .relative(EventDuration(negative: true, minutes: 15), fromEnd: false))
        #expect(m.extra.map(\.name) == ["X-MICROSOFT-CDO-BUSYSTATUS", "X-ALT-DESC"])
        #expect(e.rule?.byDay == [EventRule.Day(.monday)])
        #expect(e.exdates == [.dateTime(CivilDateTime(CivilDate(2024, 3, 11), 9), .named("Europe/Berlin"))])
        // The RECURRENCE-ID given in UTC is moved into the master's zone.
        #expect(e.overrides.first?.recurrenceID == .dateTime(CivilDateTime(CivilDate(2024, 3, 18), 9), .named("Europe/Berlin")))
        #expect(cal.events[1].master?.start == .dateTime(CivilDateTime(CivilDate(2024, 5, 1), 12), .named("Customized Time Zone")))
        #expect(cal.timeZones.count == 1 && cal.others.map(\.name) == ["VTODO"])
        // The custom zone expands at its own offset (+05:30), not as UTC.
        let delhi = try RecurrenceExpander(resolver: cal.zoneResolver).occurrences(of: cal.events[1], from: 0, to: 1 << 40)
        #expect(delhi.map(\.startInstant) == [CivilDateTime(CivilDate(2024, 5, 1), 6, 30).secondsSinceEpoch])

        let out = ICalWriter.write(cal)
        for kept in ["X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-ALT-DESC;FMTTYPE=text/html:<b>hi</b>", "SUMMARY;LANGUAGE=de-de:",
                     "TZID:Customized Time Zone", "BEGIN:VTODO", "X-WR-CALNAME:Team", "METHOD:PUBLISH",
                     "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Bob:mailto:bob@example.com",
                     "RECURRENCE-ID;TZID=Europe/Berlin:20240318T090000", "TZID:Europe/Berlin"] {
            #expect(out.replacingOccurrences(of: "\r\n ", with: "").contains(kept), "\(kept) was lost")
        }
        #expect(!out.contains("W. Europe Standard Time"))
        #expect(out.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 75 })
        let again = try ICalParser.parse(out)
        #expect(again.events == cal.events && again.properties == cal.properties && again.others == cal.others)
    }
}
