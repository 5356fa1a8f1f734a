import Foundation
import SyncModel
import Testing
@testable import PIMFormats

/// Custom label text, the preferred flag, IM services and kinds of fax in vCard 2.1, 3.0 and 4.0.
@Suite struct LabelTests {
    static func card(_ lines: String, prodid: String? = nil) throws -> Contact {
        let p = prodid.map { "PRODID:\($0)\n" } ?? ""
        return try VCardParser.parse("BEGIN:VCARD\nVERSION:3.0\n\(p)FN:A\n\(lines)\nEND:VCARD").contact
    }

    @Test func customLabelsAreRead() throws {
        let c = try Self.card("""
            item1.TEL;TYPE=CELL:1
            item1.X-ABLabel:Cottage
            TEL;TYPE=x-Boat:2
            item2.EMAIL:a@x
            item2.X-ABLabel:_$!<Assistant>!$_
            item3.EMAIL:b@x
            item3.X-ABLabel:work
            """)
        #expect(c.phones == [LabeledValue("1", label: .mobile, customLabel: "Cottage"),
                             LabeledValue("2", customLabel: "Boat")])
        #expect(c.emails == [LabeledValue("a@x", customLabel: "Assistant"), LabeledValue("b@x", label: .work)])
    }

    @Test func faxKinds() throws {
        let c = try Self.card("""
            TEL;TYPE=WORK,FAX:1
            TEL;TYPE=HOME;TYPE=FAX:2
            TEL;TYPE=FAX:3
            item1.TEL:4
            item1.X-ABLabel:_$!<WorkFAX>!$_
            """)
        #expect(c.phones.map(\.label) == [.workFax, .homeFax, .fax, .workFax])
    }

    /// PREF marks a preferred value, except in cards HubSync wrote before the flag existed:
    /// their PREF only kept the order, and reading it as a choice would change every such card.
    @Test func preferredAndLegacyOrderMarks() throws {
        let lines = "EMAIL;TYPE=HOME,PREF:a@x\nEMAIL:b@x"
        #expect(try Self.card(lines).emails.map(\.preferred) == [true, false])
        #expect(try Self.card(lines, prodid: VCardWriter.productID).emails.map(\.preferred) == [true, false])
        #expect(try Self.card(lines, prodid: "-//HubSync//EN").emails.map(\.preferred) == [false, false])
        #expect(try Self.card(lines, prodid: "-//HubSync//EN").emails.map(\.value) == ["a@x", "b@x"])
    }

    @Test func imServices() throws {
        let c = try Self.card("""
            IMPP;X-SERVICE-TYPE=Facebook:xmpp:ada@chat.facebook.com
            IMPP;X-SERVICE-TYPE=Skype:skype:ada.l
            IMPP;X-SERVICE-TYPE=Signal:ada
            """)
        #expect(c.ims.map(\.service) == ["facebook", nil, "Signal"])
    }

    @Test(arguments: VCardVersion.allCases + [nil])
    func detailsRoundTrip(_ version: VCardVersion?) throws {
        let contact = Contact(
            displayName: "A",
            emails: [LabeledValue("a@x", label: .home, customLabel: "Cottage", preferred: true), LabeledValue("b@x")],
            phones: [LabeledValue("1", label: .workFax), LabeledValue("2", label: .homeFax), LabeledValue("3", label: .fax)],
            addresses: [PostalAddress(label: .work, city: "Ockham", customLabel: "Lab, east")],
            ims: [LabeledValue("xmpp:ada@x", label: .work), LabeledValue("ada", service: "Signal")])
        // An Apple group the card already uses is not reused for a label.
        let kept = VCardProperty(group: "item1", name: "X-ABRELATEDNAMES", value: "Jane")
        let card = VCard(version: version ?? .v3, contact: contact, unknown: [kept])
        let text = version.map { VCardWriter.write(card, version: $0) } ?? VCard21.write(card)
        #expect(!text.contains("item1.X-ABLabel"))
        let back = try VCardParser.parse(text)
        #expect(back.contact.normalized() == contact.normalized())
        #expect(back.unknown == [kept])
    }

    /// IMPP values are URIs: a bare handle of a service with a scheme is written with it, and
    /// the fit says so (what the hub would otherwise read back as an edit).
    @Test func bareHandlesGetTheirScheme() throws {
        let c = Contact(displayName: "A", ims: [LabeledValue("ada.l", service: "skype")])
        let text = VCardWriter.write(VCard(contact: c), version: .v4)
        #expect(text.contains("\r\nIMPP:skype:ada.l\r\n"))
        let back = try VCardParser.parse(text).contact
        #expect(back.ims == [LabeledValue("skype:ada.l")])
        #expect(VCardFit.fit(c).ims == back.ims)
    }
}
