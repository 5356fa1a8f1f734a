@testable import ConnectorGraph
import Foundation
import SyncModel
import Testing

/// The phones Graph has no property for, as MAPI extended properties: pure, no server.
@Suite struct GraphPhoneSlotTests {
    static let faxes = Contact(givenName: "Fay", phones: [
        LabeledValue("+1 555 0100", label: .mobile), LabeledValue("+1 555 0101", label: .workFax),
        LabeledValue("+1 555 0102", label: .homeFax), LabeledValue("+1 555 0103", label: .fax),
        LabeledValue("+1 555 0104", label: .pager), LabeledValue("+1 555 0105", label: .other),
        LabeledValue("+1 555 0106", label: .main), LabeledValue("+1 555 0107", label: .school),
    ])

    @Test func aCreateCarriesEachPhoneInItsMAPIPropertyBesideTheMarker() throws {
        let marker = CreateMarker(hub: "h1", item: "i1")
        let body = ContactMapping.create(Self.faxes, marker: marker.description)
        let props = ExtendedProperties.values(body)
        #expect(props["string 0x3a24"] == "+1 555 0101")  // PidTagBusinessFaxNumber
        #expect(props["string 0x3a25"] == "+1 555 0102")  // PidTagHomeFaxNumber
        #expect(props["string 0x3a23"] == "+1 555 0103")  // PidTagPrimaryFaxNumber ("other fax")
        #expect(props["string 0x3a21"] == "+1 555 0104")  // PidTagPagerTelephoneNumber
        #expect(props["string 0x3a1f"] == "+1 555 0105")  // PidTagOtherTelephoneNumber
        #expect(props["string 0x3a1a"] == "+1 555 0106")  // PidTagPrimaryTelephoneNumber
        #expect(props["string 0x3a02"] == "+1 555 0107")  // a label Outlook has no slot for: the next "other" one
        #expect(Marker.read(body) == marker)
        // Nothing empty is sent, and the mobile phone is Graph's own property.
        #expect(props.count == 8)
        #expect(body["mobilePhone"] == .string("+1 555 0100"))
        #expect(body.keys.allSatisfy { !$0.hasPrefix("ext:") })
    }

    @Test func whatIsWrittenReadsBackAndFitSaysSo() {
        let wire = ContactMapping.create(Self.faxes, marker: "m")
        let back = ContactMapping.contact(wire)
        #expect(back.phones.map(\.label) == [.mobile, .main, .workFax, .homeFax, .fax, .pager, .other, .other])
        #expect(back == ContactMapping.fit(Self.faxes))
        #expect(ContactMapping.fit(back) == back)
    }

    @Test func aPatchNamesOnlyThePhonePropertiesThatChangeAndEmptiesAClearedOne() {
        var there = ContactMapping.create(Self.faxes, marker: "m")
        there["id"] = .string("AAMk1")
        var c = ContactMapping.contact(there)
        #expect(ContactMapping.patch(c, there: there).isEmpty)
        c.phones.removeAll { $0.label == .pager }
        c.phones[c.phones.firstIndex { $0.label == .workFax }!].value = "+1 555 0199"
        let patch = ContactMapping.patch(c, there: there)
        #expect(patch.keys.sorted() == ["singleValueExtendedProperties"])
        let sent = ExtendedProperties.values(patch)
        #expect(sent == ["string 0x3a24": "+1 555 0199", "string 0x3a21": ""])
    }

    @Test func aFaxRelabelledMovesToItsSlotAndTheOthersStay() {
        let there = ContactMapping.create(Self.faxes, marker: "m")
        var c = ContactMapping.contact(there)
        let i = c.phones.firstIndex { $0.value == "+1 555 0101" }!
        c.phones[i].label = .homeFax
        let j = c.phones.firstIndex { $0.value == "+1 555 0102" }!
        c.phones[j].label = .workFax
        let sent = ExtendedProperties.values(ContactMapping.patch(c, there: there))
        #expect(sent == ["string 0x3a24": "+1 555 0102", "string 0x3a25": "+1 555 0101"])
    }

    @Test func theExpandAsksForTheMarkerThePhonesAndThePhotoFlagAndNothingElse() {
        let expand = ExtendedProperties.expand
        #expect(expand.hasPrefix("singleValueExtendedProperties($filter=id eq '"))
        #expect(expand.contains(Marker.propertyID) && expand.contains("id eq 'String 0x3A24'"))
        #expect(expand.contains("Boolean {00062004-0000-0000-C000-000000000046} Id 0x8015"))
        #expect(expand.components(separatedBy: " or ").count == PhoneSlots.extended.count + 2)
        let flag: JSONValue = .object(["id": .string("boolean {00062004-0000-0000-c000-000000000046} id 0x8015"), "value": .string("true")])
        let flagged: JSONObject = ["singleValueExtendedProperties": .array([flag])]
        #expect(ExtendedProperties.hasPicture(flagged) == true)
        #expect(GraphSpoke.mayHavePhoto(flagged))
        #expect(!GraphSpoke.mayHavePhoto(["singleValueExtendedProperties": .array([])]))
        #expect(!GraphSpoke.mayHavePhoto([:]))
    }
}
