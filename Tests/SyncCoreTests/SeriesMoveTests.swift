import Foundation
import Testing
import TestSupport
@testable import SyncCore
@testable import SyncModel

/// A series moved on one side while the other edited or cancelled its instances: the other
/// side's RECURRENCE-IDs and EXDATEs move with the series, so every edit still names an instance
/// and none turns into an extra one at the old time.
@Suite struct SeriesMoveTests {
    typealias M = EventMergeTests
    static func mon(_ week: Int, _ hour: Int = 9) -> EventTime { M.monday(week, hour) }

    static let base = M.withOverride(M.series, week: 2) { $0.summary = "Review" }

    /// Side A moves the series from 09:00 to 10:00, its override along (as Nextcloud and Google
    /// do); side B retitles the week-2 instance and cancels week 3, keyed by the old start.
    static let moved: Event = {
        var e = M.series
        e.master!.start = mon(0, 10)
        e.master!.end = .time(mon(0, 11))
        let f = { var f = e.instance(at: mon(2, 10))!; f.summary = "Review"; return f }()
        e.overrides = [EventOverride(recurrenceID: mon(2, 10), fields: f)]
        return e.normalized()
    }()

    static let edited: Event = {
        var e = M.withOverride(base, week: 2) { $0.summary = "Review, with demo" }
        e.exdates = [mon(3)]
        return e.normalized()
    }()

    @Test(arguments: [(Side.hub, false), (.spoke, false), (.hub, true), (.spoke, true)])
    func theOtherSidesInstancesMoveWithTheSeries(_ w: Side, _ swapped: Bool) throws {
        let (hub, spoke) = swapped ? (Self.edited, Self.moved) : (Self.moved, Self.edited)
        let out = ThreeWayMerge.merge(base: Self.base, hub: hub, spoke: spoke, winner: w)
        #expect(out.conflicts.isEmpty)
        let e = out.merged.normalized()
        #expect(e.master?.start == Self.mon(0, 10))
        #expect(e.exdates == [Self.mon(3, 10)])
        #expect(e.overrides.map(\.recurrenceID) == [Self.mon(2, 10)])
        #expect(e.overrides.first?.fields.summary == "Review, with demo")
        #expect(e.overrides.first?.fields.start == Self.mon(2, 10))
        // Every instance at 10:00, the retitled one in its place, the cancelled one gone.
        let from = ZoneResolver().instant(Self.mon(0)), to = ZoneResolver().instant(Self.mon(5))
        let occ = try RecurrenceExpander().occurrences(of: e, from: from, to: to)
        #expect(occ.map(\.start) == [0, 1, 2, 4].map { Self.mon($0, 10) })
        #expect(occ[2].override?.fields.summary == "Review, with demo")
    }

    /// An instance moved on its own keeps its own start; only its key follows the series. An
    /// EXDATE written in UTC moves as the instant it names.
    @Test func anInstanceMovedOnItsOwnKeepsItsTimeAndAUTCExdateMoves() {
        var spoke = M.withOverride(M.series, week: 1) { $0.start = Self.mon(1, 15); $0.end = .time(Self.mon(1, 16)) }
        spoke.exdates = [EventFixtures.at(2026, 3, 23, 8, 0, .utc)]  // week 3, 09:00 Berlin (winter)
        var hub = M.series
        hub.master!.start = EventFixtures.at(2026, 3, 3, 9)  // Monday to Tuesday, all weeks
        hub.master!.end = .time(EventFixtures.at(2026, 3, 3, 10))
        let out = ThreeWayMerge.merge(base: M.series, hub: hub.normalized(), spoke: spoke.normalized(), winner: .hub).merged
        #expect(out.overrides.map(\.recurrenceID) == [EventFixtures.at(2026, 3, 10, 9)])
        #expect(out.overrides.first?.fields.start == Self.mon(1, 15))
        #expect(out.exdates == [EventFixtures.at(2026, 3, 24, 8, 0, .utc)])
    }

    /// A side that moved the series and dropped its overrides (Outlook clears exceptions when the
    /// series changes) drops the ones the other side left alone; an edited one stays, moved.
    @Test func aMoveThatDropsOverridesDropsTheUntouchedOnes() {
        var moved = Self.moved
        moved.overrides = []
        let untouched = ThreeWayMerge.merge(base: Self.base, hub: moved, spoke: Self.base, winner: .hub).merged
        #expect(untouched.overrides.isEmpty)
        let kept = ThreeWayMerge.merge(base: Self.base, hub: moved, spoke: Self.edited, winner: .hub).merged
        #expect(kept.overrides.map(\.recurrenceID) == [Self.mon(2, 10)])
    }

    /// Moved on both sides: each side's keys are its own, and the start is a conflict.
    @Test func movedOnBothSidesIsAConflictAndNothingIsRekeyed() {
        var other = Self.edited
        other.master!.start = Self.mon(0, 11)
        let out = ThreeWayMerge.merge(base: Self.base, hub: Self.moved, spoke: other.normalized(), winner: .hub)
        #expect(out.conflicts.contains(.start))
        #expect(out.merged.exdates == [Self.mon(3)])
    }
}
