import Testing
import SyncCore
import SyncModel

@Suite struct ChangeWeightTests {
    static let full = Contact(
        givenName: "Ada", familyName: "Lovelace", organization: "Analytical", title: "Countess",
        emails: [LabeledValue("ada@example.com", label: .work)], phones: [LabeledValue("+441234", label: .mobile)])

    @Test func weights() {
        #expect(ChangeWeight.of(Self.full, to: Self.full) == .normal)
        #expect(ChangeWeight.of(Self.full, to: Contact()) == .blanked)
        #expect(ChangeWeight.of(Self.full, to: Contact(notes: "only notes")) == .blanked)
        // An organization or a lone phone still says who it is.
        #expect(ChangeWeight.of(Self.full, to: Contact(organization: "Analytical")) == .stripped)
        #expect(ChangeWeight.of(Self.full, to: Contact(phones: Self.full.phones)) == .stripped)
        #expect(ChangeWeight.of(Self.full, to: Contact(givenName: "Ada", familyName: "Lovelace", title: "Countess")) == .normal)
        // Small contacts: losing one of two fields is an edit, not a wipe.
        let two = Contact(givenName: "Bo", emails: [LabeledValue("bo@example.com", label: .home)])
        #expect(ChangeWeight.of(two, to: Contact(givenName: "Bo")) == .normal)
        // Nothing to lose: a blank item staying blank is no blanking.
        #expect(ChangeWeight.of(Contact(notes: "x"), to: Contact()) == .normal)
        #expect(!Contact(givenName: "  ").hasIdentity)
    }

    @Test func strippedShare() {
        let g = DeletionGuard()
        #expect(g.evaluate(stripped: 4, linked: 10) == .allow)
        #expect(g.evaluate(stripped: 20, linked: 100) == .allow)
        guard case .hold(let reason) = g.evaluate(stripped: 21, linked: 100) else {
            Issue.record("expected a hold")
            return
        }
        #expect(reason.contains("21 of 100"))
        #expect(g.evaluate(outgoing: 5, linked: 10) != .allow)
        #expect(g.evaluate(outgoing: 2, linked: 10) == .allow)
    }
}

@Suite struct HoldReviewTests {
    @Test(arguments: [
        (HoldDecision.pending, HeldItemSeen.absent(trusted: true), HeldItemAction.keep),
        (.pending, .absent(trusted: false), .keep),
        (.pending, .unchanged, .release),
        (.pending, .changed(.normal), .release),
        (.pending, .changed(.blanked), .keep),
        (.pending, .changed(.stripped), .keep),
        (.rejected, .absent(trusted: true), .recreate),
        (.rejected, .absent(trusted: false), .keep),
        (.rejected, .unchanged, .release),
        (.rejected, .changed(.normal), .release),
        (.rejected, .changed(.blanked), .writeBack),
        (.rejected, .changed(.stripped), .writeBack),
        (.approved, .absent(trusted: true), .release),
        (.approved, .absent(trusted: false), .keep),
        (.approved, .unchanged, .release),
        (.approved, .changed(.blanked), .applyApproved),
        (.approved, .changed(.stripped), .applyApproved),
    ])
    func actions(_ decision: HoldDecision, _ seen: HeldItemSeen, _ expected: HeldItemAction) {
        #expect(HoldReview.action(decision, seen) == expected)
    }
}
