import Foundation
import SyncModel
import Testing
@testable import PIMFormats

@Suite struct ToleranceTests {
    static let basic = "BEGIN:VCARD\nVERSION:3.0\nN:Smith;John;;;\nFN:John Smith\nTEL;TYPE=work:123\nEND:VCARD\n"

    @Test(arguments: ["\r\n", "\n", "\r"])
    func lineEndings(eol: String) throws {
        let c = try VCardParser.parse(Self.basic.replacingOccurrences(of: "\n", with: eol)).contact
        #expect(c.givenName == "John" && c.familyName == "Smith")
        #expect(c.phones == [LabeledValue("123", label: .work)])
    }

    @Test func bomBlankLinesTrailingWhitespaceAndCase() throws {
        let text = "\u{FEFF}\n\nbegin:vcard  \r\nversion:3.0\r\n\r\nn:Smith;John;;;  \r\nfn:John Smith\t\r\n"
            + "tel;type=WORK:123 \r\n\r\nend:VCARD\r\n\r\n"
        let card = try VCardParser.parse(text)
        #expect(card.contact.familyName == "Smith")
        #expect(card.contact.displayName == "John Smith")
        #expect(card.contact.phones == [LabeledValue("123", label: .work)])
        #expect(card.unknown.isEmpty)
        let data = Data([0xEF, 0xBB, 0xBF]) + Data(Self.basic.utf8)
        #expect(try VCardParser.parse(data: data).contact.givenName == "John")
    }

    @Test func missingVersionDefaultsTo30() throws {
        let card = try VCardParser.parse("BEGIN:VCARD\nFN:No Version\nEND:VCARD")
        #expect(card.version == .v3)
        #expect(card.contact.displayName == "No Version")
    }

    @Test(arguments: [
        "TEL;TYPE=work,voice:1", "TEL;TYPE=WORK;TYPE=pref:1", "TEL;WORK;PREF:1", "tel;type=\"voice,work\":1",
        "TEL;type=Work;PREF=1:1", "item9.TEL:1\nitem9.X-ABLabel:_$!<Work>!$_", "TEL;TYPE=x-work:1",
    ])
    func typeParameterForms(line: String) throws {
        let c = try VCardParser.parse("BEGIN:VCARD\nVERSION:3.0\n\(line)\nTEL:2\nEND:VCARD").contact
        let pref = line.lowercased().contains("pref")
        #expect(c.phones == [LabeledValue("1", label: .work, preferred: pref), LabeledValue("2")])
    }

    @Test func preferredEntryMovesFirst() throws {
        let text = "BEGIN:VCARD\nVERSION:4.0\nEMAIL:a@x\nEMAIL;PREF=2:b@x\nEMAIL;PREF=1:c@x\nEMAIL:d@x\nEND:VCARD"
        #expect(try VCardParser.parse(text).contact.emails.map(\.value) == ["c@x", "b@x", "a@x", "d@x"])
    }

    @Test(arguments: [
        ("UTF-8", "M=C3=BCller =E2=82=AC", "Müller €"),
        ("ISO-8859-1", "M=FCller =A4", "Müller ¤"),
        ("Windows-1252", "M=FCller =80 =85", "Müller € …"),
        ("", "M=C3=BCller", "Müller"),
    ])
    func quotedPrintableCharsets(charset: String, encoded: String, expected: String) throws {
        let cs = charset.isEmpty ? "" : ";CHARSET=\(charset)"
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE\(cs):\(encoded)\r\nEND:VCARD\r\n"
        #expect(try VCardParser.parse(text).contact.notes == expected)
    }

    @Test func quotedPrintableSoftBreaksAcrossLines() throws {
        let text = """
            BEGIN:VCARD
            VERSION:2.1
            NOTE;QUOTED-PRINTABLE;CHARSET=UTF-8:Zeile eins=0D=0AZ=
            eile zw=C3=
            =A4lf=  
            !
            FN;ENCODING=QUOTED-PRINTABLE:Ende
            END:VCARD
            """
        let c = try VCardParser.parse(text).contact
        #expect(c.notes == "Zeile eins\nZeile zwälf!")
        #expect(c.displayName == "Ende")
    }

    @Test func latin1BytesWithoutQuotedPrintable() throws {
        var bytes = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN;CHARSET=ISO-8859-1:M".utf8) + [0xFC]
        bytes += Array("ller;J".utf8) + [0xFC] + Array("rgen;;;\r\nNOTE:".utf8) + [0x93, 0x80, 0x94]
        bytes += Array("\r\nEND:VCARD\r\n".utf8)
        let c = try VCardParser.parse(data: Data(bytes)).contact
        #expect(c.familyName == "Müller" && c.givenName == "Jürgen")
        #expect(c.notes == "“€”")
    }

    @Test func utf16WithBOM() throws {
        let data = try #require(Self.basic.replacingOccurrences(of: "John", with: "Jöhn").data(using: .utf16))
        #expect(try VCardParser.parse(data: data).contact.givenName == "Jöhn")
    }

    @Test(arguments: [
        ("1985-03-15", PartialDate(year: 1985, month: 3, day: 15)),
        ("19850315", PartialDate(year: 1985, month: 3, day: 15)),
        ("--0315", PartialDate(year: nil, month: 3, day: 15)),
        ("--03-15", PartialDate(year: nil, month: 3, day: 15)),
        ("1985-03-15T00:00:00Z", PartialDate(year: 1985, month: 3, day: 15)),
        ("19850315T120000", PartialDate(year: 1985, month: 3, day: 15)),
        ("--0315T0900", PartialDate(year: nil, month: 3, day: 15)),
    ])
    func dateForms(raw: String, expected: PartialDate) throws {
        let text = "BEGIN:VCARD\nVERSION:4.0\nBDAY:\(raw)\nANNIVERSARY:\(raw)\nEND:VCARD"
        let c = try VCardParser.parse(text).contact
        #expect(c.birthday == expected && c.anniversary == expected)
        let v3 = "BEGIN:VCARD\nVERSION:3.0\nX-ANNIVERSARY:\(raw)\nEND:VCARD"
        #expect(try VCardParser.parse(v3).contact.anniversary == expected)
    }

    @Test(arguments: ["1985-13-01", "circa 1800", "1985-03", "---15", "1985-0315", "T1200"])
    func unusableDatesAreKeptAsUnknown(raw: String) throws {
        let card = try VCardParser.parse("BEGIN:VCARD\nVERSION:4.0\nBDAY;VALUE=text:\(raw)\nEND:VCARD")
        #expect(card.contact.birthday == nil)
        let kept = VCardProperty(name: "BDAY", params: [VCardParameter(name: "VALUE", values: ["text"])], value: raw)
        #expect(card.unknown == [kept])
    }

    @Test func instantMessagingProperties() throws {
        let text = """
            BEGIN:VCARD
            VERSION:3.0
            IMPP;X-SERVICE-TYPE=Jabber;TYPE=work:xmpp:j@example.org
            X-JABBER;TYPE=WORK:j@example.org
            X-AIM;TYPE=HOME:aimuser
            X-SKYPE:live:someone
            X-ICQ:12345
            END:VCARD
            """
        #expect(try VCardParser.parse(text).contact.ims == [
            LabeledValue("xmpp:j@example.org", label: .work), LabeledValue("aim:aimuser", label: .home),
            LabeledValue("skype:live:someone"), LabeledValue("icq:12345"),
        ])
    }

    @Test func xPropertiesBecomeCustomFields() throws {
        let text = """
            BEGIN:VCARD
            VERSION:3.0
            X-Foo:bar\\, baz
            X-FOO:second spelling
            X-Foo:repeat
            X-HUBSYNC-FIELD;X-NAME=Cost Centre:4711
            X-HUBSYNC-FIELD:no name
            X-ABLabel:ungrouped
            END:VCARD
            """
        let card = try VCardParser.parse(text)
        #expect(card.contact.custom == [
            "X-Foo": "bar, baz", "X-FOO": "second spelling", "Cost Centre": "4711", "X-ABLabel": "ungrouped",
        ])
        #expect(card.unknown.map(\.value) == ["repeat", "no name"])
    }
}
