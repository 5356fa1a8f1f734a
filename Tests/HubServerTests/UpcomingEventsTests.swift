import Foundation
import Testing
import SyncModel
@testable import HubServer

/// What a calendar hub's page lists: the instances ahead, in start order, a moved one where it
/// moved to, a cancelled one left out, all-day ones by their date, with their sources.
struct UpcomingEventsTests {
    static let berlin = EventZone.named("Europe/Berlin")
    static let now = CivilDateTime(CivilDate(2026, 3, 18), 12).secondsSinceEpoch

    @Test func theInstancesAheadWithTheirSources() {
        var master = EventFields(start: .dateTime(CivilDateTime(CivilDate(2026, 3, 2), 10), Self.berlin),
                                 end: .duration(EventDuration(minutes: 45)), summary: "Team meeting")
        master.location = " Room Elbe "
        var moved = master
        moved.start = .dateTime(CivilDateTime(CivilDate(2026, 3, 31), 14), Self.berlin)
        var weekly = Event(uid: "m", master: master, rule: EventRule(.weekly))
        weekly.overrides = [EventOverride(recurrenceID: .dateTime(CivilDateTime(CivilDate(2026, 3, 30), 10), Self.berlin), fields: moved)]
        weekly.exdates = [.dateTime(CivilDateTime(CivilDate(2026, 4, 6), 10), Self.berlin)]
        var holiday = EventFields(start: .date(CivilDate(2026, 4, 3)), end: nil, summary: "Good Friday")
        holiday.classification = .confidential
        var asked: [ItemID] = []
        let page = UpcomingList.page([
            .init(item: ItemID("a"), event: weekly),
            .init(item: ItemID("b"), event: Event(uid: "h", master: holiday)),
            .init(item: ItemID("c"), event: Event(uid: "later", master: EventFields(start: .date(CivilDate(2027, 1, 1)), summary: "Later"))),
        ], now: Self.now, days: 30, limit: 10) { ids in
            asked = ids
            return [ItemID("a"): ["Office", "Files"], ItemID("b"): ["Files"]]
        }
        // Only the series shown are looked up.
        #expect(Set(asked) == [ItemID("a"), ItemID("b")])
        #expect(page.events.map(\.summary) == ["Team meeting", "Team meeting", "Good Friday", "Team meeting"])
        #expect(page.events.map(\.moved) == [false, true, false, false])
        #expect(page.events[0].start == Date(timeIntervalSince1970: Double(CivilDateTime(CivilDate(2026, 3, 23), 9).secondsSinceEpoch)))
        #expect(page.events[1].start == Date(timeIntervalSince1970: Double(CivilDateTime(CivilDate(2026, 3, 31), 12).secondsSinceEpoch)))
        #expect(page.events[0].location == "Room Elbe" && page.events[0].sources == ["Office", "Files"] && page.events[0].recurring)
        #expect(page.events[2].allDay && page.events[2].day == "2026-04-03" && page.events[2].privateEvent && !page.events[2].recurring)
        #expect(page.events[3].start == Date(timeIntervalSince1970: Double(CivilDateTime(CivilDate(2026, 4, 13), 8).secondsSinceEpoch)))
        #expect(UpcomingList.page([.init(item: ItemID("a"), event: weekly)], now: Self.now, days: 30, limit: 2) { _ in [:] }.events.count == 2)
    }
}
