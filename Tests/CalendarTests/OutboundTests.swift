import Foundation
@testable import PIMFormats
import SyncModel
import TestSupport
import Testing

/// Never an invitation (PROTOCOLS.md §3.5): what HubSync writes for a CalDAV server or an .ics
/// export has no METHOD and says SCHEDULE-AGENT=CLIENT on every organizer and attendee; kept
/// properties survive; Python `icalendar` reads all of it and agrees.
@Suite struct OutboundTests {
    static let stamp = CivilDateTime(CivilDate(2026, 12, 1))

    /// Unfolded content lines.
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    static let invited: Event = {
        var e = EventFixtures.everything
        e.master!.organizer!.params.append(EventParameter(name: "SCHEDULE-AGENT", values: ["SERVER"]))
        e.master!.attendees[0].params.append(EventParameter(name: "SCHEDULE-FORCE-SEND", values: ["REQUEST"]))
        e.master!.attendees[1].params.append(EventParameter(name: "SCHEDULE-STATUS", values: ["1.2"]))
        e.overrides[0].fields.attendees = [Participant(address: "mailto:cy@example.com")]
        for i in e.overrides.indices { e.overrides[i].fields.stamp = stamp }  // what the writer fills in
        return e
    }()

    @Test func aResourceSchedulesNobody() throws {
        let out = Self.lines(ICalWriter.resource(Self.invited, stampIfMissing: Self.stamp))
        #expect(!out.contains { $0.hasPrefix("METHOD") })
        let people = out.filter { $0.hasPrefix("ORGANIZER") || $0.hasPrefix("ATTENDEE") }
        #expect(people.count == 4)
        for p in people {
            #expect(p.components(separatedBy: "SCHEDULE-AGENT=CLIENT").count == 2, "\(p)")
            #expect(!p.contains("SCHEDULE-AGENT=SERVER") && !p.contains("SCHEDULE-FORCE-SEND") && !p.contains("SCHEDULE-STATUS"))
        }
        #expect(out.contains("ATTENDEE;PARTSTAT=ACCEPTED;X-NUM=1,2;SCHEDULE-AGENT=CLIENT:mailto:ann@example.com"))
        // Read back, it is the series written: the scheduling parameters are not content.
        let back = try ICalParser.parse(ICalWriter.resource(Self.invited, stampIfMissing: Self.stamp))
        #expect(back.events.map { $0.normalized() } == [Self.invited.normalized()])
        #expect(back.events[0].contentHash == Self.invited.contentHash)
    }

    /// A calendar read from an iTIP message (METHOD:REQUEST) is written without it; its name and
    /// kept parts stay; X- properties survive the round trip.
    @Test func anExportOfAWholeCalendar() throws {
        var cal = try ICalParser.parse(RoundTripTests.outlook)
        cal.properties = cal.properties.map { $0.name == "METHOD" ? EventProperty(name: "METHOD", value: "REQUEST") : $0 }
        let text = ICalWriter.write(ICalOutbound.prepare(cal))
        let out = Self.lines(text)
        #expect(!out.contains { $0.hasPrefix("METHOD") })
        #expect(out.filter { $0 == "BEGIN:VCALENDAR" }.count == 1)
        for kept in ["X-WR-CALNAME:Team", "X-MICROSOFT-CDO-BUSYSTATUS:BUSY", "X-ALT-DESC;FMTTYPE=text/html:<b>hi</b>",
                     "BEGIN:VTODO", "TZID:Customized Time Zone", "TZID:Europe/Berlin"] {
            #expect(out.contains(kept), "\(kept) was lost")
        }
        let back = try ICalParser.parse(text)
        #expect(back.events.map { $0.normalized() } == cal.events.map { $0.normalized() })
        #expect(back.events[0].master?.extra == cal.events[0].master?.extra)

        let all = OracleTests.corpus().map(\.event) + [Self.invited]
        let export = Self.lines(ICalWriter.export(all, properties: [EventProperty(name: "X-WR-CALNAME", value: "Team")],
                                                  stampIfMissing: Self.stamp))
        #expect(export.filter { $0 == "BEGIN:VEVENT" }.count == all.reduce(0) { $0 + ($1.master == nil ? 0 : 1) + $1.overrides.count })
        let zones = Set(all.flatMap { e in [e.master?.start].compactMap { $0?.zone } }.compactMap { z -> String? in
            if case .named(let id) = z { id } else { nil }
        })
        #expect(Set(export.filter { $0.hasPrefix("TZID:") }.map { String($0.dropFirst(5)) }).isSuperset(of: zones))
        #expect(zones.count >= 3)
    }

    /// Python `icalendar` parses every resource and export HubSync writes, sees no METHOD and
    /// SCHEDULE-AGENT=CLIENT on every person, and finds the series, zones and X- properties.
    @Test func pythonIcalendarReadsWhatWeWrite() async throws {
        try OutsideTools.require(.icalendar)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = OracleTests.corpus()
        var files: [String: String] = ["invited": ICalWriter.resource(Self.invited, stampIfMissing: Self.stamp),
                                       "orphan": ICalWriter.resource(EventFixtures.orphan, stampIfMissing: Self.stamp),
                                       "export": ICalWriter.export(corpus.map(\.event) + [Self.invited], stampIfMissing: Self.stamp),
                                       "outlook": ICalWriter.write(ICalOutbound.prepare(try ICalParser.parse(RoundTripTests.outlook)))]
        for s in corpus { files["corpus-" + s.name] = ICalWriter.resource(s.event, stampIfMissing: Self.stamp) }
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name + ".ics")) }
        let out = try await PythonScript.run("ical_outbound.py", in: OracleTests.directory, [dir.path], needs: [.icalendar])
        var rows: [String: [String]] = [:]
        for line in out.split(separator: "\n") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            rows[cols[0]] = Array(cols.dropFirst())
        }
        #expect(rows.count == files.count)
        #expect(rows["invited"] == ["3", "Europe/Berlin", "standup@example.com", "4", "X-APPLE-TRAVEL,X-MOZ-GENERATION,X-OVERRIDE"])
        #expect(rows["orphan"]?[0] == "1")
        #expect(rows["export"]?[0] == String(corpus.reduce(1 + 2) { $0 + ($1.event.master == nil ? 0 : 1) + $1.event.overrides.count }))
        #expect(rows["export"]?[2].split(separator: ",").count == Set(corpus.map(\.event.uid)).union(["standup@example.com"]).count)
        #expect(rows["outlook"]?[4] == "X-ALT-DESC,X-MICROSOFT-CDO-BUSYSTATUS")
        print("ical outbound: icalendar read \(rows.count) files, \(rows["export"]?[0] ?? "?") VEVENTs in the export")
    }
}
