import Foundation
import Testing
import TestSupport
@testable import SyncCore
import SyncModel

@Suite struct CalendarOptionsTests {
    static let now = CivilDateTime(CivilDate(2026, 3, 10), 12).secondsSinceEpoch

    static func oneOff(_ y: Int, _ m: Int, _ d: Int, _ edit: (inout EventFields) -> Void = { _ in }) -> Event {
        var f = EventFields(start: EventFixtures.at(y, m, d), end: .duration(EventDuration(hours: 1)), summary: "Meeting")
        edit(&f)
        return Event(uid: "u", master: f)
    }

    static let secret: Event = oneOff(2026, 3, 12) { f in
        f.classification = .private
        f.description = "Doctor"
        f.location = "Clinic"
        f.url = "https://x.example"
        f.categories = ["Health"]
        f.organizer = Participant(address: "mailto:me@x.example")
        f.attendees = [Participant(address: "mailto:dr@x.example")]
        f.alarms = [EventAlarm(action: "DISPLAY", trigger: .relative(EventDuration(negative: true, minutes: 5), fromEnd: false))]
        f.extra = [EventProperty(name: "X-ALT-DESC", value: "<b>Doctor</b>")]
        f.extraParams = ["LOCATION": [EventParameter(name: "ALTREP", values: ["https://map.example"])]]
        f.transparency = .opaque
    }

    static let windows: [(String, Event, Bool)] = [
        ("ten days ago", oneOff(2026, 2, 28), true),
        ("forty days ago", oneOff(2026, 1, 29), false),
        ("in 300 days", oneOff(2027, 1, 4), true),
        ("in 400 days", oneOff(2027, 4, 14), false),
        ("a series begun two years ago", Event(uid: "s", master: oneOff(2024, 3, 4).master, rule: EventRule(.weekly)), true),
        ("a series over two months ago",
         Event(uid: "s", master: oneOff(2025, 12, 1).master, rule: EventRule(.weekly, end: .count(4))), false),
        ("ten days long, begun 35 days ago", Event(uid: "t", master: EventFields(
            start: .date(CivilDate(2026, 2, 3)), end: .time(.date(CivilDate(2026, 2, 13))), summary: "Trip")), true),
    ]

    @Test(arguments: windows.indices)
    func theWindow(_ i: Int) {
        let (name, e, inside) = Self.windows[i]
        let v = CalendarOptions().verdict(for: e, now: Self.now)
        #expect(inside ? v == .copy(e) : v == .outOfWindow, "\(name)")
    }

    @Test func theWindowIsConfigurable() {
        let e = Self.oneOff(2026, 2, 28)
        #expect(CalendarOptions(pastDays: 5).verdict(for: e, now: Self.now) == .outOfWindow)
        #expect(CalendarOptions(pastDays: 5, futureDays: 1).verdict(for: Self.oneOff(2026, 3, 12), now: Self.now) == .outOfWindow)
        #expect(CalendarOptions(pastDays: -3).window(now: 100) == (100, 100 + 365 * 86400))
    }

    @Test func privateEvents() {
        #expect(CalendarOptions(privateEvents: .copy).verdict(for: Self.secret, now: Self.now) == .copy(Self.secret))
        #expect(CalendarOptions(privateEvents: .skip).verdict(for: Self.secret, now: Self.now) == .filtered(.privateEvent))
        guard case .transformed(let busy) = CalendarOptions(privateEvents: .busy).verdict(for: Self.secret, now: Self.now) else {
            Issue.record("not transformed")
            return
        }
        var want = EventFields(start: Self.secret.master!.start, end: Self.secret.master!.end, summary: "Busy")
        want.classification = .private
        want.transparency = .opaque
        #expect(busy.master == want)
        #expect(busy.uid == Self.secret.uid)
        var confidential = Self.secret
        confidential.master!.classification = .confidential
        #expect(CalendarOptions(privateEvents: .skip).verdict(for: confidential, now: Self.now) == .filtered(.privateEvent))
    }

    /// One private instance of a public series goes as busy time; the rest of the series as it is.
    @Test func aPrivateInstanceOfAPublicSeries() {
        var e = Event(uid: "s", master: Self.oneOff(2026, 3, 2).master, rule: EventRule(.weekly))
        e.overrides = [EventOverride(recurrenceID: EventFixtures.at(2026, 3, 16), fields: Self.secret.master!)]
        for mode in [CalendarOptions.PrivateEvents.skip, .busy] {
            guard case .transformed(let out) = CalendarOptions(privateEvents: mode).verdict(for: e, now: Self.now) else {
                Issue.record("not transformed")
                continue
            }
            #expect(out.master == e.master)
            #expect(out.overrides[0].fields.summary == "Busy")
            #expect(out.overrides[0].fields.description == nil && out.overrides[0].fields.attendees.isEmpty)
        }
    }

    /// Out of the window comes first: such an event is never removed from a source, even where
    /// a filter would not admit it.
    @Test func outOfWindowBeatsFilters() {
        var old = Self.secret
        old.master!.start = EventFixtures.at(2025, 1, 1)
        #expect(CalendarOptions(privateEvents: .skip, categories: ["Work"], busyOnly: true).verdict(for: old, now: Self.now) == .outOfWindow)
    }

    @Test func filters() {
        let work = Self.oneOff(2026, 3, 12) { $0.categories = ["Work"] }
        let free = Self.oneOff(2026, 3, 12) { $0.transparency = .transparent }
        let plain = Self.oneOff(2026, 3, 12)
        #expect(CalendarOptions(categories: ["work"]).verdict(for: work, now: Self.now) == .copy(work))
        #expect(CalendarOptions(categories: ["Home"]).verdict(for: work, now: Self.now) == .filtered(.category))
        #expect(CalendarOptions(categories: ["Home"]).verdict(for: plain, now: Self.now) == .filtered(.category))
        #expect(CalendarOptions(busyOnly: true).verdict(for: free, now: Self.now) == .filtered(.notBusy))
        #expect(CalendarOptions(busyOnly: true).verdict(for: plain, now: Self.now) == .copy(plain))
    }

    @Test func categorize() {
        let work = Self.oneOff(2026, 3, 12) { $0.categories = ["Work"] }
        guard case .copy(let out) = CalendarOptions(categorizeAs: " From hub ").verdict(for: work, now: Self.now) else {
            Issue.record("not a copy")
            return
        }
        #expect(out.master?.categories == ["Work", "From hub"])
        guard case .copy(let again) = CalendarOptions(categorizeAs: "from HUB").verdict(for: out, now: Self.now) else { return }
        #expect(again == out)
    }

    /// Stored in a spoke's options: every key optional when read; the keys pinned.
    @Test func codable() throws {
        let d = JSONDecoder()
        #expect(try d.decode(CalendarOptions.self, from: Data("{}".utf8)) == CalendarOptions())
        #expect(try d.decode(CalendarOptions.self, from: Data(#"{"privateEvents":"busy","futureDays":90}"#.utf8))
            == CalendarOptions(futureDays: 90, privateEvents: .busy))
        let all = CalendarOptions(pastDays: 7, futureDays: 60, privateEvents: .skip, categorizeAs: "Hub", categories: ["Work"], busyOnly: true)
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        #expect(String(decoding: try e.encode(all), as: UTF8.self)
            == #"{"busyOnly":true,"categories":["Work"],"categorizeAs":"Hub","futureDays":60,"pastDays":7,"privateEvents":"skip"}"#)
        #expect(try d.decode(CalendarOptions.self, from: e.encode(all)) == all)
        #expect(throws: DecodingError.self) { try d.decode(CalendarOptions.self, from: Data(#"{"privateEvents":"hide"}"#.utf8)) }
    }
}
