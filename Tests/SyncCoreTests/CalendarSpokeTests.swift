import Foundation
import Testing
import TestSupport
@testable import SyncCore
import SyncModel

/// A calendar spoke's options as the planners apply them (the engine's decisions, pure): the
/// window never deletes, busy copies carry no details and never flow back, a skipped private
/// event is never written, and nothing written names people but as data.
@Suite struct CalendarSpokeTests {
    static let now = CalendarOptionsTests.now
    static let t0 = Date(timeIntervalSince1970: Double(now))

    static func view(_ c: CalendarOptions, twoWay: Bool = true) -> ItemView<Event> {
        ItemView<Event>(options: SpokeOptions(twoWay: twoWay, calendar: c), now: now)
    }
    static func hub(_ e: Event) -> ItemHubSnapshot<Event> { ItemHubSnapshot(item: e.canonical(), deleted: false, modifiedAt: t0) }
    static func link(_ base: Event, createdByHub: Bool = true, seen: Int64 = 1) -> ItemPushLink<Event> {
        ItemPushLink(remoteID: RemoteID("r1"), remoteVersion: RemoteVersion("v1"), base: base.canonical(),
                     hubVersionSeen: seen, createdByHub: createdByHub)
    }
    static let secret = CalendarOptionsTests.secret.canonical()
    static let old = CalendarOptionsTests.oneOff(2025, 6, 2).canonical()

    @Test func anEventOutOfTheWindowIsNeverCreatedUpdatedOrRemoved() {
        let v = Self.view(CalendarOptions(pastDays: 30))
        #expect(PushPlanner.plan(item: Self.hub(Self.old), version: 2, link: nil, view: v) == ItemPushPlan<Event>.none)
        var edited = Self.old
        edited.master?.summary = "Edited long ago"
        // Linked, edited in the hub, even filtered out: never written, never removed.
        #expect(PushPlanner.plan(item: Self.hub(edited), version: 2, link: Self.link(Self.old), view: v) == .none)
        var filtered = Self.view(CalendarOptions(pastDays: 30, busyOnly: true))
        filtered.options.filter.categories = ["Nothing"]
        #expect(PushPlanner.plan(item: Self.hub(edited), version: 2, link: Self.link(Self.old), view: filtered) == .none)
        // A listing that covers only the window drops it: the hub keeps it (and so every source).
        let gone = PullPlanner.delete(link: ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: Self.old),
                                      target: Self.hub(Self.old), view: v)
        #expect(gone.hub == .none && gone.link == .remove)
        // The same event inside the window: the delete is a delete.
        let wide = PullPlanner.delete(link: ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: Self.old),
                                      target: Self.hub(Self.old), view: Self.view(CalendarOptions(pastDays: 400)))
        #expect(wide.hub == .delete)
    }

    @Test func aBusyCopyCarriesNoDetailsAndNoPeople() throws {
        guard case .create(let out) = PushPlanner.plan(
            item: Self.hub(Self.secret), version: 1, link: nil, view: Self.view(CalendarOptions(privateEvents: .busy)))
        else { Issue.record("no create"); return }
        let m = try #require(out.master)
        #expect(m.summary == "Busy" && m.description == nil && m.location == nil && m.url == nil)
        #expect(m.attendees.isEmpty && m.organizer == nil && m.alarms.isEmpty && m.extra.isEmpty && m.categories.isEmpty)
        #expect(m.start == Self.secret.master?.start)
    }

    @Test func aBusyCopyNeverFlowsBackAndItsDeletionDeletesNothing() {
        let v = Self.view(CalendarOptions(privateEvents: .busy))
        guard case .create(let busy) = PushPlanner.plan(item: Self.hub(Self.secret), version: 1, link: nil, view: v)
        else { Issue.record("no create"); return }
        var moved = busy
        moved.master?.summary = "Busy (moved by someone)"
        let back = PullPlanner.upsert(
            Remote(id: RemoteID("r1"), version: RemoteVersion("v2"), item: moved, modifiedAt: Self.t0 + 60),
            link: ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: Self.secret, createdByHub: true),
            target: Self.hub(Self.secret), via: .link, view: v)
        #expect(back.hub == .none && back.link == .refresh)
        let gone = PullPlanner.delete(
            link: ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: Self.secret, createdByHub: true),
            target: Self.hub(Self.secret), view: v)
        #expect(gone.hub == .none && gone.link == .remove)
        // A hub edit of a detail the copy does not show writes nothing; a move writes busy time.
        var detail = Self.secret
        detail.master?.description = "Bring the letter"
        #expect(PushPlanner.plan(item: Self.hub(detail), version: 2, link: Self.link(Self.secret), view: v) == .agree)
        var later = Self.secret
        later.master?.start = EventFixtures.at(2026, 3, 13)
        guard case .update(_, _, let sent) = PushPlanner.plan(item: Self.hub(later), version: 2, link: Self.link(Self.secret), view: v)
        else { Issue.record("no update"); return }
        #expect(sent.master?.summary == "Busy" && sent.master?.description == nil && sent.master?.start == later.master?.start)
    }

    @Test func aSpokesOwnPrivateEventStaysWholeThere() {
        // The spoke had it first: it is not a copy, so a hub edit reaches it whole, never as busy time.
        var edited = Self.secret
        edited.master?.location = "New clinic"
        let plan = PushPlanner.plan(item: Self.hub(edited), version: 2, link: Self.link(Self.secret, createdByHub: false),
                                    view: Self.view(CalendarOptions(privateEvents: .busy)))
        guard case .update(_, _, let sent) = plan else { Issue.record("\(plan)"); return }
        #expect(sent.master?.summary == Self.secret.master?.summary && sent.master?.location == "New clinic")
        let back = PullPlanner.upsert(
            Remote(id: RemoteID("r1"), version: RemoteVersion("v2"), item: edited, modifiedAt: Self.t0 + 60),
            link: ItemLinkSnapshot(remoteVersion: RemoteVersion("v1"), base: Self.secret),
            target: Self.hub(Self.secret), via: .link, view: Self.view(CalendarOptions(privateEvents: .busy)))
        guard case .update(let merged) = back.hub else { Issue.record("\(back.hub)"); return }
        #expect(merged.master?.location == "New clinic" && merged.master?.summary == Self.secret.master?.summary)
    }

    @Test func aSkippedPrivateEventIsNeverWritten() {
        let v = Self.view(CalendarOptions(privateEvents: .skip))
        #expect(PushPlanner.plan(item: Self.hub(Self.secret), version: 1, link: nil, view: v) == .none)
        // One the hub had copied before it became private leaves this spoke, and only it.
        #expect(PushPlanner.plan(item: Self.hub(Self.secret), version: 2, link: Self.link(Self.old), view: v)
            == .removeFromSpoke(RemoteID("r1"), RemoteVersion("v1")))
        #expect(PushPlanner.plan(item: Self.hub(Self.secret), version: 2, link: Self.link(Self.old, createdByHub: false), view: v)
            == .none)
        // A free event where the spoke takes busy time only is not written either.
        var free = CalendarOptionsTests.oneOff(2026, 3, 11).canonical()
        free.master?.transparency = .transparent
        #expect(PushPlanner.plan(item: Self.hub(free), version: 1, link: nil, view: Self.view(CalendarOptions(busyOnly: true))) == .none)
    }

    @Test func aCopiedEventKeepsItsPeopleAsDataAndInvitesNobody() throws {
        // Attendees travel as data; what stops a server from mailing them is the writer's
        // SCHEDULE-AGENT=CLIENT (ConnectorDAV, tested there). Here: nothing is added or dropped.
        guard case .create(let out) = PushPlanner.plan(
            item: Self.hub(Self.secret), version: 1, link: nil, view: Self.view(CalendarOptions(privateEvents: .copy)))
        else { Issue.record("no create"); return }
        #expect(out == Self.secret)
        // A view without a clock (contacts, older callers) shapes nothing.
        #expect(ItemView<Event>(options: SpokeOptions(calendar: CalendarOptions(privateEvents: .skip))).shape(Self.secret)
            == .write(Self.secret))
    }
}
