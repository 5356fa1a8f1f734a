import SyncModel
import Testing
@testable import PIMFormats

/// An update written over a card another client wrote keeps every untouched line's bytes.
@Suite struct PatchTests {
    static let phoneCard = [
        "BEGIN:VCARD", "VERSION:3.0", "UID:ABC-1", "FN:Ludwig van Beethoven", "N:Beethoven;Ludwig;van;;",
        "EMAIL;TYPE=INTERNET,HOME:LUDWIG@Bonn.Example", "TEL;TYPE=HOME,VOICE:0049 228 981 750",
        "item1.TEL:+44 7700 900123", "item1.X-ABLabel:Boat",
        "NOTE:Symphonies: 9\\nString quartets: 16 🎻 and a line long enough to be fol",
        " ded by the client that wrote it", "END:VCARD",
    ].joined(separator: "\r\n") + "\r\n"

    func patched(_ edit: (inout Contact) -> Void) throws -> (text: String, card: VCard) {
        let old = try VCardParser.parse(Self.phoneCard)
        var contact = old.contact
        edit(&contact)
        let text = VCardPatch.write(old.updated(with: contact), over: Self.phoneCard, read: old)
        return (text, try VCardParser.parse(text))
    }

    @Test func aNoteEditRewritesTheNoteLineOnly() throws {
        let (text, card) = try patched { $0.notes = "Edited" }
        let lines = Self.phoneCard.components(separatedBy: "\r\n")
        let want = (lines[0..<9] + ["NOTE:Edited", "END:VCARD", ""]).joined(separator: "\r\n")
        #expect(text == want)
        #expect(card.contact.notes == "Edited" && card.contact.phones.count == 2)
    }

    @Test func changedPhonesAreWrittenWhereTheyStoodAndNewFieldsBeforeTheEnd() throws {
        let (text, card) = try patched {
            $0.phones = [LabeledValue("0049 228 981 751", label: .home)]
            $0.title = "Composer"
        }
        #expect(text.contains("EMAIL;TYPE=INTERNET,HOME:LUDWIG@Bonn.Example\r\nTEL;TYPE=HOME:0049 228 981 751\r\nNOTE:Sym"))
        #expect(!text.contains("X-ABLabel") && !text.contains("PRODID"))
        #expect(text.hasSuffix("TITLE:Composer\r\nEND:VCARD\r\n"))
        #expect(card.contact.phones == [LabeledValue("0049 228 981 751", label: .home)] && card.contact.title == "Composer")
    }

    @Test func whatTheFieldsDoNotCoverFallsBackToAWholeWrite() throws {
        let old = try VCardParser.parse(Self.phoneCard)
        var contact = old.contact
        contact.custom["X-SHOE-SIZE"] = "44"
        let text = VCardPatch.write(old.updated(with: contact), over: Self.phoneCard, read: old)
        #expect(text == VCardWriter.write(old.updated(with: contact)))
    }

    @Test func onlyTheWritersOwnFormIsCanonical() throws {
        let card = try VCardParser.parse(Self.phoneCard)
        #expect(!VCardPatch.isCanonical(Self.phoneCard, card))
        let ours = VCardWriter.write(card)
        #expect(VCardPatch.isCanonical(ours, try VCardParser.parse(ours)))
        #expect(VCardPatch.isCanonical(ours.replacingOccurrences(of: "\r\n", with: "\n"), try VCardParser.parse(ours)))
        // Radicale stores cards through vobject, which gives the properties back sorted.
        let lines = ours.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let sorted = ([lines[0]] + lines.dropFirst().dropLast().sorted() + [lines.last!]).joined(separator: "\r\n") + "\r\n"
        let parsed = try VCardParser.parse(ours)
        #expect(sorted != ours && VCardPatch.isCanonical(sorted, parsed))
    }
}
