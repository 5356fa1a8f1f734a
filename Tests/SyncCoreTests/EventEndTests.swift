import Foundation
import Testing
import TestSupport
@testable import SyncCore
@testable import SyncModel

/// DTEND and the same DURATION are one end: one hash, no conflict, nothing to sync back and
/// forth; and each source keeps the form it wrote, since nobody changed it.
@Suite struct EventEndTests {
    static let at9 = EventFixtures.at(2026, 3, 2)
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    static func event(_ end: EventEnd?, start: EventTime = at9, summary: String = "Standup") -> Event {
        Event(uid: "u1", master: EventFields(start: start, end: end, summary: summary)).canonical()
    }

    static let dtend = event(.time(EventFixtures.at(2026, 3, 2, 10)))
    static let duration = event(.duration(EventDuration(hours: 1)))

    @Test func theSameEndWrittenTwoWaysHashesAlike() {
        #expect(Self.dtend.contentHash == Self.duration.contentHash)
        #expect(Self.event(.duration(EventDuration(minutes: 60))).contentHash == Self.dtend.contentHash)
        // An end in another zone at the same instant, and a whole day either way.
        #expect(Self.event(.time(EventFixtures.at(2026, 3, 2, 9, 0, .utc))).contentHash == Self.dtend.contentHash)
        let day = EventTime.date(CivilDate(2026, 3, 2))
        #expect(Self.event(.time(.date(CivilDate(2026, 3, 3))), start: day).contentHash
            == Self.event(.duration(EventDuration(days: 1)), start: day).contentHash)
        // No end at all: a day for an all-day event, none for a timed one (RFC 5545 §3.6.1).
        #expect(Self.event(nil, start: day).contentHash == Self.event(.time(.date(CivilDate(2026, 3, 3))), start: day).contentHash)
        #expect(Self.event(nil).contentHash == Self.event(.duration(EventDuration())).contentHash)
        #expect(Self.event(nil).contentHash == Self.event(.time(Self.at9)).contentHash)
        // A different end is a different event.
        #expect(Self.event(.duration(EventDuration(hours: 2))).contentHash != Self.dtend.contentHash)
        #expect(Self.event(nil).contentHash != Self.dtend.contentHash)
    }

    /// A first sync meets the two forms: no conflict, and the hub keeps the form it held.
    @Test(arguments: [Side.hub, .spoke])
    func theTwoFormsMergeWithoutAConflict(_ w: Side) {
        let out = ThreeWayMerge.merge(base: nil, hub: Self.duration, spoke: Self.dtend, winner: w)
        #expect(out.conflicts.isEmpty)
        #expect(out.merged == Self.duration)
        // An end changed on one side is still an edit, written as that side wrote it.
        let longer = Self.event(.time(EventFixtures.at(2026, 3, 2, 11)))
        #expect(ThreeWayMerge.merge(base: Self.dtend, hub: Self.duration, spoke: longer, winner: .hub).merged.master?.end
            == longer.master?.end)
    }

    /// A DTEND spoke meets a hub that holds the DURATION form: nothing to write either way; an
    /// edit of another field elsewhere goes to it with its DTEND as it wrote it.
    @Test func aSpokeKeepsTheFormItWrote() {
        let view = ItemView<Event>(options: .init())
        let hub = ItemHubSnapshot(item: Self.duration, deleted: false, modifiedAt: Self.t0)
        let pulled = PullPlanner.upsert(Remote(id: RemoteID("r1"), version: RemoteVersion("v1"), item: Self.dtend, modifiedAt: Self.t0),
                                        link: nil, target: hub, via: .match, view: view)
        #expect(pulled.hub == .none)
        guard case .set(let base, agreed: true) = pulled.link else { Issue.record("\(pulled.link)"); return }
        let link = ItemPushLink(remoteID: RemoteID("r1"), remoteVersion: RemoteVersion("v1"), base: base, hubVersionSeen: 1, createdByHub: false)
        #expect(PushPlanner.plan(item: hub, version: 1, link: link, view: view) == .none)
        // The hub's summary changes (another source edited it): the update carries DTEND.
        var edited = Self.duration
        edited.master!.summary = "Daily standup"
        let plan = PushPlanner.plan(item: ItemHubSnapshot(item: edited, deleted: false, modifiedAt: Self.t0), version: 2,
                                    link: link, view: view)
        guard case .update(_, _, let sent) = plan else { Issue.record("\(plan)"); return }
        #expect(sent.master?.end == Self.dtend.master?.end)
        #expect(sent.master?.summary == "Daily standup")
        // Its echo is no change.
        let back = PullPlanner.upsert(Remote(id: RemoteID("r1"), version: RemoteVersion("v2"), item: sent, modifiedAt: Self.t0),
                                      link: ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: PushPlanner.base(after: edited, link: link)),
                                      target: ItemHubSnapshot(item: edited, deleted: false, modifiedAt: Self.t0), via: .link, view: view)
        #expect(back.hub == .none)
    }

    /// An override's end keeps its form too, and a form that would not mean the same (the start
    /// moved, and the old DURATION now ends elsewhere) gives way to the hub's.
    @Test func endsWrittenAsAnotherSeriesOnlyWhereTheyMeanTheSame() {
        var spoke = Self.dtend
        spoke.master!.end = .duration(EventDuration(hours: 1))
        spoke.overrides = [EventOverride(recurrenceID: Self.at9, fields: EventFields(start: Self.at9, end: .duration(EventDuration(minutes: 30))))]
        var hub = Self.dtend
        hub.overrides = [EventOverride(recurrenceID: Self.at9, fields: EventFields(start: Self.at9, end: .time(EventFixtures.at(2026, 3, 2, 9, 30))))]
        let kept = hub.endsWritten(as: spoke)
        #expect(kept.master?.end == spoke.master?.end)
        #expect(kept.overrides.first?.fields.end == .duration(EventDuration(minutes: 30)))
        var later = hub
        later.master!.start = EventFixtures.at(2026, 3, 2, 9, 30)
        #expect(later.endsWritten(as: spoke).master?.end == hub.master?.end)
        // A source that writes no end on an all-day event keeps writing none.
        let day = EventTime.date(CivilDate(2026, 3, 2))
        let bare = Self.event(nil, start: day), dated = Self.event(.time(.date(CivilDate(2026, 3, 3))), start: day)
        #expect(dated.endsWritten(as: bare).master?.end == nil)
        #expect(ThreeWayMerge.merge(base: bare, hub: dated, spoke: bare, winner: .spoke).conflicts.isEmpty)
    }
}
