import Foundation
import Testing
import TestSupport
@testable import SyncCore
import SyncModel

@Suite struct EventMatcherTests {
    static func event(_ uid: String, _ start: EventTime, _ summary: String?, rule: EventRule? = nil) -> Event {
        Event(uid: uid, master: EventFields(start: start, summary: summary), rule: rule)
    }

    static let nine = EventFixtures.at(2026, 3, 2)
    static let hub = EventMatcher([
        .init(id: "a", event: event("uid-a", nine, "Standup", rule: EventRule(.weekly))),
        .init(id: "b", event: event("uid-b", EventFixtures.at(2026, 3, 3, 14), "Café review")),
        .init(id: "c", event: event("uid-c", .date(CivilDate(2026, 12, 25)), "Christmas")),
        .init(id: "d1", event: event("dup", EventFixtures.at(2026, 3, 4), "Lunch")),
        .init(id: "d2", event: event("dup", EventFixtures.at(2026, 3, 5), "Lunch")),
        .init(id: "e1", event: event("uid-e1", EventFixtures.at(2026, 3, 6), "Sync")),
        .init(id: "e2", event: event("uid-e2", EventFixtures.at(2026, 3, 6), " sync ")),
        .init(id: "f", event: event("uid-f", EventFixtures.at(2026, 3, 7, 9, 0, .floating), "Yoga")),
    ])

    static let cases: [(String, Event, ItemID?)] = [
        ("same UID, even with another summary and start", event(" uid-a ", EventFixtures.at(2026, 4, 1), "Other"), "a"),
        ("a UID two hub series hold matches neither", event("dup", EventFixtures.at(2026, 3, 4), "Lunch"), nil),
        ("start and summary, folded", event("x1", EventFixtures.at(2026, 3, 3, 14), "  CAFE   Review"), "b"),
        ("the same instant in UTC", event("x2", EventFixtures.at(2026, 3, 3, 13, 0, .utc), "Café review"), "b"),
        ("the same wall time in another zone is another start",
         event("x3", EventFixtures.at(2026, 3, 3, 14, 0, .named("Europe/London")), "Café review"), nil),
        ("all-day by day", event("x4", .date(CivilDate(2026, 12, 25)), "christmas"), "c"),
        ("an all-day event is not a midnight", event("x5", EventFixtures.at(2026, 12, 25, 0, 0, .utc), "Christmas"), nil),
        ("floating by wall time", event("x6", EventFixtures.at(2026, 3, 7, 9, 0, .floating), "Yoga"), "f"),
        ("two candidates: no match", event("x7", EventFixtures.at(2026, 3, 6), "SYNC"), nil),
        ("another summary", event("x8", nine, "Standup!"), nil),
        ("no summary: the start alone says too little", event("x9", nine, nil), nil),
        ("a one-off at a series' start", event("x10", nine, "Standup"), nil),
        ("a series with another rule", event("x11", nine, "Standup", rule: EventRule(.daily)), nil),
        ("the same rule", event("x12", nine, "Standup", rule: EventRule(.weekly, interval: 1)), "a"),
        ("an orphan matches by UID only", Event(uid: "x13", master: nil), nil),
    ]

    @Test(arguments: cases.indices)
    func matches(_ i: Int) {
        let (name, e, want) = Self.cases[i]
        #expect(Self.hub.match(e) == want, "\(name)")
    }

    @Test func removedSeriesNoLongerMatch() {
        var m = Self.hub
        m.remove("e2")
        #expect(m.match(Self.event("x", EventFixtures.at(2026, 3, 6), "Sync")) == "e1")
        m.remove("a")
        #expect(m.match(Self.event("uid-a", Self.nine, "Standup")) == nil)
        // Adding again under the same id replaces, not doubles.
        m.add("b", Self.event("uid-b", Self.nine, "Moved"))
        m.add("b", Self.event("uid-b", Self.nine, "Moved"))
        #expect(m.match(Self.event("uid-b", Self.nine, "x")) == "b")
        #expect(m.match(Self.event("new", EventFixtures.at(2026, 3, 3, 14), "Café review")) == nil)
    }
}
