import Foundation
import SyncModel
import Testing
@testable import PIMFormats

@Suite struct RoundTripTests {
    @Test(arguments: VCardVersion.allCases)
    func fullContactRoundTrips(version: VCardVersion) throws {
        var card = Sample.fullCard
        card.version = version
        let text = VCardWriter.write(card, version: version)
        let back = try VCardParser.parse(text)
        #expect(back == card)
        #expect(back.contact == Sample.fullContact)
        // Writing again gives the same bytes: the round trip is a fixed point.
        #expect(VCardWriter.write(back, version: version) == text)
    }

    @Test func crossVersionKeepsTheContact() throws {
        let v3 = VCardWriter.write(Sample.fullCard, version: .v3)
        let v4 = VCardWriter.write(try VCardParser.parse(v3), version: .v4)
        let back = try VCardParser.parse(v4)
        #expect(back.version == .v4)
        #expect(back.contact == Sample.fullContact)
    }

    @Test func versionSpecificSyntax() {
        let v3 = VCardWriter.write(Sample.fullCard, version: .v3)
        let v4 = VCardWriter.write(Sample.fullCard, version: .v4)
        #expect(v3.hasPrefix("BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//HubSync//Contacts 2//EN\r\n"))
        #expect(v4.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//HubSync//Contacts 2//EN\r\n"))
        #expect(v3.contains("\r\nBDAY:1980-02-29\r\n"))
        #expect(v3.contains("\r\nX-ANNIVERSARY:--06-05\r\n"))
        #expect(v4.contains("\r\nBDAY:19800229\r\n"))
        #expect(v4.contains("\r\nANNIVERSARY:--0605\r\n"))
        #expect(v3.contains("\r\nEMAIL;TYPE=HOME,PREF:home@example.com\r\n"))
        #expect(v4.contains("\r\nEMAIL;TYPE=home;PREF=1:home@example.com\r\n"))
        #expect(v3.contains("\r\nTEL;TYPE=CELL:+1 555 0102\r\n"))
        // Only the preferred entry says PREF; work and home faxes are faxes of a kind.
        #expect(v3.contains("\r\nEMAIL;TYPE=WORK:work@example.com\r\n"))
        #expect(v3.contains("\r\nTEL;TYPE=WORK,FAX:+1 555 0108\r\n"))
        #expect(v4.contains("\r\nTEL;TYPE=home,fax:+1 555 0109\r\n"))
        // A custom label is an Apple label in a group of its own; a service the URI cannot say
        // is an X-SERVICE-TYPE.
        #expect(v3.contains("\r\nitem1.TEL:+1 555 0107\r\nitem1.X-ABLabel:Cottage\r\n"))
        #expect(v3.contains("\r\nitem2.ADR;TYPE=HOME:;;Elm\\, 3;Springfield;;;USA\r\nitem2.X-ABLabel:Summer\\, house\r\n"))
        #expect(v4.contains("\r\nIMPP;X-SERVICE-TYPE=Signal:john.signal\r\n"))
        #expect(v3.contains("\r\nPHOTO;ENCODING=b;TYPE=PNG:"))
        #expect(v4.contains("\r\nPHOTO:data:image/png;base64,"))
        #expect(v3.hasSuffix("\r\nEND:VCARD\r\n"))
    }

    @Test func customFieldsWrittenBareOrWrapped() {
        let text = VCardWriter.write(Sample.fullCard, version: .v3)
        #expect(text.contains("\r\nX-FOO:bar\r\n"))
        #expect(text.contains("\r\nx-lower:line\\nbreak\r\n"))
        #expect(text.contains("\r\nX-HUBSYNC-FIELD;X-NAME=Region:EMEA\\; North\r\n"))
        #expect(text.contains("\r\nX-HUBSYNC-FIELD;X-NAME=\"X-Weird Key\":v\r\n"))
        // A custom key that collides with an interpreted property is wrapped, not read back as an IM.
        #expect(text.contains("\r\nX-HUBSYNC-FIELD;X-NAME=X-AIM:not an IM\r\n"))
        #expect(text.contains("X-NAME=\"Spouse ^'name^'\""))
    }

    @Test(arguments: VCardVersion.allCases)
    func minimalContactStillHasFNAndN(version: VCardVersion) throws {
        let text = VCardWriter.write(VCard(contact: Contact(emails: [LabeledValue("a@b.example")])), version: version)
        #expect(text.contains("\r\nFN:a@b.example\r\n"))
        #expect(text.contains("\r\nN:;;;;\r\n") == (version == .v3))
        let back = try VCardParser.parse(text)
        #expect(back.contact == VCardFit.fit(Contact(emails: [LabeledValue("a@b.example")])))

        let empty = VCardWriter.write(VCard(), version: version)
        #expect(empty.contains("\r\nFN:\r\n"))
        #expect(try VCardParser.parse(empty).contact == Contact())
    }

    /// FN reads back as the display name even when it repeats the name (it once read back as
    /// none, so a hub display name equal to the name looked deleted in every vCard source).
    @Test func displayNameReadsBackAsWritten() throws {
        let same = Contact(givenName: "Ada", familyName: "Lovelace", displayName: "Ada Lovelace")
        let differs = Contact(givenName: "Ada", familyName: "Lovelace", displayName: "Countess of Lovelace")
        let a = try VCardParser.parse(VCardWriter.write(VCard(contact: same), version: .v3))
        let b = try VCardParser.parse(VCardWriter.write(VCard(contact: differs), version: .v3))
        #expect(a.contact.displayName == "Ada Lovelace")
        #expect(b.contact.displayName == "Countess of Lovelace")
        // Without a display name, FN is the composed name, or the nickname when nothing else names
        // the contact: it reads back as what `VCardFit` says a vCard keeps.
        for c in [Contact(nickname: "Bob"), Contact(givenName: "Ada", familyName: "Lovelace")] {
            let back = try VCardParser.parse(VCardWriter.write(VCard(contact: c), version: .v4))
            #expect(back.contact == VCardFit.fit(c))
        }
    }

    @Test(arguments: VCardVersion.allCases)
    func unknownPropertiesSurvive(version: VCardVersion) throws {
        let input = """
            BEGIN:VCARD
            VERSION:\(version.rawValue)
            FN:Unknown Keeper
            GEO:geo:37.386013,-122.082932
            TZ;VALUE=text:Europe/Berlin
            LABEL;TYPE=WORK:1 Main St\\nSpringfield
            KEY;ENCODING=b;TYPE=PGP:bXlrZXk=
            SOUND;VALUE=uri:https://example.com/name.ogg
            PHOTO;VALUE=uri:https://example.com/me.jpg
            item1.X-ABADR:us
            X-SOCIALPROFILE;TYPE=twitter;X-USER="a:b":https://twitter.com/x
            ROLE:Lead
            NOTE:first
            NOTE:second note
            END:VCARD
            """
        let card = try VCardParser.parse(input)
        #expect(card.contact.notes == "first")
        #expect(card.unknown.map(\.name) == [
            "GEO", "TZ", "LABEL", "KEY", "SOUND", "PHOTO", "X-ABADR", "X-SOCIALPROFILE", "ROLE", "NOTE",
        ])
        #expect(card.unknown[6].group == "item1")
        #expect(card.unknown[7].values(of: "x-user") == ["a:b"])
        let written = VCardWriter.write(card, version: version)
        for line in [
            "GEO:geo:37.386013,-122.082932", "TZ;VALUE=text:Europe/Berlin", "LABEL;TYPE=WORK:1 Main St\\nSpringfield",
            "KEY;ENCODING=b;TYPE=PGP:bXlrZXk=", "PHOTO;VALUE=uri:https://example.com/me.jpg", "item1.X-ABADR:us",
            "X-SOCIALPROFILE;TYPE=twitter;X-USER=\"a:b\":https://twitter.com/x", "NOTE:second note",
        ] {
            #expect(written.contains("\r\n\(line)\r\n"), "missing \(line)")
        }
        #expect(try VCardParser.parse(written) == card)
    }

    @Test func uidAndRevisionAreKept() throws {
        let card = try VCardParser.parse(Fixtures.apple)
        #expect(card.uid == "0E9B3A5C-1F2D-4C3B-9A8E-7D6C5B4A3F21")
        #expect(card.revision == "2024-01-15T10:20:30Z")
        let back = try VCardParser.parse(VCardWriter.write(card, version: .v3))
        #expect(back == card)
    }
}
