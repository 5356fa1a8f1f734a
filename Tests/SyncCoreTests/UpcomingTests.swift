import Foundation
import Testing
import TestSupport
@testable import SyncCore
import SyncModel

@Suite struct UpcomingTests {
    static func utc(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ min: Int = 0) -> Int {
        CivilDateTime(CivilDate(y, m, d), h, min).secondsSinceEpoch
    }

    static let weekly: Event = {
        // Mondays 09:00 Berlin; Europe's clocks go forward on Sunday 2026-03-29.
        var e = Event(uid: "standup", master: EventFields(start: EventFixtures.at(2026, 3, 16), end: .duration(EventDuration(minutes: 15)),
                                                          summary: "Standup"), rule: EventRule(.weekly))
        e.exdates = [EventFixtures.at(2026, 4, 6)]
        var moved = EventFields(start: EventFixtures.at(2026, 4, 14, 11), summary: "Standup (Tuesday)")
        moved.end = .time(EventFixtures.at(2026, 4, 14, 11, 15))
        var cancelled = EventFields(start: EventFixtures.at(2026, 4, 20), summary: "Standup")
        cancelled.status = .cancelled
        e.overrides = [EventOverride(recurrenceID: EventFixtures.at(2026, 4, 13), fields: moved),
                       EventOverride(recurrenceID: EventFixtures.at(2026, 4, 20), fields: cancelled)]
        return e
    }()

    @Test func aWeeklySeriesAcrossDSTWithMovedAndCancelledInstances() {
        let r = Upcoming().occurrences(of: [("w", Self.weekly)], from: Self.utc(2026, 3, 16), to: Self.utc(2026, 4, 28))
        #expect(r.unexpanded.isEmpty)
        // 09:00 Berlin is 08:00Z in winter and 07:00Z in summer; 04-06 is an EXDATE, 04-13 moved
        // to Tuesday 11:00, 04-20 cancelled.
        #expect(r.occurrences.map(\.occurrence.startInstant) == [
            Self.utc(2026, 3, 16, 8), Self.utc(2026, 3, 23, 8), Self.utc(2026, 3, 30, 7),
            Self.utc(2026, 4, 14, 9), Self.utc(2026, 4, 27, 7),
        ])
        #expect(r.occurrences.map(\.fields.summary) == ["Standup", "Standup", "Standup", "Standup (Tuesday)", "Standup"])
        #expect(r.occurrences.map { $0.endInstant - $0.occurrence.startInstant } == [900, 900, 900, 900, 900])
        #expect(r.occurrences[2].occurrence.start == EventFixtures.at(2026, 3, 30))
    }

    @Test func severalSeriesInOneOrderWithAllDayAndFloating() {
        let allDay = Event(uid: "holiday", master: EventFields(start: .date(CivilDate(2026, 4, 3)), summary: "Good Friday"))
        let floating = Event(uid: "yoga", master: EventFields(start: EventFixtures.at(2026, 4, 3, 7, 0, .floating),
                                                              end: .duration(EventDuration(hours: 1)), summary: "Yoga"))
        let r = Upcoming().occurrences(of: [("w", Self.weekly), ("h", allDay), ("y", floating)],
                                       from: Self.utc(2026, 3, 31), to: Self.utc(2026, 4, 8))
        #expect(r.occurrences.map(\.key) == ["h", "y"])
        #expect(r.occurrences[0].endInstant == Self.utc(2026, 4, 4))
        #expect(r.occurrences[1].occurrence.startInstant == Self.utc(2026, 4, 3, 7))
        // From midday, the all-day event is still on; the floating one is over.
        let later = Upcoming().occurrences(of: [("h", allDay), ("y", floating)], from: Self.utc(2026, 4, 3, 12), to: Self.utc(2026, 4, 8))
        #expect(later.occurrences.map(\.key) == ["h"])
    }

    @Test func anInstanceThatStartedBeforeTheWindowAndRunsIntoItCounts() {
        let trip = Event(uid: "trip", master: EventFields(start: .date(CivilDate(2026, 3, 1)), end: .time(.date(CivilDate(2026, 3, 11))),
                                                          summary: "Trip"))
        let u = Upcoming()
        #expect(u.occurrences(of: [("t", trip)], from: Self.utc(2026, 3, 10), to: Self.utc(2026, 3, 20)).occurrences.count == 1)
        #expect(u.occurrences(of: [("t", trip)], from: Self.utc(2026, 3, 11), to: Self.utc(2026, 3, 20)).occurrences.isEmpty)
        #expect(u.touches(trip, from: Self.utc(2026, 3, 10), to: Self.utc(2026, 3, 20)))
        #expect(!u.touches(trip, from: Self.utc(2026, 3, 11), to: Self.utc(2026, 3, 20)))
    }

    /// A rule the expander cannot read: said so, and the master's own instance still shows.
    @Test func anUnreadableRuleIsReportedNotDropped() {
        var e = Event(uid: "h", master: EventFields(start: EventFixtures.at(2026, 3, 2, 9, 0, .utc), summary: "Hourly"),
                      rule: EventRule(.hourly))
        let r = Upcoming().occurrences(of: [("h", e)], from: Self.utc(2026, 3, 1), to: Self.utc(2026, 3, 3))
        #expect(r.occurrences.map(\.occurrence.startInstant) == [Self.utc(2026, 3, 2, 9)])
        #expect(r.unexpanded.map(\.0) == ["h"])
        e.master!.start = EventFixtures.at(2020, 1, 1, 9, 0, .utc)
        #expect(Upcoming().touches(e, from: Self.utc(2026, 3, 1), to: Self.utc(2026, 3, 3)))
    }

    /// A cancelled instance is news for the sync window even though the hub page hides it.
    @Test func aCancelledInstanceTouchesTheWindow() {
        let from = Self.utc(2026, 4, 19), to = Self.utc(2026, 4, 21)
        var e = Self.weekly
        e.rule?.end = .until(EventFixtures.at(2026, 4, 20, 23, 0, .utc))
        #expect(Upcoming().occurrences(of: [("w", e)], from: from, to: to).occurrences.isEmpty)
        #expect(Upcoming().touches(e, from: from, to: to))
    }
}
