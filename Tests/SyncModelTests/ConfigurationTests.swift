import Foundation
import Testing
@testable import SyncModel

@Suite struct ConfigurationTests {
    @Test(arguments: [
        ("givenName", SpokeFieldRef.text(.givenName)),
        ("notes", .text(.notes)),
        ("organization", .text(.organization)),
        ("custom.Region", .custom("Region")),
        ("custom.a.b", .custom("a.b")),
        ("custom. ", .custom(" ")),
        ("custom.givenName", .custom("givenName")),
        ("custom.", nil),
        ("custom", nil),
        ("Custom.Region", nil),
        ("GivenName", nil),
        ("given_name", nil),
        ("emails", nil),  // only single-valued text fields can be mapped
        ("birthday", nil),
        ("", nil),
    ] as [(String, SpokeFieldRef?)])
    func parseFieldRef(_ text: String, _ expected: SpokeFieldRef?) {
        #expect(SpokeFieldRef(parsing: text) == expected)
    }

    @Test(arguments: TextField.allCases.map { SpokeFieldRef.text($0) } + [.custom("Region"), .custom("X-ABC.1")])
    func fieldRefDescriptionParsesBack(_ ref: SpokeFieldRef) {
        #expect(SpokeFieldRef(parsing: ref.description) == ref)
    }

    @Test func fieldRefDescriptions() {
        #expect(SpokeFieldRef.text(.familyName).description == "familyName")
        #expect(SpokeFieldRef.custom("Region").description == "custom.Region")
    }

    @Test(arguments: [
        ("hubsync:h1:i1", CreateMarker(hub: "h1", item: "i1")),
        ("hubsync:h1:i:with:colons", CreateMarker(hub: "h1", item: "i:with:colons")),
        ("hubsync::i1", nil),
        ("hubsync:h1:", nil),
        ("hubsync:h1", nil),
        ("HUBSYNC:h1:i1", nil),
        ("other:h1:i1", nil),
        ("", nil),
    ] as [(String, CreateMarker?)])
    func parseMarker(_ text: String, _ expected: CreateMarker?) {
        #expect(CreateMarker(parsing: text) == expected)
    }

    @Test func markerDescriptionParsesBack() {
        let m = CreateMarker(hub: "hub-1", item: "0A1B")
        #expect(m.description == "hubsync:hub-1:0A1B")
        #expect(CreateMarker(parsing: m.description) == m)
    }

    @Test(arguments: [
        (SpokeFilter(), true),
        (SpokeFilter(categories: ["x"]), false),
        (SpokeFilter(companies: ["x"]), false),
        (SpokeFilter(emailDomains: ["x"]), false),
        (SpokeFilter(requireEmail: true), false),
        (SpokeFilter(requirePhone: true), false),
    ])
    func filterIsEmpty(_ f: SpokeFilter, _ empty: Bool) {
        #expect(f.isEmpty == empty)
    }

    @Test func defaults() {
        let g = DeletionGuard()
        #expect(g.percent == 20)
        #expect(g.minimum == 5)
        let o = SpokeOptions()
        #expect(o.twoWay)
        #expect(o.categorizeAs == nil)
        #expect(o.filter.isEmpty)
        #expect(o.fieldMappings.isEmpty)
        let h = HubConfig(id: "h", name: "Hub")
        #expect(h.deletionGuard == DeletionGuard(percent: 20, minimum: 5))
        #expect(h.scheduleMinutes == nil)
    }

    @Test func spokeConfigJSONRoundTrip() throws {
        let s = SpokeConfig(
            id: "s1", hub: "h1", name: "Sales Exchange", kind: .ews, position: 2,
            options: SpokeOptions(
                twoWay: false, categorizeAs: "HubSync",
                filter: SpokeFilter(categories: ["Customers"], emailDomains: ["example.com"], requirePhone: true),
                fieldMappings: [
                    FieldMapping(spokeField: .text(.department), hubField: "Region"),
                    FieldMapping(spokeField: .custom("X-TIER"), hubField: "Tier"),
                ]),
            settings: ["url": "https://ews.example/EWS/Exchange.asmx"])
        let data = try JSONEncoder().encode(s)
        #expect(try JSONDecoder().decode(SpokeConfig.self, from: data) == s)
        let h = HubConfig(id: "h1", name: "Hub", deletionGuard: DeletionGuard(percent: 10, minimum: 3), scheduleMinutes: 15)
        #expect(try JSONDecoder().decode(HubConfig.self, from: JSONEncoder().encode(h)) == h)
    }

    @Test func identifiersEncodeAsPlainStrings() throws {
        let id: ItemID = "abc"
        #expect(String(decoding: try JSONEncoder().encode(id), as: UTF8.self) == "\"abc\"")
        #expect(try JSONDecoder().decode(ItemID.self, from: Data("\"xyz\"".utf8)) == ItemID("xyz"))
        #expect(ItemID("a") < ItemID("b"))
        #expect(ItemID("a").description == "a")
    }

    @Test func contactJSONRoundTrip() throws {
        let c = Contact(
            givenName: "Ada", birthday: PartialDate(year: nil, month: 12, day: 10),
            emails: [LabeledValue("ada@example.com", label: .work)], photo: Photo(data: Data([9, 8])),
            custom: ["Region": "EU"])
        #expect(try JSONDecoder().decode(Contact.self, from: JSONEncoder().encode(c)) == c)
    }

    @Test func contactFields() {
        #expect(ContactField.fixed.count == TextField.allCases.count + 10)
        #expect(Set(ContactField.fixed).count == ContactField.fixed.count)
        #expect(ContactField.custom("Region").description == "custom.Region")
        #expect(ContactField.text(.title).description == "title")
        #expect(ContactField.emails.description == "emails")
    }

    @Test(arguments: TextField.allCases)
    func textFieldKeyPathsAreDistinct(_ f: TextField) {
        var c = Contact()
        c[keyPath: f.keyPath] = "x"
        let set = TextField.allCases.filter { c[keyPath: $0.keyPath] != nil }
        #expect(set == [f])
    }
}
