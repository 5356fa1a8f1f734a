import Foundation
import Testing
import TestSupport
@testable import SyncCore
@testable import SyncModel

/// An override's attendees, categories and alarms merge as the master's do: as sets, entry by
/// entry, by the same code (`FieldMerge`), not whole.
@Suite struct OverrideListMergeTests {
    typealias M = EventMergeTests

    static func person(_ name: String) -> Participant { Participant(address: "mailto:\(name)@example.com") }

    static let base: Event = M.withOverride(M.series, week: 2) {
        $0.summary = "Review"
        $0.attendees = [person("ann")]
        $0.categories = ["Work", "Old"]
    }

    /// Each side adds an attendee to one instance, and one side drops a category while the other
    /// adds one: every change survives, with no conflict, whoever wins conflicts.
    @Test(arguments: [Side.hub, .spoke])
    func attendeesAndCategoriesOfAnInstanceMergeAsSets(_ w: Side) {
        let hub = M.withOverride(Self.base, week: 2) { $0.attendees.append(Self.person("bob")); $0.categories.append("Team") }
        let spoke = M.withOverride(Self.base, week: 2) { $0.attendees.append(Self.person("cat")); $0.categories.removeAll { $0 == "Old" } }
        let out = ThreeWayMerge.merge(base: Self.base, hub: hub, spoke: spoke, winner: w)
        #expect(out.conflicts.isEmpty)
        let o = M.override(out.merged, week: 2)
        #expect(Set(o?.attendees.map(\.address) ?? []) == ["mailto:ann@example.com", "mailto:bob@example.com", "mailto:cat@example.com"])
        #expect(Set(o?.categories ?? []) == ["Work", "Team"])
    }

    /// The same edits on the master give the same lists: one rule for both.
    @Test func theMasterAndAnInstanceMergeAlike() {
        func edited(_ e: Event, _ edit: (inout EventFields) -> Void) -> Event {
            var e = e
            edit(&e.master!)
            return M.withOverride(e, week: 2, edit)
        }
        var start = Self.base
        start.master!.attendees = [Self.person("ann")]
        start.master!.categories = ["Work", "Old"]
        start = start.normalized()
        let hub = edited(start) { $0.attendees.removeAll(); $0.categories.append("Team") }
        let spoke = edited(start) { $0.attendees.append(Self.person("dan")); $0.categories = ["Work"] }
        let out = ThreeWayMerge.merge(base: start, hub: hub, spoke: spoke, winner: .hub).merged
        let o = M.override(out, week: 2)
        #expect(o?.attendees == out.master?.attendees)
        #expect(o?.categories == out.master?.categories)
        #expect(out.master?.attendees.map(\.address) == ["mailto:dan@example.com"])
    }

    /// One attendee's reply changed on both sides is still a conflict inside the instance.
    @Test(arguments: [Side.hub, .spoke])
    func oneAttendeeChangedTwiceIsAConflict(_ w: Side) {
        func replied(_ s: String) -> Event {
            M.withOverride(Self.base, week: 2) {
                $0.attendees = [Participant(address: "mailto:ann@example.com", params: [EventParameter(name: "PARTSTAT", values: [s])])]
            }
        }
        let out = ThreeWayMerge.merge(base: Self.base, hub: replied("ACCEPTED"), spoke: replied("DECLINED"), winner: w)
        #expect(out.conflicts == [.overrides])
        #expect(M.override(out.merged, week: 2)?.attendees.first?.participation == (w == .hub ? "ACCEPTED" : "DECLINED"))
    }
}
