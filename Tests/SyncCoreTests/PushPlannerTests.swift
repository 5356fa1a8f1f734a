import Foundation
import Testing
import SyncCore
import SyncModel

@Suite struct PushPlannerTests {
    static let ada = F.ada
    static let lady = F.ada.with { $0.title = "Lady" }

    static func link(_ base: Contact = ada, seen: Int64 = 5, byHub: Bool = false) -> PushLink {
        PushLink(remoteID: "r1", remoteVersion: "v1", base: base, hubVersionSeen: seen, createdByHub: byHub)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let item: HubSnapshot
        let version: Int64
        let link: PushLink?
        var view: SpokeView = F.view()
        let expected: PushPlan
        var testDescription: String { name }
    }

    static let acmeOnly = F.view(filter: SpokeFilter(companies: ["Analytical Engines"]))
    static let oneWay = F.view(twoWay: false)

    static let cases: [Case] = [
        // A one-way spoke only feeds the hub.
        .init(name: "one-way: new item", item: F.hub(ada), version: 6, link: nil, view: oneWay, expected: .none),
        .init(name: "one-way: changed item", item: F.hub(lady), version: 6, link: link(), view: oneWay, expected: .none),
        .init(name: "one-way: deleted item", item: F.hub(ada, deleted: true), version: 6, link: link(), view: oneWay,
              expected: .none),
        .init(name: "one-way: left the filter", item: F.hub(lady), version: 6, link: link(byHub: true),
              view: F.view(twoWay: false, filter: SpokeFilter(companies: ["Other"])), expected: .none),
        // Deletions.
        .init(name: "deleted, linked", item: F.hub(ada, deleted: true), version: 6, link: link(), expected: .delete("r1", "v1")),
        .init(name: "deleted, even if seen", item: F.hub(ada, deleted: true), version: 5, link: link(), expected: .delete("r1", "v1")),
        .init(name: "deleted, never linked", item: F.hub(ada, deleted: true), version: 6, link: nil, expected: .none),
        .init(name: "deleted, not admitted", item: F.hub(ada, deleted: true), version: 6, link: link(), view:
              F.view(filter: SpokeFilter(companies: ["Other"])), expected: .delete("r1", "v1")),
        // Creates.
        .init(name: "new, admitted", item: F.hub(ada), version: 6, link: nil, expected: .create(ada)),
        .init(name: "new, in spoke terms", item: F.hub(ada.with { $0.custom = ["Region": "EU", "Private": "x"] }), version: 6,
              link: nil, view: F.view(categorizeAs: "HubSync",
                                      mappings: [FieldMapping(spokeField: .text(.department), hubField: "Region")]),
              expected: .create(ada.with { $0.department = "EU"; $0.categories = ["HubSync"] })),
        .init(name: "new, admitted by filter", item: F.hub(ada), version: 6, link: nil, view: acmeOnly, expected: .create(ada)),
        .init(name: "new, not admitted", item: F.hub(ada.with { $0.organization = "Other" }), version: 6, link: nil,
              view: acmeOnly, expected: .none),
        // Leaving the filter.
        .init(name: "left the filter, hub created it", item: F.hub(ada.with { $0.organization = "Other" }), version: 6,
              link: link(byHub: true), view: acmeOnly, expected: .removeFromSpoke("r1", "v1")),
        .init(name: "left the filter, hub created it, already seen", item: F.hub(ada.with { $0.organization = "Other" }),
              version: 5, link: link(seen: 9, byHub: true), view: acmeOnly, expected: .removeFromSpoke("r1", "v1")),
        .init(name: "left the filter, the spoke's own item: still updated",
              item: F.hub(lady.with { $0.organization = "Other" }), version: 6, link: link(), view: acmeOnly,
              expected: .update("r1", "v1", lady.with { $0.organization = "Other" })),
        .init(name: "left the filter, the spoke's own item, unchanged", item: F.hub(ada.with { $0.organization = "Other" }),
              version: 5, link: link(), view: acmeOnly, expected: .none),
        // Updates.
        .init(name: "already seen", item: F.hub(lady), version: 5, link: link(seen: 5), expected: .none),
        .init(name: "seen a later version", item: F.hub(lady), version: 4, link: link(seen: 5), expected: .none),
        .init(name: "changed", item: F.hub(lady), version: 6, link: link(), expected: .update("r1", "v1", lady)),
        .init(name: "new version, same content", item: F.hub(ada), version: 6, link: link(), expected: .agree),
        .init(name: "new version, change the spoke cannot see", item: F.hub(ada.with { $0.photo = Photo(data: Data([1])) }),
              version: 6, link: link(), view: F.view(capabilities: [.text(.givenName), .emails]), expected: .agree),
        .init(name: "changed, no remote version", item: F.hub(lady), version: 6,
              link: PushLink(remoteID: "r2", remoteVersion: nil, base: ada, hubVersionSeen: 0, createdByHub: true),
              expected: .update("r2", nil, lady)),
        .init(name: "changed, in spoke terms", item: F.hub(lady.with { $0.custom = ["Region": "EU"] }), version: 6,
              link: link(), view: F.view(categorizeAs: "HubSync",
                                         mappings: [FieldMapping(spokeField: .custom("X-REGION"), hubField: "Region")]),
              expected: .update("r1", "v1", lady.with { $0.custom = ["X-REGION": "EU"]; $0.categories = ["HubSync"] })),
    ]

    @Test(arguments: cases)
    func plan(_ t: Case) {
        #expect(PushPlanner.plan(item: t.item, version: t.version, link: t.link, view: t.view) == t.expected)
    }

    /// Whatever the filter does, it never deletes a hub item: at most it takes one out of one spoke.
    @Test(arguments: [true, false])
    func leavingTheFilterIsNeverADelete(_ byHub: Bool) {
        let plan = PushPlanner.plan(
            item: F.hub(Self.ada.with { $0.organization = "Other" }), version: 6, link: Self.link(byHub: byHub), view: Self.acmeOnly)
        if case .delete = plan { Issue.record("a filter change deleted the item: \(plan)") }
        #expect(plan == (byHub ? .removeFromSpoke("r1", "v1") : .update("r1", "v1", Self.ada.with { $0.organization = "Other" })))
    }
}
