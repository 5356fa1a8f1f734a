import Foundation
import SyncCore
import SyncModel
import Testing

/// Label details are part of their value: a change of only the custom text, the preferred flag
/// or the IM service is an edit of that value, merged like any other; a source that cannot hold
/// them (its fit drops them) neither deletes nor changes them.
@Suite struct LabelDetailMergeTests {
    static let base = Contact(
        emails: [LabeledValue("a@x.org", label: .home), LabeledValue("b@x.org", label: .work)],
        phones: [LabeledValue("+1 555 0100", label: .fax)]).normalized()

    @Test func aDetailChangedOnOneSideIsTaken() {
        var spoke = Self.base
        spoke.emails[1].preferred = true
        spoke.phones[0].label = .workFax
        spoke.phones[0].customLabel = "Front desk"
        var hub = Self.base
        hub.emails[0].customLabel = "Cottage"
        let out = ThreeWayMerge.merge(base: Self.base, hub: hub, spoke: spoke.normalized(), winner: .hub)
        #expect(out.conflicts.isEmpty)
        #expect(out.merged.normalized().emails == [
            LabeledValue("b@x.org", label: .work, preferred: true), LabeledValue("a@x.org", label: .home, customLabel: "Cottage"),
        ])
        #expect(out.merged.phones == [LabeledValue("+1 555 0100", label: .workFax, customLabel: "Front desk")])
    }

    @Test func differentDetailsOnBothSidesConflictByValue() {
        var hub = Self.base, spoke = Self.base
        hub.phones[0].customLabel = "Desk"
        spoke.phones[0].customLabel = "Lobby"
        let out = ThreeWayMerge.merge(base: Self.base, hub: hub, spoke: spoke, winner: .spoke)
        #expect(out.conflicts == [.phones])
        #expect(out.merged.phones.first?.customLabel == "Lobby")
    }

    /// First sync: a source that says only "other" meets one with label text: that text, no conflict.
    @Test func plainOtherMeetsCustomText() {
        let hub = Contact(emails: [LabeledValue("a@x.org", label: .other, customLabel: "Assistant")])
        let spoke = Contact(emails: [LabeledValue("a@x.org")])
        for (h, s) in [(hub, spoke), (spoke, hub)] {
            let out = ThreeWayMerge.merge(base: nil, hub: h, spoke: s, winner: .hub)
            #expect(out.merged.emails == hub.emails)
            #expect(out.conflicts.isEmpty)
        }
    }

    /// Like Exchange: no label text, no preference, no IM service.
    static let plain = SpokeView(options: SpokeOptions(), fit: { c in
        var c = c
        c.emails = c.emails.map { LabeledValue($0.value, label: $0.label) }
        c.ims = c.ims.map { LabeledValue($0.value, label: $0.label) }
        return c
    })

    @Test func aSourceWithoutDetailsLosesNoneOfTheHubs() {
        let hub = Contact(
            emails: [LabeledValue("a@x.org", label: .home, customLabel: "Cottage", preferred: true), LabeledValue("b@x.org")],
            ims: [LabeledValue("ada", service: "skype")]).normalized()
        var held = Self.plain.fit!(hub)
        #expect(Self.plain.restrict(held, to: hub) == hub)
        #expect(Self.plain.sameInSpoke(held, hub))
        // An edit there still merges, and the details of the values it did not touch stay.
        held.emails[1].label = .work
        let lifted = Self.plain.restrict(held, to: hub)
        let merged = ThreeWayMerge.merge(base: hub, hub: hub, spoke: lifted, winner: .hub).merged
        #expect(merged.emails == [hub.emails[0], LabeledValue("b@x.org", label: .work)])
        #expect(merged.ims == hub.ims)
    }
}
