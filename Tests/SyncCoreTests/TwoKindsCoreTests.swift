import Foundation
import Testing
@testable import SyncCore
import SyncModel

/// The planners, the view, the matcher and the guard's weights, written once over the item
/// type, on events: what contacts have long been tested for, shown for the second kind.
@Suite struct TwoKindsCoreTests {
    static let at9 = EventTime.dateTime(CivilDateTime(CivilDate(2026, 3, 9), 9), .named("Europe/Berlin"))
    static let at10 = EventTime.dateTime(CivilDateTime(CivilDate(2026, 3, 9), 10), .named("Europe/Berlin"))
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func event(_ uid: String, _ summary: String?, at: EventTime = at9, categories: [String] = []) -> Event {
        var m = EventFields(start: at, end: .duration(EventDuration(minutes: 30)), summary: summary)
        m.categories = categories
        return Event(uid: uid, master: m).canonical()
    }

    static func remote(_ e: Event, version: String = "v1", at: Date = t0) -> Remote<Event> {
        Remote(id: RemoteID("r1"), version: RemoteVersion(version), item: e, modifiedAt: at)
    }

    @Test func anUnlinkedEventCreatesAHubItemAgreed() {
        let e = Self.event("u1", "Standup")
        let plan = PullPlanner.upsert(Self.remote(e), link: nil, target: nil, via: .new, view: ItemView<Event>(options: .init()))
        #expect(plan.hub == .create(e))
        #expect(plan.link == .set(base: e, agreed: true))
    }

    @Test func aSpokeEditMergesFieldByFieldAndTheOtherSideKeepsItsOwn() {
        let base = Self.event("u1", "Standup")
        var hub = base
        hub.master?.location = "Room 1"
        var spoke = base
        spoke.master?.summary = "Daily standup"
        let plan = PullPlanner.upsert(
            Self.remote(spoke, version: "v2"), link: ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: base),
            target: ItemHubSnapshot(item: hub, deleted: false, modifiedAt: Self.t0), via: .link,
            view: ItemView<Event>(options: .init()))
        guard case .update(let merged) = plan.hub else { Issue.record("\(plan.hub)"); return }
        #expect(merged.master?.summary == "Daily standup" && merged.master?.location == "Room 1")
        #expect(plan.conflicts.isEmpty)
    }

    @Test func aConflictIsSettledByTheNewerChangeAndTheOverruledSideKept() {
        let base = Self.event("u1", "Standup")
        var hub = base
        hub.master?.summary = "Hub's"
        var spoke = base
        spoke.master?.summary = "Spoke's"
        // The hub changed later than the spoke: the hub wins, the spoke's side is kept for undo.
        let plan = PullPlanner.upsert(
            Self.remote(spoke, version: "v2", at: Self.t0), link: ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: base),
            target: ItemHubSnapshot(item: hub, deleted: false, modifiedAt: Self.t0 + 60), via: .link,
            view: ItemView<Event>(options: .init()))
        #expect(plan.conflicts == [.summary])
        #expect(plan.hub == .touch)
        #expect(plan.overruled?.master?.summary == "Spoke's")
    }

    @Test func pushCreatesWithTheSpokesCategoryAndTheFilterDecides() {
        let e = Self.event("u1", "Holiday", categories: ["Company"])
        let view = ItemView<Event>(options: SpokeOptions(categorizeAs: "From hub", filter: SpokeFilter(categories: ["company"])))
        let plan = PushPlanner.plan(
            item: ItemHubSnapshot(item: e, deleted: false, modifiedAt: Self.t0), version: 1, link: nil, view: view)
        guard case .create(let sent) = plan else { Issue.record("\(plan)"); return }
        #expect(Set(sent.categoryList) == ["Company", "From hub"])
        // What comes back in hub terms is the hub's event: the spoke's category is stripped.
        #expect(view.toHub(sent) == e)
        let other = Self.event("u2", "Lunch")
        #expect(PushPlanner.plan(
            item: ItemHubSnapshot(item: other, deleted: false, modifiedAt: Self.t0), version: 1, link: nil,
            view: view) == .none)
    }

    @Test func eventsMatchByUIDFirstThenByStartAndSummary() {
        let hubItems = [Self.event("a@x", "Standup"), Self.event("b@x", "Review", at: Self.at10)]
        let m = ItemMatcher<Event>([.init(id: "i1", item: hubItems[0]), .init(id: "i2", item: hubItems[1])])
        // The same UID, whatever else differs.
        #expect(m.match(Self.event("a@x", "Renamed", at: Self.at10)) == "i1")
        // Another UID: the same start and summary (case and accents aside) is the same event...
        #expect(m.match(Self.event("c@y", "REVIEW", at: Self.at10)) == "i2")
        // ...but the same summary at another time, or the same time without a summary, is not.
        #expect(m.match(Self.event("c@y", "Review", at: Self.at9)) == nil)
        #expect(m.match(Self.event("c@y", nil, at: Self.at10)) == nil)
        // A series never matches a lone event.
        var series = Self.event("d@z", "Review", at: Self.at10)
        series.rule = EventRule(.weekly)
        #expect(m.match(series) == nil)
    }

    @Test func aDeletionOfAnEventChangedInTheHubBringsItBack() {
        let base = Self.event("u1", "Standup")
        var hub = base
        hub.master?.location = "Room 1"
        let view = ItemView<Event>(options: .init())
        let link = ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: base)
        #expect(PullPlanner.delete(link: link, target: ItemHubSnapshot(item: hub, deleted: false, modifiedAt: Self.t0), view: view).hub == .touch)
        #expect(PullPlanner.delete(link: link, target: ItemHubSnapshot(item: base, deleted: false, modifiedAt: Self.t0), view: view).hub == .delete)
    }

    @Test func anEventThatLosesItsSummaryAndTimesWeighsAsBlanked() {
        let full = Self.event("", "Standup")
        #expect(ChangeWeight.of(full, to: full) == .normal)
        let blank = Event(uid: "", master: nil)
        #expect(ChangeWeight.of(full, to: blank) == .blanked)
    }

    @Test func theContentHashIgnoresTheOrderOfCategoriesAndSeesEveryEdit() {
        let a = Self.event("u", "S", categories: ["A", "B"])
        let b = Self.event("u", "S", categories: ["B", "A"])
        #expect(a.itemHash == b.itemHash)
        var c = a
        c.master?.location = "There"
        #expect(c.itemHash != a.itemHash)
    }
}
