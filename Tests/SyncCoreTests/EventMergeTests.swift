import Foundation
import Testing
import TestSupport
@testable import SyncCore
@testable import SyncModel

/// Events merge field by field as contacts do; an override changed on both sides merges by its
/// RECURRENCE-ID field by field; a cancelled instance beats an edit of it.
@Suite struct EventMergeTests {
    static func monday(_ week: Int, _ hour: Int = 9) -> EventTime { EventFixtures.at(2026, 3, 2 + 7 * week, hour) }

    static let series: Event = {
        var m = EventFields(start: monday(0), end: .time(monday(0, 10)), summary: "Standup")
        m.location = "Room 1"
        return Event(uid: "standup", master: m, rule: EventRule(.weekly)).normalized()
    }()

    static func withOverride(_ e: Event, week: Int, _ edit: (inout EventFields) -> Void) -> Event {
        var e = e
        let id = monday(week)
        var f = e.overrides.first { $0.recurrenceID == id }?.fields ?? e.instance(at: id)!
        edit(&f)
        e.overrides.removeAll { $0.recurrenceID == id }
        e.overrides.append(EventOverride(recurrenceID: id, fields: f))
        return e.normalized()
    }

    static func override(_ e: Event, week: Int) -> EventFields? {
        e.overrides.first { $0.recurrenceID == monday(week) }?.fields
    }

    @Test(arguments: [Side.hub, .spoke])
    func anOverrideMergesFieldByField(_ w: Side) {
        let base = Self.withOverride(Self.series, week: 2) { $0.summary = "Moved" }
        let hub = Self.withOverride(base, week: 2) { $0.summary = "Moved twice" }
        let spoke = Self.withOverride(base, week: 2) { $0.location = "Room 9" }
        let out = ThreeWayMerge.merge(base: base, hub: hub, spoke: spoke, winner: w)
        #expect(out.conflicts.isEmpty)
        #expect(Self.override(out.merged, week: 2)?.summary == "Moved twice")
        #expect(Self.override(out.merged, week: 2)?.location == "Room 9")
    }

    /// Neither side had the override before: each changed the instance the series made there.
    @Test(arguments: [Side.hub, .spoke])
    func anOverrideNewOnBothSidesMergesFromTheInstance(_ w: Side) {
        let hub = Self.withOverride(Self.series, week: 3) { $0.start = Self.monday(3, 11); $0.end = .time(Self.monday(3, 12)) }
        let spoke = Self.withOverride(Self.series, week: 3) { $0.location = "Room 9" }
        let out = ThreeWayMerge.merge(base: Self.series, hub: hub, spoke: spoke, winner: w)
        #expect(out.conflicts.isEmpty)
        let o = Self.override(out.merged, week: 3)
        #expect(o?.start == Self.monday(3, 11))
        #expect(o?.end == .time(Self.monday(3, 12)))
        #expect(o?.location == "Room 9")
        #expect(o?.summary == "Standup")
    }

    @Test(arguments: [Side.hub, .spoke])
    func oneFieldOfOneInstanceChangedTwiceIsAConflict(_ w: Side) {
        let hub = Self.withOverride(Self.series, week: 1) { $0.summary = "Hub's"; $0.location = "Room 2" }
        let spoke = Self.withOverride(Self.series, week: 1) { $0.summary = "Spoke's" }
        let out = ThreeWayMerge.merge(base: Self.series, hub: hub, spoke: spoke, winner: w)
        #expect(out.conflicts == [.overrides])
        #expect(Self.override(out.merged, week: 1)?.summary == (w == .hub ? "Hub's" : "Spoke's"))
        #expect(Self.override(out.merged, week: 1)?.location == "Room 2")
    }

    /// An edit of the whole series on one side and of one instance on the other both survive,
    /// whichever side each was made on.
    @Test(arguments: [false, true])
    func seriesAndInstanceEditsBothSurvive(_ swapped: Bool) {
        var seriesEdit = Self.series
        seriesEdit.master!.summary = "Daily standup"
        seriesEdit.master!.location = "Room 5"
        let instanceEdit = Self.withOverride(Self.series, week: 4) { $0.summary = "Demo day" }
        let (hub, spoke) = swapped ? (instanceEdit, seriesEdit) : (seriesEdit, instanceEdit)
        let out = ThreeWayMerge.merge(base: Self.series, hub: hub, spoke: spoke, winner: .hub)
        #expect(out.conflicts.isEmpty)
        #expect(out.merged.master?.summary == "Daily standup")
        #expect(out.merged.master?.location == "Room 5")
        #expect(Self.override(out.merged, week: 4)?.summary == "Demo day")
    }

    /// EXDATE on one side, an edit of that instance on the other: the instance stays cancelled,
    /// whoever wins conflicts and whichever side cancelled.
    @Test(arguments: [(Side.hub, false), (.spoke, false), (.hub, true), (.spoke, true)])
    func anExdateBeatsAnEdit(_ w: Side, _ swapped: Bool) {
        let base = Self.withOverride(Self.series, week: 2) { $0.summary = "Moved" }
        var cancel = base
        cancel.exdates.append(Self.monday(2))
        cancel.overrides = []
        let edit = Self.withOverride(base, week: 2) { $0.summary = "Moved again" }
        let (hub, spoke) = swapped ? (edit, cancel) : (cancel, edit)
        let out = ThreeWayMerge.merge(base: base, hub: hub, spoke: spoke, winner: w)
        #expect(out.merged.exdates == [Self.monday(2)])
        #expect(out.merged.overrides.isEmpty)
        #expect(out.conflicts.isEmpty)
        // Without a base override too: the edit made one, the cancel added the EXDATE.
        var plainCancel = Self.series
        plainCancel.exdates.append(Self.monday(2))
        let fresh = ThreeWayMerge.merge(base: Self.series, hub: Self.withOverride(Self.series, week: 2) { $0.summary = "X" },
                                        spoke: plainCancel, winner: w)
        #expect(fresh.merged.exdates == [Self.monday(2)])
        #expect(fresh.merged.overrides.isEmpty)
    }

    /// The EXDATE may name the instance another way (in UTC) than the override does.
    @Test func anExdateInUTCBeatsAnEditInTheSeriesZone() {
        var cancel = Self.series
        cancel.exdates = [EventFixtures.at(2026, 3, 16, 8, 0, .utc)]  // 09:00 Berlin, winter time
        let edit = Self.withOverride(Self.series, week: 2) { $0.summary = "Edited" }
        let out = ThreeWayMerge.merge(base: Self.series, hub: edit, spoke: cancel, winner: .hub)
        #expect(out.merged.overrides.isEmpty && out.merged.exdates == cancel.exdates)
    }

    /// STATUS:CANCELLED on an override beats the other side's change of that status, and the
    /// other side's edits of other fields of the instance stay.
    @Test(arguments: [(Side.hub, false), (.spoke, false), (.hub, true), (.spoke, true)])
    func aCancelledOverrideBeatsAnEdit(_ w: Side, _ swapped: Bool) {
        let cancel = Self.withOverride(Self.series, week: 1) { $0.status = .cancelled }
        let edit = Self.withOverride(Self.series, week: 1) { $0.status = .tentative; $0.summary = "Maybe" }
        let (hub, spoke) = swapped ? (edit, cancel) : (cancel, edit)
        let out = ThreeWayMerge.merge(base: Self.series, hub: hub, spoke: spoke, winner: w)
        #expect(out.conflicts.isEmpty)
        #expect(Self.override(out.merged, week: 1)?.status == .cancelled)
        #expect(Self.override(out.merged, week: 1)?.summary == "Maybe")
    }

    /// A source that writes an EXDATE and an override for one instance keeps both: the rule is
    /// about one side's cancel against the other's edit, never about a side's own data.
    @Test func aSideThatWritesBothKeepsBoth() {
        var both = Self.withOverride(Self.series, week: 2) { $0.summary = "Kept" }
        both.exdates.append(Self.monday(2))
        for (h, s) in [(both, both), (both, Self.series), (Self.series, both)] {
            let out = ThreeWayMerge.merge(base: Self.series, hub: h, spoke: s, winner: .hub)
            #expect(out.merged == both)
        }
    }

    /// Idempotence and symmetry over random concurrent edits: merging a side with itself or with
    /// the base gives that side; hub and spoke swapped (with the winner) give the same series.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func idempotentAndSymmetric(_ seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        var sawConflict = false
        for _ in 0..<300 {
            var base = Self.series
            for _ in 0..<3 { Self.edit(&base, &rng) }
            base = base.normalized()
            var h = base, s = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) { Self.edit(&h, &rng) }
            for _ in 0..<Int.random(in: 1...4, using: &rng) { Self.edit(&s, &rng) }
            (h, s) = (h.normalized(), s.normalized())
            #expect(ThreeWayMerge.merge(base: base, hub: h, spoke: h, winner: .spoke).merged == h)
            #expect(ThreeWayMerge.merge(base: base, hub: base, spoke: s, winner: .hub).merged == s)
            #expect(ThreeWayMerge.merge(base: base, hub: h, spoke: base, winner: .spoke).merged == h)
            let a = ThreeWayMerge.merge(base: base, hub: h, spoke: s, winner: .hub)
            let b = ThreeWayMerge.merge(base: base, hub: s, spoke: h, winner: .spoke)
            #expect(a.merged.contentHash == b.merged.contentHash)
            #expect(a.conflicts == b.conflicts)
            // Merging the result again changes nothing.
            let again = ThreeWayMerge.merge(base: a.merged, hub: a.merged.normalized(), spoke: a.merged, winner: .spoke)
            #expect(again.merged == a.merged.normalized() && again.conflicts.isEmpty)
            sawConflict = sawConflict || !a.conflicts.isEmpty
        }
        #expect(sawConflict)
    }

    /// Convergence: a hub and two spokes edit one series concurrently; two rounds of pulls leave
    /// every side with one series, the second round quiet; no instance cancelled anywhere is
    /// live at the end.
    @Test(arguments: [5, 6, 7] as [UInt64])
    func converges(_ seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        for _ in 0..<200 {
            var agreed = Self.series
            for _ in 0..<3 { Self.edit(&agreed, &rng) }
            agreed = agreed.normalized()
            func edited() -> Event {
                var x = agreed
                for _ in 0..<Int.random(in: 0...3, using: &rng) { Self.edit(&x, &rng) }
                return x.normalized()
            }
            var hub = edited()
            var spokes = [edited(), edited()]
            let cancelled = ([hub] + spokes).flatMap { side in
                side.exdates.filter { !agreed.exdates.contains($0) && !side.overrides.map(\.recurrenceID).contains($0) }
            }
            var bases = [agreed, agreed]
            for round in 0..<2 {
                for i in spokes.indices {
                    let out = ThreeWayMerge.merge(base: bases[i], hub: hub, spoke: spokes[i], winner: i == 0 ? .hub : .spoke)
                    if round == 1 {
                        #expect(out.conflicts.isEmpty)
                        #expect(out.merged == hub)
                    }
                    hub = out.merged.normalized()
                    (spokes[i], bases[i]) = (hub, hub)
                }
            }
            #expect(spokes.allSatisfy { $0 == hub })
            for x in cancelled {
                #expect(hub.exdates.contains(x) && !hub.overrides.contains { $0.recurrenceID == x })
            }
        }
    }

    static func edit(_ e: inout Event, _ rng: inout SeededRandom) {
        let week = Int.random(in: 1...4, using: &rng)
        let w = ["A", "B", "C"].randomElement(using: &rng)!
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: e.master?.summary = "Standup \(w)"
        case 1: e.master?.location = rng.chance(0.2) ? nil : "Room \(w)"
        case 2:
            let id = monday(week)
            if e.exdates.contains(id) { e.exdates.removeAll { $0 == id } } else {
                e.exdates.append(id)
                e.overrides.removeAll { $0.recurrenceID == id }
            }
        case 3: e = withOverride(e, week: week) { $0.summary = "Moved \(w)" }
        case 4: e = withOverride(e, week: week) { $0.location = "Room \(w)" }
        case 5: e = withOverride(e, week: week) { $0.start = monday(week, Int.random(in: 10...12, using: &rng)) }
        case 6: e = withOverride(e, week: week) { $0.status = rng.chance(0.5) ? .cancelled : .confirmed }
        default: e.overrides.removeAll { $0.recurrenceID == monday(week) }
        }
    }
}
