import Foundation
import SyncModel
import Testing

@testable import ConnectorGoogle

/// Google's free `type` (custom label text), `sourcePrimary` (the preferred value), the IM
/// `protocol` (the service) and its fax types.
@Suite struct GoogleLabelMappingTests {
    static let contact = Contact(
        givenName: "Ada",
        emails: [LabeledValue("b@x.example", label: .home), LabeledValue("a@x.example", customLabel: "Assistant", preferred: true)],
        phones: [LabeledValue("1", label: .workFax), LabeledValue("2", label: .homeFax), LabeledValue("3", label: .fax)],
        addresses: [PostalAddress(label: .home, city: "Ockham", customLabel: "Summer house")],
        ims: [LabeledValue("xmpp:ada@jabber.example"), LabeledValue("ada.l", service: "GoogleTalk"),
              LabeledValue("ada", service: "Signal")]
    ).normalized()

    @Test func written() {
        let p = PersonMapping().person(Self.contact, marker: nil, groupIDs: [:])
        // The preferred value first, marked for Google; a custom label is the type as typed.
        #expect(p.emailAddresses?.map(\.value) == ["a@x.example", "b@x.example"])
        #expect(p.emailAddresses?.map(\.type) == ["Assistant", "home"])
        #expect(p.emailAddresses?.map(\.metadata) == [.init(sourcePrimary: true), nil])
        #expect(p.phoneNumbers?.map(\.type) == ["workFax", "homeFax", "otherFax"])
        #expect(p.addresses?.first?.type == "Summer house")
        #expect(p.addresses?.first?.metadata == nil)  // a single value: nothing to choose
        #expect(p.imClients?.map(\.username) == ["ada@jabber.example", "ada.l", "ada"])
        #expect(p.imClients?.map(\.protocol) == ["jabber", "googleTalk", "Signal"])
    }

    @Test func readBackIsTheContact() {
        let m = PersonMapping()
        let back = m.contact(m.person(Self.contact, marker: nil, groupIDs: [:]))
        var expected = Self.contact
        // Google holds a handle and its protocol, not the URI; the phones' first is Google's primary.
        expected.ims[0] = LabeledValue("ada@jabber.example", preferred: true, service: "jabber")
        expected.phones[0].preferred = true
        expected.addresses[0].label = .other  // the custom text is Google's whole type
        #expect(back == expected.normalized())
        #expect(GoogleSpoke.fitContact(Self.contact) == back)
    }

    /// Google marks one of several values primary whatever a client said: that is no choice of
    /// the user's, so the fit expects it, and an update of an unchanged field does not name it.
    @Test func googlesOwnPrimaryIsNoEdit() {
        let m = PersonMapping()
        let plain = Contact(givenName: "Ada", emails: [LabeledValue("a@x"), LabeledValue("b@x")]).normalized()
        var there = m.person(plain, marker: nil, groupIDs: [:])
        there.emailAddresses = there.emailAddresses?.enumerated().map { i, e in
            var e = e
            e.metadata = .init(primary: i == 0, sourcePrimary: i == 0 ? true : nil)
            return e
        }
        #expect(m.contact(there).emails.map(\.preferred) == [true, false])
        #expect(GoogleSpoke.fitContact(plain).emails == m.contact(there).emails)
        let desired = m.person(plain, base: there, marker: nil, groupIDs: [:])
        #expect(!UpdateMask.fields(desired, there: there, mapping: m, groupIDs: [:]).contains("emailAddresses"))
        // One value: primary says nothing.
        there.emailAddresses = [Person.Typed(value: "a@x", type: "other", metadata: .init(primary: true))]
        #expect(m.contact(there).emails == [LabeledValue("a@x")])
    }

    /// What HubSync wrote before protocols were mapped (a URI as the username) reads as it did.
    @Test func olderWritesReadAsBefore() {
        let p = Person(imClients: [Person.IM(username: "skype:ada.l", type: "other")])
        #expect(PersonMapping().contact(p).ims == [LabeledValue("skype:ada.l")])
    }
}
