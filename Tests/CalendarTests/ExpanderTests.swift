import Foundation
@testable import PIMFormats
import SyncModel
import Testing

/// Known answers for the expander and the RRULE codec, without Python (RFC 5545 §3.8.5.3
/// examples and the shapes PROTOCOLS §4 found Foundation getting wrong).
@Suite struct ExpanderTests {
    let x = RecurrenceExpander()

    private func starts(_ e: Event, _ from: CivilDate, _ to: CivilDate) throws -> [EventTime] {
        try x.occurrences(of: e, from: CivilDateTime(from).secondsSinceEpoch, to: CivilDateTime(to).secondsSinceEpoch).map(\.start)
    }

    @Test func lastWorkdayOfTheMonth() throws {
        let rule = try #require(ICalRule.parse("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", zone: nil))
        let e = Event(uid: "w", master: EventFields(start: .date(CivilDate(2024, 1, 31))), rule: rule)
        // Foundation's RecurrenceRule answers 01-07, 02-06, 03-06 here (PROTOCOLS §4).
        #expect(try starts(e, CivilDate(2024, 1, 1), CivilDate(2024, 4, 1)) ==
            [.date(CivilDate(2024, 1, 31)), .date(CivilDate(2024, 2, 29)), .date(CivilDate(2024, 3, 29))])
    }

    @Test func monthlyOnThe31stAndYearlyOnFeb29SkipInsteadOfSliding() throws {
        let m = Event(uid: "m", master: EventFields(start: .date(CivilDate(2024, 1, 31))), rule: EventRule(.monthly))
        #expect(try starts(m, CivilDate(2024, 1, 1), CivilDate(2024, 6, 1)).map(\.wall.date) == [
            CivilDate(2024, 1, 31), CivilDate(2024, 3, 31), CivilDate(2024, 5, 31),
        ])
        let y = Event(uid: "y", master: EventFields(start: .date(CivilDate(2024, 2, 29))), rule: EventRule(.yearly))
        #expect(try starts(y, CivilDate(2024, 1, 1), CivilDate(2033, 1, 1)).map(\.wall.date.year) == [2024, 2028, 2032])
    }

    @Test func nineOClockStaysNineAcrossDST() throws {
        let start = EventTime.dateTime(CivilDateTime(CivilDate(2024, 3, 29), 9), .named("Europe/Berlin"))
        let e = Event(uid: "d", master: EventFields(start: start), rule: EventRule(.daily, end: .count(4)))
        let occ = try x.occurrences(of: e, from: 0, to: Int(Date.distantFuture.timeIntervalSince1970))
        #expect(occ.map { $0.start.wall.hour } == [9, 9, 9, 9])
        // 08:00Z before the switch on 31 March, 07:00Z after.
        #expect(occ.map { $0.startInstant % 86400 / 3600 } == [8, 8, 7, 7])
    }

    @Test func exdatesOverridesAndRdates() throws {
        let z = EventZone.named("America/New_York")
        func at(_ d: Int, _ h: Int = 10) -> EventTime { .dateTime(CivilDateTime(CivilDate(2024, 11, d), h), z) }
        var e = Event(uid: "o", master: EventFields(start: at(1), summary: "daily"), rule: EventRule(.daily, end: .count(5)))
        e.exdates = [at(2)]
        e.rdates = [at(9)]
        var moved = EventFields(start: at(3, 15), summary: "moved")
        moved.status = .cancelled
        e.overrides = [EventOverride(recurrenceID: at(3), fields: moved)]
        let occ = try x.occurrences(of: e, from: 0, to: Int(Date.distantFuture.timeIntervalSince1970))
        #expect(occ.map(\.start) == [at(1), at(3, 15), at(4), at(5), at(9)])
        #expect(occ[1].override?.fields.status == .cancelled && occ[1].recurrenceID == at(3))
    }

    @Test func ruleTextRoundTrips() throws {
        for text in ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", "FREQ=MONTHLY;COUNT=10;BYDAY=-1FR",
                     "FREQ=YEARLY;UNTIL=20301231T230000Z;BYMONTHDAY=29;BYMONTH=2", "FREQ=DAILY;X-NAME=keep;BYSETPOS=-1"] {
            let r = try #require(ICalRule.parse(text, zone: .named("Europe/Berlin")))
            #expect(ICalRule.parse(ICalRule.format(r), zone: .named("Europe/Berlin")) == r, "\(text)")
        }
        #expect(ICalRule.parse("FREQ=MONTHLY;BYMONTHDAY=0", zone: nil) == nil)
        #expect(ICalRule.parse("INTERVAL=2", zone: nil) == nil)
    }

    @Test func unsupportedRulesSayWhy() {
        var r = EventRule(.hourly)
        let e = Event(uid: "h", master: EventFields(start: .date(CivilDate(2024, 1, 1))), rule: r)
        #expect(throws: RecurrenceError.unsupported("FREQ=HOURLY")) { try x.occurrences(of: e, from: 0, to: 1 << 40) }
        r = EventRule(.yearly)
        r.byWeekNo = [20]
        #expect(throws: RecurrenceError.unsupported("BYWEEKNO")) {
            try x.occurrences(of: Event(uid: "w", master: e.master, rule: r), from: 0, to: 1 << 40)
        }
    }

    /// The 139 CLDR rows (PROTOCOLS §3.6) all name zones this system's Foundation knows.
    @Test func everyWindowsZoneIsKnown() {
        #expect(WindowsZones.iana.count == 139)
        let unknown = WindowsZones.iana.filter { TimeZone(identifier: $0.value) == nil }
        #expect(unknown.isEmpty, "\(unknown)")
        #expect(WindowsZones.iana["W. Europe Standard Time"] == "Europe/Berlin")
    }
}
