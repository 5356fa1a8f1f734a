import ConnectorGraph
import SyncModel
import Testing
@testable import HubCLI

/// What a refresh of a group's members does to the hub's spokes: pure.
@Suite struct GroupPlanTests {
    static func member(_ id: String) -> GraphMember { GraphMember(id: id, mail: "\(id)@contoso.example", displayName: id) }

    static func spoke(_ id: String, mailbox: String, group: String? = "g1", paused: Bool = false) -> SpokeConfig {
        var s: [String: String] = ["m365.mailbox": mailbox, "m365.account": "\(mailbox)@contoso.example"]
        if let group { s[GroupMailboxes.groupKey] = group }
        if paused { s[GroupMailboxes.pausedKey] = "left" }
        return SpokeConfig(id: SpokeID(id), hub: HubID("h"), name: id, kind: .graph, position: 0, settings: s)
    }

    @Test func newMembersAreAddedLeaversPausedReturnersResumed() {
        let spokes = [Self.spoke("a", mailbox: "u-a"), Self.spoke("b", mailbox: "u-b"), Self.spoke("c", mailbox: "u-c", paused: true)]
        let plan = GroupMailboxes.plan(group: "g1", members: [Self.member("u-a"), Self.member("u-c"), Self.member("u-d")], spokes: spokes)
        #expect(plan.add.map(\.id) == ["u-d"])
        #expect(plan.pause == [SpokeID("b")])
        #expect(plan.resume == [SpokeID("c")])
    }

    @Test func anEmptyMemberListPausesNobody() {
        let plan = GroupMailboxes.plan(group: "g1", members: [], spokes: [Self.spoke("a", mailbox: "u-a")])
        #expect(plan.isEmpty)
    }

    @Test func aMailboxAnotherSpokeSyncsGetsNoSecondSpokeAndOtherGroupsAreLeftAlone() {
        let spokes = [Self.spoke("mine", mailbox: "u-a", group: nil), Self.spoke("other", mailbox: "u-b", group: "g2")]
        let plan = GroupMailboxes.plan(group: "g1", members: [Self.member("u-a")], spokes: spokes)
        #expect(plan.isEmpty)
        // By mail address too (a spoke added by hand names the mailbox by address).
        let byMail = GroupMailboxes.plan(group: "g1", members: [GraphMember(id: "u-x", mail: "U-A@contoso.example")], spokes: spokes)
        #expect(byMail.add.isEmpty)
    }
}
