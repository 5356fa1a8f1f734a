import Foundation
import SyncModel
import Testing
@testable import PIMFormats

@Suite struct FoldingTests {
    static let longTexts = [
        String(repeating: "abcdefghij ", count: 40) + "end",
        String(repeating: "日本語のテキスト", count: 30),
        String(repeating: "🎉👩‍👩‍👧‍👦é", count: 25),
        String(repeating: "x", count: 74) + "ü" + String(repeating: "y", count: 73) + "€€",
    ]

    @Test(arguments: longTexts)
    func linesAreAtMost75OctetsAndUnfoldBack(text: String) throws {
        var card = VCard(contact: Contact(givenName: text, notes: text, custom: ["X-LONG": text]))
        card.contact.photo = Sample.photo
        for version in VCardVersion.allCases {
            card.version = version
            let out = VCardWriter.write(card, version: version)
            let lines = physicalLines(out)
            #expect(lines.count > 10)
            for line in lines {
                #expect(line.count <= 75)
                // Every physical line is valid UTF-8 on its own: no scalar was split.
                #expect(String(validating: line, as: UTF8.self) != nil)
            }
            #expect(!out.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            // As a vCard spoke reads it back (`VCardFit`: display name, travelling X- lines).
            #expect(try VCardParser.parse(out).identifiedContact == VCardFit.fit(card.contact))
        }
    }

    @Test func continuationLinesStartWithOneSpace() {
        let out = VCardWriter.write(VCard(contact: Contact(notes: String(repeating: "a", count: 200))), version: .v4)
        let note = physicalLines(out).map { String(decoding: $0, as: UTF8.self) }.drop { !$0.hasPrefix("NOTE:") }
        #expect(Array(note.prefix(4)) == [
            "NOTE:" + String(repeating: "a", count: 70), " " + String(repeating: "a", count: 74),
            " " + String(repeating: "a", count: 56), "END:VCARD",
        ])
    }

    @Test(arguments: ["\r\n ", "\r\n\t", "\n ", "\n\t", "\r "])
    func foldedInputIsUnfolded(fold: String) throws {
        let text = "BEGIN:VCARD\nVERSION:3.0\nFN:Jo\(fold)hn Sm\(fold)ith\nNO\(fold)TE:a\(fold)b\nEND:VCARD\n"
        let c = try VCardParser.parse(text).contact
        #expect(c.displayName == "John Smith")
        #expect(c.notes == "ab")
    }

    @Test func multibyteSplitByASloppyWriterIsRejoined() throws {
        // A writer that folded in the middle of "ü" (0xC3 0xBC): bytes are only valid once unfolded.
        var bytes = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:M".utf8) + [0xC3, 0x0D, 0x0A, 0x20, 0xBC]
        bytes += Array("ller\r\nEND:VCARD\r\n".utf8)
        #expect(try VCardParser.parse(data: Data(bytes)).contact.displayName == "Müller")
    }
}

@Suite struct EscapingTests {
    @Test func textValuesAreEscaped() {
        let c = Contact(
            givenName: "a;b", familyName: "x,y", notes: "back\\slash, comma; semi\nnew\r\nline",
            categories: ["one,two", "three"])
        let out = VCardWriter.write(VCard(contact: c), version: .v3)
        #expect(out.contains("\r\nNOTE:back\\\\slash\\, comma\\; semi\\nnew\\nline\r\n"))
        #expect(out.contains("\r\nN:x\\,y;a\\;b;;;\r\n"))
        #expect(out.contains("\r\nCATEGORIES:one\\,two,three\r\n"))
        #expect(out.contains("\r\nFN:a\\;b x\\,y\r\n"))
    }

    @Test func structuredValuesSplitOnlyOnUnescapedSeparators() throws {
        let text = #"""
            BEGIN:VCARD
            VERSION:3.0
            N:O\;Brien;Pat\,rick;;;
            ADR;TYPE=work:;;1 Main St\; Floor 2;Town\, North;;12345;Land
            ORG:Big\; Co;Sales;EMEA
            NOTE:a\\nb\Nc\,d\;e\:f\x
            CATEGORIES:a\,b,c,,d
            END:VCARD
            """#
        let c = try VCardParser.parse(text).contact
        #expect(c.familyName == "O;Brien" && c.givenName == "Pat,rick")
        #expect(c.addresses.first?.street == "1 Main St; Floor 2")
        #expect(c.addresses.first?.city == "Town, North")
        #expect(c.addresses.first?.postalCode == "12345")
        #expect(c.organization == "Big; Co" && c.department == "Sales, EMEA")
        #expect(c.notes == "a\\nb\nc,d;e:f\\x")
        #expect(c.categories == ["a,b", "c", "d"])
    }

    @Test func parameterValuesAreQuotedAndCaretEncoded() throws {
        let prop = VCardProperty(
            name: "X-THING", params: [VCardParameter(name: "X-P", values: ["a;b", "c\"d\ne^f", "plain"])],
            value: "v")
        let out = VCardWriter.write(VCard(unknown: [prop]), version: .v4)
        #expect(out.contains("\r\nX-THING;X-P=\"a;b\",c^'d^ne^^f,plain:v\r\n"))
        #expect(try VCardParser.parse(out).unknown == [prop])
    }

    @Test func urlsAreNotEscapedButToleratedWhenEscaped() throws {
        let c = Contact(websites: [LabeledValue("https://x.example/?a=1,2;b")])
        let out = VCardWriter.write(VCard(contact: c), version: .v3)
        #expect(out.contains("\r\nURL:https://x.example/?a=1,2;b\r\n"))
        #expect(try VCardParser.parse(out).contact == c)
    }
}
