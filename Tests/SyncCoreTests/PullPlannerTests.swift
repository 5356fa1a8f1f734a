import Foundation
import Testing
import SyncCore
import SyncModel

@Suite struct PullPlannerTests {
    static let ada = F.ada.with { $0.emails.append(LabeledValue("ada@home.example", label: .home)) }
    static let plain = F.view()
    static func titled(_ t: String) -> Contact { ada.with { $0.title = t } }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let remote: RemoteItem
        let link: LinkSnapshot?
        let target: HubSnapshot?
        let via: PullPlan.Via
        var view: SpokeView = F.view()
        let expected: PullPlan
        var testDescription: String { name }
    }

    static let upserts: [Case] = [
        // New items.
        .init(name: "no target: create, tagged category stripped", remote: F.remote(
            Contact(givenName: " Bob ", categories: ["HubSync", "VIP"])), link: nil, target: nil, via: .new,
              view: F.view(categorizeAs: "HubSync"),
              expected: PullPlan(hub: .create(F.person("Bob", categories: ["VIP"])),
                                 link: .set(base: F.person("Bob", categories: ["VIP"]), agreed: true), via: .new)),
        .init(name: "no target whatever the caller said", remote: F.remote(ada), link: F.link(ada), target: nil, via: .match,
              expected: PullPlan(hub: .create(ada), link: .set(base: ada, agreed: true), via: .new)),
        // Linked items: nothing to merge.
        .init(name: "echo of our own write", remote: F.remote(titled("X"), version: "v1"), link: F.link(ada, version: "v1"),
              target: F.hub(titled("Y")), via: .link, expected: PullPlan(hub: .none, link: .none)),
        .init(name: "echo for a deleted item", remote: F.remote(ada, version: "v1"), link: F.link(ada, version: "v1"),
              target: F.hub(ada, deleted: true), via: .link, expected: PullPlan(hub: .none, link: .none)),
        .init(name: "leaving the filter, edited there meanwhile: merged", remote: F.remote(titled("X")),
              link: F.link(ada, leaving: true), target: F.hub(ada), via: .link,
              expected: PullPlan(hub: .update(titled("X")), link: .set(base: titled("X"), agreed: true))),
        .init(name: "leaving the filter, same content: version refreshed", remote: F.remote(ada),
              link: F.link(ada, leaving: true), target: F.hub(ada), via: .link,
              expected: PullPlan(hub: .none, link: .refresh)),
        .init(name: "new version, same content", remote: F.remote(ada.with { $0.emails.reverse() }), link: F.link(ada),
              target: F.hub(titled("Hub edit")), via: .link, expected: PullPlan(hub: .none, link: .refresh)),
        .init(name: "new version, same content, deleted in hub", remote: F.remote(ada), link: F.link(ada),
              target: F.hub(ada, deleted: true), via: .link, expected: PullPlan(hub: .touch, link: .refresh)),
        .init(name: "new version, only the spoke's category added", remote: F.remote(ada.with { $0.categories = ["HubSync"] }),
              link: F.link(ada), target: F.hub(ada), via: .link, view: F.view(categorizeAs: "HubSync"),
              expected: PullPlan(hub: .none, link: .refresh)),
        .init(name: "no versions: compared by content", remote: F.remote(ada, version: nil), link: F.link(ada, version: nil),
              target: F.hub(ada), via: .link, expected: PullPlan(hub: .none, link: .refresh)),
        .init(name: "no versions, edited", remote: F.remote(titled("C"), version: nil), link: F.link(ada, version: nil),
              target: F.hub(ada), via: .link,
              expected: PullPlan(hub: .update(titled("C")), link: .set(base: titled("C"), agreed: true))),
        // Linked items: merges.
        .init(name: "spoke edit", remote: F.remote(titled("Countess")), link: F.link(ada), target: F.hub(ada), via: .link,
              expected: PullPlan(hub: .update(titled("Countess")), link: .set(base: titled("Countess"), agreed: true))),
        .init(name: "both edited, spoke newer", remote: F.remote(titled("Countess"), at: F.t0 + 60), link: F.link(ada),
              target: F.hub(titled("Lady")), via: .link,
              expected: PullPlan(hub: .update(titled("Countess")), link: .set(base: titled("Countess"), agreed: true),
                                 conflicts: [.text(.title)])),
        .init(name: "both edited, hub newer", remote: F.remote(titled("Countess"), at: F.t0 - 60), link: F.link(ada),
              target: F.hub(titled("Lady")), via: .link,
              expected: PullPlan(hub: .touch, link: .set(base: titled("Countess"), agreed: false), conflicts: [.text(.title)],
                                 overruled: titled("Countess"))),
        .init(name: "both edited, same time: hub", remote: F.remote(titled("Countess"), at: F.t0), link: F.link(ada),
              target: F.hub(titled("Lady")), via: .link,
              expected: PullPlan(hub: .touch, link: .set(base: titled("Countess"), agreed: false), conflicts: [.text(.title)],
                                 overruled: titled("Countess"))),
        .init(name: "both edited, spoke gives no time: hub", remote: F.remote(titled("Countess")), link: F.link(ada),
              target: F.hub(titled("Lady")), via: .link,
              expected: PullPlan(hub: .touch, link: .set(base: titled("Countess"), agreed: false), conflicts: [.text(.title)],
                                 overruled: titled("Countess"))),
        .init(name: "different fields edited", remote: F.remote(ada.with { $0.emails = [] }), link: F.link(ada),
              target: F.hub(titled("Lady")), via: .link,
              expected: PullPlan(hub: .update(titled("Lady").with { $0.emails = [] }),
                                 link: .set(base: ada.with { $0.emails = [] }, agreed: false))),
        .init(name: "edit beats a hub delete", remote: F.remote(titled("Countess")), link: F.link(ada),
              target: F.hub(ada, deleted: true), via: .link,
              expected: PullPlan(hub: .resurrect(titled("Countess")), link: .set(base: titled("Countess"), agreed: true))),
        .init(name: "late echo of content the deleted hub item had", remote: F.remote(titled("Lady")), link: F.link(ada),
              target: F.hub(titled("Lady"), deleted: true), via: .link,
              expected: PullPlan(hub: .touch, link: .set(base: titled("Lady"), agreed: false))),
        // Marker: the hub created this item.
        .init(name: "marker, no intent, item deleted since", remote: F.remote(ada), link: nil,
              target: F.hub(ada, deleted: true), via: .marker,
              expected: PullPlan(hub: .touch, link: .set(base: ada, agreed: false), via: .marker)),
        .init(name: "marker, edited since the create, item deleted since", remote: F.remote(titled("Countess")),
              link: F.link(ada, version: nil), target: F.hub(ada, deleted: true), via: .marker,
              expected: PullPlan(hub: .resurrect(titled("Countess")), link: .set(base: titled("Countess"), agreed: true),
                                 via: .marker)),
        .init(name: "marker, unchanged", remote: F.remote(ada), link: F.link(ada, version: nil), target: F.hub(ada),
              via: .marker, expected: PullPlan(hub: .none, link: .set(base: ada, agreed: true), via: .marker)),
        .init(name: "marker, hub edited since the create", remote: F.remote(ada), link: F.link(ada, version: nil),
              target: F.hub(titled("Lady")), via: .marker,
              expected: PullPlan(hub: .touch, link: .set(base: ada, agreed: false), via: .marker)),
        // Matched on first sync: the merge is a union.
        .init(name: "match, identical", remote: F.remote(ada), link: nil, target: F.hub(ada), via: .match,
              expected: PullPlan(hub: .none, link: .set(base: ada, agreed: true), via: .match)),
        .init(name: "match, spoke has more", remote: F.remote(F.person("Ada", "Lovelace", email: "ada@example.com", title: "C")),
              link: nil, target: F.hub(F.person("Ada", "Lovelace", email: "ada@example.com", phone: "+1 555 0100")), via: .match,
              expected: PullPlan(
                hub: .update(F.person("Ada", "Lovelace", email: "ada@example.com", phone: "+1 555 0100", title: "C")),
                link: .set(base: F.person("Ada", "Lovelace", email: "ada@example.com", title: "C"), agreed: false),
                via: .match)),
        // Spoke views.
        .init(name: "field the spoke cannot hold is not deleted", remote: F.remote(titled("C")), link: F.link(ada),
              target: F.hub(ada.with { $0.photo = Photo(data: Data([1])) }), via: .link,
              view: F.view(capabilities: Set(ContactField.fixed).subtracting([.photo])),
              expected: PullPlan(hub: .update(titled("C").with { $0.photo = Photo(data: Data([1])) }),
                                 link: .set(base: titled("C").with { $0.photo = Photo(data: Data([1])) }, agreed: true))),
        .init(name: "mapped field edited in the spoke", remote: F.remote(ada.with { $0.department = "US" }),
              link: F.link(ada.with { $0.custom = ["Region": "EU"] }),
              target: F.hub(ada.with { $0.custom = ["Region": "EU"] }), via: .link,
              view: F.view(mappings: [FieldMapping(spokeField: .text(.department), hubField: "Region")]),
              expected: PullPlan(hub: .update(ada.with { $0.custom = ["Region": "US"] }),
                                 link: .set(base: ada.with { $0.custom = ["Region": "US"] }, agreed: true))),
        .init(name: "the spoke's category is also a hub category", remote: F.remote(titled("C").with { $0.categories = ["Sales"] }),
              link: F.link(ada.with { $0.categories = ["Sales"] }), target: F.hub(ada.with { $0.categories = ["Sales"] }),
              via: .link, view: F.view(categorizeAs: "Sales"),
              expected: PullPlan(hub: .update(titled("C").with { $0.categories = ["Sales"] }),
                                 link: .set(base: titled("C").with { $0.categories = ["Sales"] }, agreed: true))),
    ]

    @Test(arguments: upserts)
    func upsert(_ t: Case) {
        #expect(PullPlanner.upsert(t.remote, link: t.link, target: t.target, via: t.via, view: t.view) == t.expected)
    }

    @Test(arguments: [
        ("no link", nil, F.hub(Self.ada), PullPlan(hub: .none, link: .none)),
        ("no hub item", F.link(Self.ada), nil, PullPlan(hub: .none, link: .remove)),
        ("hub item already deleted", F.link(Self.ada), F.hub(Self.ada, deleted: true), PullPlan(hub: .none, link: .remove)),
        ("left the filter: not a deletion", F.link(Self.ada, leaving: true), F.hub(Self.ada), PullPlan(hub: .none, link: .remove)),
        ("unchanged in the hub", F.link(Self.ada), F.hub(Self.ada), PullPlan(hub: .delete, link: .remove)),
        ("only reordered in the hub", F.link(Self.ada), F.hub(Self.ada.with { $0.emails.reverse() }), PullPlan(hub: .delete, link: .remove)),
        ("edited in the hub: the edit wins", F.link(Self.ada), F.hub(Self.titled("Lady")), PullPlan(hub: .touch, link: .remove)),
    ] as [(String, LinkSnapshot?, HubSnapshot?, PullPlan)])
    func delete(_ name: String, _ link: LinkSnapshot?, _ target: HubSnapshot?, _ expected: PullPlan) {
        #expect(PullPlanner.delete(link: link, target: target, view: Self.plain) == expected)
    }

    @Test func deleteIgnoresWhatTheSpokeCannotSee() {
        let noPhoto = F.view(capabilities: Set(ContactField.fixed).subtracting([.photo]))
        let withPhoto = F.hub(Self.ada.with { $0.photo = Photo(data: Data([1])) })
        #expect(PullPlanner.delete(link: F.link(Self.ada), target: withPhoto, view: noPhoto) == PullPlan(hub: .delete, link: .remove))
        #expect(PullPlanner.delete(link: F.link(Self.ada), target: withPhoto, view: Self.plain) == PullPlan(hub: .touch, link: .remove))
        let sales = F.view(categorizeAs: "Sales")
        let tagged = F.hub(Self.ada.with { $0.categories = ["Sales"] })
        #expect(PullPlanner.delete(link: F.link(Self.ada), target: tagged, view: sales) == PullPlan(hub: .delete, link: .remove))
    }
}

@Suite struct PerFieldConflictTimes {
    /// The hub item changed lately, but only its notes: its title is older than the spoke's.
    @Test func eachFieldIsJudgedByItsOwnAge() {
        let base = F.ada
        let hubContact = F.ada.with { $0.title = "Countess"; $0.notes = "later" }
        var target = F.hub(hubContact, at: F.t0 + 100)
        target.fieldTimes = FieldTimes(base: F.t0 - 1000, fields: [.text(.title): F.t0 - 100, .text(.notes): F.t0 + 100])
        let plan = PullPlanner.upsert(
            F.remote(F.ada.with { $0.title = "Mathematician" }, at: F.t0), link: F.link(base), target: target,
            via: .link, view: F.view())
        #expect(plan.hub == .update(hubContact.with { $0.title = "Mathematician" }))
        #expect(plan.conflicts == [.text(.title)])
        #expect(plan.overruled == nil)
        // Without the per-field time the item's time decides, and the hub keeps its title.
        target.fieldTimes = FieldTimes()
        let itemLevel = PullPlanner.upsert(
            F.remote(F.ada.with { $0.title = "Mathematician" }, at: F.t0), link: F.link(base), target: target,
            via: .link, view: F.view())
        #expect(itemLevel.overruled?.title == "Mathematician")
    }
}
