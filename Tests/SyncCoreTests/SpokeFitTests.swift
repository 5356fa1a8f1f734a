import Foundation
import SyncCore
import SyncModel
import Testing

/// A spoke with two email slots that keeps no email labels, like Exchange's fixed slots.
@Suite struct SpokeFitTests {
    static let twoSlots = SpokeView(options: SpokeOptions(), fit: { c in
        var c = c
        c.emails = c.emails.prefix(2).map { LabeledValue($0.value, label: .other) }
        return c
    })
    static let hub = Contact(givenName: "Ada", emails: [
        LabeledValue("a@x.org", label: .work), LabeledValue("b@x.org", label: .home), LabeledValue("c@x.org", label: .work),
    ]).normalized()

    @Test func whatDidNotFitIsNotADeletion() {
        let held = Self.twoSlots.fit!(Self.hub)
        #expect(held.emails.count == 2)
        #expect(Self.twoSlots.restrict(held, to: Self.hub) == Self.hub)
        #expect(Self.twoSlots.sameInSpoke(held, Self.hub))
    }

    @Test func anEditInTheSpokeKeepsTheOverflowAndTheOtherLabels() {
        var held = Self.twoSlots.fit!(Self.hub)
        held.emails[0] = LabeledValue("new@x.org", label: .other)
        let lifted = Self.twoSlots.restrict(held, to: Self.hub)
        #expect(lifted.emails == [
            LabeledValue("new@x.org", label: .other), LabeledValue("b@x.org", label: .home),
            LabeledValue("c@x.org", label: .work),
        ])
        #expect(!Self.twoSlots.sameInSpoke(held, Self.hub))
    }

    @Test func aMergeOfTheLiftedSpokeLosesNothing() {
        var held = Self.twoSlots.fit!(Self.hub)
        held.givenName = "Ada K."
        let lifted = Self.twoSlots.restrict(held, to: Self.hub)
        let merged = ThreeWayMerge.merge(base: Self.hub, hub: Self.hub, spoke: lifted, winner: .hub).merged
        #expect(merged.emails == Self.hub.emails)
        #expect(merged.givenName == "Ada K.")
    }

    @Test func withoutAFitNothingChanges() {
        let plain = SpokeView(options: SpokeOptions())
        let held = Self.twoSlots.fit!(Self.hub)
        #expect(plain.restrict(held, to: Self.hub).emails == held.emails)
    }
}
