import Foundation
import Testing
import SyncCore
import SyncModel

@Suite struct SpokeViewTests {
    static let tagged = F.view(categorizeAs: "HubSync")

    @Test func toHubStripsTheSpokeCategory() {
        let spoke = Contact(givenName: " Ada ", categories: ["hubsync", "VIP", "HUBSYNC"])
        #expect(Self.tagged.toHub(spoke) == Contact(givenName: "Ada", categories: ["VIP"]))
    }

    @Test func toSpokeAddsTheCategoryOnce() {
        #expect(Self.tagged.toSpoke(F.person("Ada", categories: ["VIP"])).categories == ["VIP", "HubSync"])
        #expect(Self.tagged.toSpoke(F.person("Ada", categories: ["hubSYNC"])).categories == ["hubSYNC"])
        #expect(F.view().toSpoke(F.person("Ada", categories: ["VIP"])).categories == ["VIP"])
    }

    @Test(arguments: [
        F.ada,
        F.person("Ada", categories: ["VIP", "Friends"]),
        Contact(),
        F.person(email: "x@y.org", custom: ["Region": "EU"]).with { $0.custom = [:] },
    ])
    func categoryRoundTripDoesNotLeak(_ hub: Contact) {
        #expect(Self.tagged.toHub(Self.tagged.toSpoke(hub)) == hub)
    }

    @Test func paddedCategorySettingIsStrippedAsItIsAdded() {
        let v = F.view(categorizeAs: " Sales ")
        let written = v.toSpoke(F.person("Ada"))
        #expect(written.categories == ["Sales"])
        #expect(v.toHub(written).categories == [])
    }

    @Test func untrimmedCategoryFromTheSourceIsStripped() {
        let fromSource = Contact(givenName: "Ada", categories: [" HubSync ", "VIP"])
        #expect(Self.tagged.toHub(fromSource).categories == ["VIP"])
    }

    @Test func blankCategorySettingAddsNothing() {
        let v = F.view(categorizeAs: "  ")
        #expect(v.toSpoke(F.person("Ada")).categories == [])
        #expect(v.toHub(F.person("Ada", categories: ["VIP"])).categories == ["VIP"])
    }

    /// The spoke cannot say whether the hub has its own category for reasons of its own (another
    /// spoke put it there): that membership is not the spoke's to change.
    @Test func hubMembershipOfTheSpokeCategoryIsNotTheSpokes() {
        let v = F.view(categorizeAs: "Sales")
        let hub = F.person("Ada", categories: ["Sales", "VIP"])
        let back = v.toHub(v.toSpoke(hub))
        #expect(back.categories == ["VIP"])
        #expect(v.sameInSpoke(back, hub))
        #expect(Set(v.restrict(back, to: hub).categories) == ["Sales", "VIP"])
        #expect(v.restrict(hub, to: F.person("Ada", categories: ["VIP"])).categories == ["VIP"])
        // Other categories still count.
        #expect(!v.sameInSpoke(back.with { $0.categories = [] }, hub))
    }

    static let mapped = F.view(mappings: [
        FieldMapping(spokeField: .text(.department), hubField: "Region"),
        FieldMapping(spokeField: .custom("X-TIER"), hubField: "Tier"),
    ])

    @Test func mappingInbound() {
        let spoke = Contact(givenName: "Ada", department: " EU ", custom: ["X-TIER": "gold", "X-JUNK": "1"])
        #expect(Self.mapped.toHub(spoke) == Contact(givenName: "Ada", custom: ["Region": "EU", "Tier": "gold"]))
        #expect(Self.mapped.toHub(Contact(givenName: "Ada")) == Contact(givenName: "Ada"))
    }

    @Test func mappingOutbound() {
        let hub = F.person("Ada", custom: ["Region": "EU", "Tier": "gold", "Private": "x"]).with { $0.department = "Maths" }
        #expect(Self.mapped.toSpoke(hub) == Contact(givenName: "Ada", department: "EU", custom: ["X-TIER": "gold"]))
        // No hub value: the spoke field is cleared (a mapped custom field as an empty value, so a
        // spoke that keeps custom fields an update does not name lets it go), the hub's own
        // department is not sent.
        #expect(Self.mapped.toSpoke(F.person("Ada").with { $0.department = "Maths" })
            == Contact(givenName: "Ada", custom: ["X-TIER": ""]))
    }

    @Test(arguments: [
        F.person("Ada", custom: ["Region": "EU", "Tier": "gold"]),
        F.person("Ada", custom: ["Tier": "gold"]),
        F.person("Ada"),
    ])
    func mappingRoundTrip(_ hub: Contact) {
        #expect(Self.mapped.toHub(Self.mapped.toSpoke(hub)) == hub)
    }

    @Test(arguments: [
        (ContactField.text(.givenName), true, true),
        (.text(.department), false, false),  // mapped: carried as custom Region
        (.text(.title), false, true),
        (.emails, true, true),
        (.phones, false, true),
        (.photo, false, true),
        (.categories, false, true),
        (.custom("Region"), true, true),
        (.custom("Tier"), true, true),
        (.custom("Private"), false, false),
    ])
    func carries(_ field: ContactField, _ limited: Bool, _ unlimited: Bool) {
        let caps: Set<ContactField> = [.text(.givenName), .text(.department), .emails]
        let withCaps = SpokeView(options: Self.mapped.options, capabilities: caps)
        #expect(withCaps.carries(field) == limited)
        #expect(Self.mapped.carries(field) == unlimited)
    }

    @Test func restrictTakesWhatTheSpokeCannotHoldFromTheHub() {
        let v = F.view(mappings: [FieldMapping(spokeField: .custom("X-TIER"), hubField: "Tier")],
                       capabilities: [.text(.givenName), .emails])
        let hub = F.person("Ada", "Lovelace", email: "ada@example.com", phone: "+1 555 010 2030",
                           custom: ["Tier": "gold", "Private": "x"])
            .with { $0.photo = Photo(data: Data([1])) }
        let spoke = F.person("Augusta", email: "a@b.org", custom: ["Tier": "silver"])
        let r = v.restrict(spoke, to: hub)
        #expect(r == hub.with {
            $0.givenName = "Augusta"
            $0.emails = [LabeledValue("a@b.org", label: .work)]
            $0.custom["Tier"] = "silver"
        })
        // A mapped field the spoke cleared is cleared; an unmapped one is kept.
        #expect(v.restrict(F.person("Ada"), to: hub).custom == ["Private": "x"])
    }

    @Test func sameInSpoke() {
        let v = F.view(mappings: [FieldMapping(spokeField: .custom("X-TIER"), hubField: "Tier")],
                       capabilities: [.text(.givenName), .emails])
        let a = F.person("Ada", email: "ada@example.com", custom: ["Tier": "gold"])
        #expect(v.sameInSpoke(a, a))
        #expect(v.sameInSpoke(a.with { $0.photo = Photo(data: Data([1])) }, a))
        #expect(v.sameInSpoke(a.with { $0.title = "Countess" }, a))
        #expect(v.sameInSpoke(a.with { $0.custom["Private"] = "x" }, a))
        #expect(!v.sameInSpoke(a.with { $0.givenName = "Augusta" }, a))
        #expect(!v.sameInSpoke(a.with { $0.emails = [] }, a))
        #expect(!v.sameInSpoke(a.with { $0.custom["Tier"] = nil }, a))
        #expect(!F.view().sameInSpoke(a.with { $0.title = "Countess" }, a))
        // Order of entries is no difference.
        let two = a.with { $0.emails.append(LabeledValue("b@x.org")) }
        #expect(v.sameInSpoke(two.with { $0.emails.reverse() }, two))
    }
}
