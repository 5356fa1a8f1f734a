import Foundation
import Testing
@testable import PIMFormats

/// A card past `VCardLimits` fails alone, with a clear reason; the cards around it are read.
@Suite struct LimitTests {
    static func card(_ given: String, _ extra: String = "") -> String {
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(given) X\r\nN:X;\(given);;;\r\n\(extra)END:VCARD\r\n"
    }

    func read(_ cards: [String]) -> [ParsedCard] { VCardParser.read(data: Data(cards.joined().utf8)) }

    @Test func aLineTooLongFailsItsCardOnly() {
        // Folded, as a photo is: the limit is on the unfolded line.
        let chunk = String(repeating: "A", count: 74)
        let lines = VCardLimits.maxLineBytes / 74 + 2
        let photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + String(repeating: chunk + "\r\n ", count: lines) + "A\r\n"
        let parsed = read([Self.card("Ann"), Self.card("Huge", photo), Self.card("Bob")])
        #expect(parsed.count == 3)
        #expect((try? parsed[0].result.get())?.contact.givenName == "Ann")
        #expect((try? parsed[2].result.get())?.contact.givenName == "Bob")
        guard case .failure(let e) = parsed[1].result else { Issue.record("the huge card was read"); return }
        #expect(e.description == "vCard error at line 10: line 10 is longer than 10 MB: the card is not read")
        #expect(parsed[1].lines.lowerBound == 6)
    }

    @Test func aCardTooLargeOrWithTooManyLinesFailsAlone() {
        let notes = String(repeating: "NOTE:" + String(repeating: "n", count: 100_000) + "\r\n",
                           count: VCardLimits.maxCardBytes / 100_000 + 1)
        let emails = (0...VCardLimits.maxCardLines).map { "EMAIL:e\($0)@example.com\r\n" }.joined()
        let parsed = read([Self.card("Big", notes), Self.card("Ann"), Self.card("Many", emails)])
        #expect(parsed.count == 3)
        #expect((try? parsed[1].result.get())?.contact.givenName == "Ann")
        guard case .failure(let big) = parsed[0].result, case .failure(let many) = parsed[2].result else {
            Issue.record("an oversized card was read"); return
        }
        #expect(big.message == "the card is larger than 16 MB: it is not read")
        #expect(many.message == "the card has more than 10000 lines: it is not read")
    }
}
