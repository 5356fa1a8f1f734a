import Foundation
import Testing
@testable import SyncCore
import SyncModel

@Suite struct MergeTests {
    @Test(arguments: [
        (nil, Side.hub),  // the spoke gives no time
        (0, .hub),  // a tie goes to the hub
        (1, .spoke),
        (-1, .hub),
        (86_400, .spoke),
    ] as [(Double?, Side)])
    func conflictPolicy(_ spokeOffset: Double?, _ expected: Side) {
        let spoke = spokeOffset.map { F.t0.addingTimeInterval($0) }
        #expect(ConflictPolicy.winner(hubModified: F.t0, spokeModified: spoke) == expected)
    }

    struct ScalarCase: Sendable, CustomTestStringConvertible {
        let name: String
        let base: String?, hub: String?, spoke: String?
        let winner: Side
        let expected: String?
        let conflict: Bool
        var testDescription: String { name }
    }

    static let scalarCases: [ScalarCase] = [
        .init(name: "untouched", base: "A", hub: "A", spoke: "A", winner: .spoke, expected: "A", conflict: false),
        .init(name: "hub only", base: "A", hub: "B", spoke: "A", winner: .spoke, expected: "B", conflict: false),
        .init(name: "spoke only", base: "A", hub: "A", spoke: "C", winner: .hub, expected: "C", conflict: false),
        .init(name: "same on both", base: "A", hub: "B", spoke: "B", winner: .hub, expected: "B", conflict: false),
        .init(name: "both, hub wins", base: "A", hub: "B", spoke: "C", winner: .hub, expected: "B", conflict: true),
        .init(name: "both, spoke wins", base: "A", hub: "B", spoke: "C", winner: .spoke, expected: "C", conflict: true),
        .init(name: "spoke cleared", base: "A", hub: "A", spoke: nil, winner: .hub, expected: nil, conflict: false),
        .init(name: "hub cleared", base: "A", hub: nil, spoke: "A", winner: .spoke, expected: nil, conflict: false),
        // Clearing against an edit of the same scalar is an ordinary conflict, settled by policy.
        .init(name: "hub cleared, spoke edited, hub wins", base: "A", hub: nil, spoke: "C", winner: .hub,
              expected: nil, conflict: true),
        .init(name: "hub cleared, spoke edited, spoke wins", base: "A", hub: nil, spoke: "C", winner: .spoke,
              expected: "C", conflict: true),
        .init(name: "spoke set", base: nil, hub: nil, spoke: "C", winner: .hub, expected: "C", conflict: false),
        .init(name: "no base, differing", base: nil, hub: "B", spoke: "C", winner: .hub, expected: "B", conflict: true),
    ]

    @Test(arguments: scalarCases)
    func scalarField(_ t: ScalarCase) {
        let out = ThreeWayMerge.merge(
            base: Contact(title: t.base), hub: Contact(title: t.hub), spoke: Contact(title: t.spoke), winner: t.winner)
        #expect(out.merged.title == t.expected)
        #expect(out.conflicts == (t.conflict ? [.text(.title)] : []))
        #expect(out.merged.with { $0.title = nil } == Contact())
    }

    struct ListCase: Sendable, CustomTestStringConvertible {
        let name: String
        let base: [String], hub: [String], spoke: [String]
        let winner: Side
        let expected: [String]
        let conflict: Bool
        var testDescription: String { name }
    }

    static let listCases: [ListCase] = [
        .init(name: "add in hub, remove in spoke", base: ["a", "b"], hub: ["a", "b", "c"], spoke: ["a"],
              winner: .hub, expected: ["a", "c"], conflict: false),
        .init(name: "remove in hub, add in spoke", base: ["a", "b"], hub: ["b"], spoke: ["a", "b", "c"],
              winner: .hub, expected: ["b", "c"], conflict: false),
        .init(name: "add on both", base: ["a"], hub: ["a", "b"], spoke: ["a", "c"],
              winner: .hub, expected: ["a", "b", "c"], conflict: false),
        .init(name: "remove on both", base: ["a", "b", "c"], hub: ["a", "c"], spoke: ["a", "b"],
              winner: .hub, expected: ["a"], conflict: false),
        .init(name: "same add on both", base: ["a"], hub: ["a", "b"], spoke: ["b", "a"],
              winner: .spoke, expected: ["a", "b"], conflict: false),
        .init(name: "spoke only reordered", base: ["a", "b"], hub: ["a", "b", "c"], spoke: ["b", "a"],
              winner: .spoke, expected: ["a", "b", "c"], conflict: false),
        .init(name: "hub unchanged takes spoke", base: ["a", "b"], hub: ["a", "b"], spoke: ["c", "a"],
              winner: .hub, expected: ["c", "a"], conflict: false),
        .init(name: "relabel in hub beats remove in spoke", base: ["a:home", "b"], hub: ["a:work", "b"], spoke: ["b"],
              winner: .spoke, expected: ["a:work", "b"], conflict: false),
        .init(name: "relabel in spoke beats remove in hub", base: ["a:home", "b"], hub: ["b"], spoke: ["a:work", "b"],
              winner: .hub, expected: ["b", "a:work"], conflict: false),
        .init(name: "relabel in spoke, add in hub", base: ["a:home"], hub: ["a:home", "b"], spoke: ["a:work"],
              winner: .hub, expected: ["a:work", "b"], conflict: false),
        .init(name: "relabel both, hub wins", base: ["a:home"], hub: ["a:work"], spoke: ["a:mobile"],
              winner: .hub, expected: ["a:work"], conflict: true),
        .init(name: "relabel both, spoke wins", base: ["a:home", "b"], hub: ["a:work", "b", "c"], spoke: ["a:mobile", "b"],
              winner: .spoke, expected: ["a:mobile", "b", "c"], conflict: true),
        .init(name: "no base: union", base: [], hub: ["a", "b"], spoke: ["c", "b"],
              winner: .hub, expected: ["a", "b", "c"], conflict: false),
        .init(name: "no base: same value, other label", base: [], hub: ["a:home", "x"], spoke: ["a:work"],
              winner: .spoke, expected: ["a:work", "x"], conflict: true),
    ]

    /// Emails stand for every multi-valued field: the code path is shared.
    @Test(arguments: listCases)
    func emailList(_ t: ListCase) {
        // "a:home" is a@x.org labelled home; a bare "a" is labelled work.
        func c(_ e: [String]) -> Contact {
            Contact(emails: F.emails(e.map { $0.contains(":") ? $0.replacingOccurrences(of: ":", with: "@x.org:") : $0 + "@x.org" }))
        }
        let out = ThreeWayMerge.merge(base: c(t.base), hub: c(t.hub), spoke: c(t.spoke), winner: t.winner)
        #expect(out.merged.emails == c(t.expected).emails)
        #expect(out.conflicts == (t.conflict ? [.emails] : []))
    }

    @Test func otherListsMergeAsSetsToo() {
        let base = Contact(
            phones: [LabeledValue("+1555000001")], addresses: [PostalAddress(city: "Paris")],
            websites: [LabeledValue("https://a.example")], ims: [LabeledValue("xmpp:a@j")], categories: ["VIP"])
        let hub = base.with {
            $0.phones.append(LabeledValue("+1555000002"))
            $0.addresses.append(PostalAddress(city: "Rome"))
            $0.websites = []
            $0.ims.append(LabeledValue("skype:a"))
            $0.categories.append("Friends")
        }
        let spoke = base.with {
            $0.phones = []
            $0.addresses = [PostalAddress(label: .home, city: "Paris")]  // relabelled
            $0.websites.append(LabeledValue("https://b.example"))
            $0.ims = []
            $0.categories = ["Customers"]
        }
        let out = ThreeWayMerge.merge(base: base, hub: hub, spoke: spoke, winner: .hub)
        #expect(out.conflicts == [])
        #expect(out.merged.phones == [LabeledValue("+1555000002")])
        #expect(out.merged.addresses == [PostalAddress(label: .home, city: "Paris"), PostalAddress(city: "Rome")])
        #expect(out.merged.websites == [LabeledValue("https://b.example")])
        #expect(out.merged.ims == [LabeledValue("skype:a")])
        #expect(out.merged.categories == ["Friends", "Customers"])
    }

    @Test func keysAreCaseInsensitiveWhereTheValueIs() {
        // Same category, other case, added on both sides: one entry, a conflict on its spelling.
        let out = ThreeWayMerge.merge(
            base: Contact(), hub: Contact(categories: ["VIP"]), spoke: Contact(categories: ["vip", "New"]), winner: .spoke)
        #expect(out.merged.categories == ["vip", "New"])
        #expect(out.conflicts == [.categories])
        let web = ThreeWayMerge.merge(
            base: Contact(websites: [LabeledValue("https://A.example")]),
            hub: Contact(websites: [LabeledValue("https://A.example"), LabeledValue("https://c.example")]),
            spoke: Contact(websites: [LabeledValue("https://a.example")]), winner: .spoke)
        #expect(web.merged.websites == [LabeledValue("https://a.example"), LabeledValue("https://c.example")])
        #expect(web.conflicts == [])
    }

    @Test func customFields() {
        let base = Contact(custom: ["Region": "EU", "Tier": "gold", "Old": "x"])
        let hub = Contact(custom: ["Region": "EU", "Tier": "silver", "Old": "x", "New": "h"])
        let spoke = Contact(custom: ["Region": "US", "Tier": "bronze"])
        let hubWins = ThreeWayMerge.merge(base: base, hub: hub, spoke: spoke, winner: .hub)
        #expect(hubWins.merged.custom == ["Region": "US", "Tier": "silver", "New": "h"])
        #expect(hubWins.conflicts == [.custom("Tier")])
        let spokeWins = ThreeWayMerge.merge(base: base, hub: hub, spoke: spoke, winner: .spoke)
        #expect(spokeWins.merged.custom == ["Region": "US", "Tier": "bronze", "New": "h"])
    }

    @Test func photoAndDates() {
        let p1 = Photo(data: Data([1])), p2 = Photo(data: Data([2])), p3 = Photo(data: Data([3]))
        let d1 = PartialDate(year: nil, month: 1, day: 1), d2 = PartialDate(year: 1990, month: 1, day: 1)
        let out = ThreeWayMerge.merge(
            base: Contact(birthday: d1, photo: p1), hub: Contact(birthday: d2, photo: p2),
            spoke: Contact(birthday: d1, anniversary: d1, photo: p3), winner: .spoke)
        #expect(out.merged == Contact(birthday: d2, anniversary: d1, photo: p3))
        #expect(out.conflicts == [.photo])
    }

    @Test func conflictsAreReportedInFieldOrder() {
        let base = F.person("Ada", title: "A", custom: ["Z": "0"]).with { $0.emails = F.emails(["a@x.org:home"]) }
        let hub = base.with { $0.title = "B"; $0.emails = F.emails(["a@x.org:work"]); $0.custom["Z"] = "1" }
        let spoke = base.with { $0.title = "C"; $0.emails = F.emails(["a@x.org:mobile"]); $0.custom["Z"] = "2" }
        let out = ThreeWayMerge.merge(base: base, hub: hub, spoke: spoke, winner: .hub)
        #expect(out.conflicts == [.text(.title), .emails, .custom("Z")])
        #expect(out.merged == hub)
    }

    @Test func firstSyncIsAUnion() {
        let hub = F.person("Ada", "Lovelace", email: "ada@example.com")
        let spoke = F.person(nil, "Lovelace", phone: "+1 555 0100", org: "AE")
        let out = ThreeWayMerge.merge(base: nil, hub: hub, spoke: spoke, winner: .hub)
        #expect(out.conflicts == [])
        #expect(out.merged == F.person("Ada", "Lovelace", email: "ada@example.com", phone: "+1 555 0100", org: "AE"))
    }

    @Test func unchangedSpokeGivesTheHub() {
        let base = F.ada
        let hub = F.ada.with { $0.title = "Countess"; $0.phones = [] }
        #expect(ThreeWayMerge.merge(base: base, hub: hub, spoke: base, winner: .spoke)
            == MergeOutcome(merged: hub, conflicts: []))
        let spoke = F.ada.with { $0.title = "Countess"; $0.emails.append(LabeledValue("a@b.c")) }
        #expect(ThreeWayMerge.merge(base: base, hub: base, spoke: spoke, winner: .hub)
            == MergeOutcome(merged: spoke, conflicts: []))
    }
}

@Suite struct LabelMergeTests {
    /// A person matched on a first sync: one source keeps no email labels ("other").
    @Test func anEntryOnlyOneSideLabelsTakesThatLabelWithoutAConflict() {
        let hub = Contact(emails: [LabeledValue("a@x.org", label: .other)])
        let spoke = Contact(emails: [LabeledValue("a@x.org", label: .home)])
        for (h, s) in [(hub, spoke), (spoke, hub)] {
            let out = ThreeWayMerge.merge(base: nil, hub: h, spoke: s, winner: .hub)
            #expect(out.merged.emails == [LabeledValue("a@x.org", label: .home)])
            #expect(out.conflicts.isEmpty)
        }
    }

    @Test func twoSpecificLabelsStillConflict() {
        let out = ThreeWayMerge.merge(
            base: nil, hub: Contact(phones: [LabeledValue("+15550100", label: .work)]),
            spoke: Contact(phones: [LabeledValue("+15550100", label: .mobile)]), winner: .hub)
        #expect(out.conflicts == [.phones])
        #expect(out.merged.phones == [LabeledValue("+15550100", label: .work)])
    }

    @Test func aDeliberateChangeToOtherAgainstABaseStillWins() {
        let base = Contact(emails: [LabeledValue("a@x.org", label: .home)])
        let spoke = Contact(emails: [LabeledValue("a@x.org", label: .other)])
        let out = ThreeWayMerge.merge(base: base, hub: base, spoke: spoke, winner: .hub)
        #expect(out.merged.emails == spoke.emails)
    }
}
