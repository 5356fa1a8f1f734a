import Foundation
import Testing
import SyncCore
import SyncModel

/// Phones and emails keep the form their user wrote; the hub matches, merges and compares what
/// to write by their keys.
@Suite struct DisplayFormTests {
    static func phones(_ values: String...) -> Contact {
        F.person("Ada", "Lovelace").with { c in c.phones = values.map { LabeledValue($0, label: .work) } }
    }

    @Test func normalisingKeepsTheFormAndDedupesByKey() {
        let c = Contact(
            emails: [LabeledValue(" Olivia.0@ACME.EXAMPLE "), LabeledValue("olivia.0@acme.example")],
            phones: [LabeledValue("+1 (555) 010-0100"), LabeledValue("+15550100100"), LabeledValue("n/a")]
        ).normalized()
        #expect(c.emails == [LabeledValue("Olivia.0@ACME.EXAMPLE")])
        #expect(c.phones == [LabeledValue("+1 (555) 010-0100")])
    }

    @Test func aChangeOfFormIsAChangeOfContent() {
        #expect(Self.phones("+1 (555) 010-0100").rawContentHash != Self.phones("+15550100100").rawContentHash)
    }

    static func link(_ base: Contact) -> PushLink {
        PushLink(remoteID: "r1", remoteVersion: "v1", base: base, hubVersionSeen: 5, createdByHub: false)
    }

    /// A first sync of two sources that write one number differently: no conflict, the hub keeps
    /// the form it saw first, and the second source is not rewritten, until someone edits the
    /// hub's form.
    @Test func firstSyncKeepsBothFormsUntilOneIsEdited() {
        let hub = Self.phones("+1 (555) 010-0100")
        let spoke = Self.phones("+15550100100")
        let plan = PullPlanner.upsert(F.remote(spoke), link: nil, target: F.hub(hub), via: .match, view: F.view())
        #expect(plan.conflicts.isEmpty)
        #expect(plan.hub == .none)
        guard case .set(let base, true) = plan.link else { Issue.record("\(plan.link)"); return }
        #expect(base.phones == hub.phones)
        #expect(base.heldForms == ["p:+15550100100": "+15550100100"])
        #expect(PushPlanner.plan(item: F.hub(hub), version: 9, link: Self.link(base), view: F.view()) == .agree)
        // The spoke's next pull, after an edit of another field there: its form is no edit.
        let edited = spoke.with { $0.title = "Countess" }
        let again = PullPlanner.upsert(F.remote(edited, version: "v3"), link: F.link(base), target: F.hub(hub),
                                       via: .link, view: F.view())
        #expect(again.hub == .update(hub.with { $0.title = "Countess" }))
        // An edit of the hub's form reaches the spoke.
        let reformatted = Self.phones("+1 555 010 0100")
        let push = PushPlanner.plan(item: F.hub(reformatted), version: 9, link: Self.link(base), view: F.view())
        guard case .update(_, _, let sent) = push else { Issue.record("\(push)"); return }
        #expect(sent.phones.map(\.value) == ["+1 555 010 0100"])
    }

    @Test func aFormatOnlyEditInASpokeIsAnEdit() {
        let base = Self.phones("+1 (555) 010-0100")
        let spoke = Self.phones("+1 555-010-0100")
        let plan = PullPlanner.upsert(F.remote(spoke), link: F.link(base), target: F.hub(base), via: .link, view: F.view())
        #expect(plan.hub == .update(spoke))
        #expect(plan.conflicts.isEmpty)
        let push = PushPlanner.plan(item: F.hub(spoke), version: 9, link: Self.link(base), view: F.view())
        guard case .update(_, _, let sent) = push else { Issue.record("\(push)"); return }
        #expect(sent.phones.map(\.value) == ["+1 555-010-0100"])
    }

    /// An update for another field sends the values the spoke holds in its own forms, so a
    /// connector rewriting whole items still leaves them byte-identical.
    @Test func anUpdateSendsTheSpokesOwnForms() {
        let hub = Self.phones("+1 (555) 010-0100", "020 7946 0901").with { $0.emails = [LabeledValue("ada@x.org")] }
        let held = Self.phones("+15550100100").with { $0.emails = [LabeledValue("ADA@X.ORG")] }
        let plan = PullPlanner.upsert(F.remote(held), link: nil, target: F.hub(hub), via: .match, view: F.view())
        guard case .set(let base, _) = plan.link else { Issue.record("\(plan.link)"); return }
        let edited = hub.with { $0.title = "Countess" }
        guard case .update(_, _, let sent) = PushPlanner.plan(item: F.hub(edited), version: 9, link: Self.link(base),
                                                               view: F.view())
        else { Issue.record("no update"); return }
        #expect(sent.phones.map(\.value) == ["+15550100100", "020 7946 0901"])
        #expect(sent.emails.map(\.value) == ["ADA@X.ORG"])
        #expect(sent.title == "Countess")
        #expect(PushPlanner.base(after: edited, link: Self.link(base)).heldForms == base.heldForms)
    }

    @Test func mergeKeepsBothSidesEditsOfDifferentValues() {
        let base = Self.phones("+1 (555) 010-0100", "020 7946 0900")
        let hub = Self.phones("+1 (555) 010-0100", "020 7946 0900", "+33 1 23 45 67 89")
        let spoke = Self.phones("+1 555 010 0100", "020 7946 0900")
        let out = ThreeWayMerge.merge(base: base, hub: hub, spoke: spoke, winner: .hub)
        #expect(out.conflicts.isEmpty)
        #expect(out.merged.phones.map(\.value) == ["+1 555 010 0100", "020 7946 0900", "+33 1 23 45 67 89"])
    }

    @Test func matchingIgnoresFormatAndCase() {
        let m = Matcher([.init(id: "x1", contact: F.person("Ada", "Lovelace", email: "ada@example.com"))])
        #expect(m.match(F.person(nil, nil, email: "ADA@Example.COM")) == "x1")
    }
}
