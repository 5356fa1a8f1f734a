import Foundation
import SyncModel
import Testing
import TestSupport
@testable import PIMFormats

@Suite struct MalformedTests {
    private func error(_ text: String) -> VCardError? {
        do {
            _ = try VCardParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["", "   \n\r\n\t\n"])
    func emptyInput(text: String) {
        #expect(error(text)?.message == "no vCard found")
        #expect(VCardParser.parseAll(text).isEmpty)
    }

    @Test func missingEnd() {
        let e = error("BEGIN:VCARD\nVERSION:3.0\nFN:Half\n")
        #expect(e == VCardError("vCard is not terminated (missing END:VCARD)", line: 1))
        #expect(e?.description == "vCard error at line 1: vCard is not terminated (missing END:VCARD)")
    }

    @Test func missingBegin() {
        #expect(error("VERSION:3.0\nFN:Nobody\nEND:VCARD\n")?.message == "expected BEGIN:VCARD")
        #expect(error("FN:x\nEND:VCARD")?.line == 1)
    }

    @Test func badBase64Photo() {
        let e = error("BEGIN:VCARD\nVERSION:3.0\nFN:P\nPHOTO;ENCODING=b;TYPE=JPEG:not*base64!!\nEND:VCARD")
        #expect(e == VCardError("invalid base64 data in PHOTO", line: 4))
        let e4 = error("BEGIN:VCARD\nVERSION:4.0\nPHOTO:data:image/png;base64,@@@@\nEND:VCARD")
        #expect(e4?.line == 3)
        #expect(error("BEGIN:VCARD\nVERSION:4.0\nPHOTO:data:image/png;base64\nEND:VCARD")?.line == 3)
    }

    @Test func garbageLineInsideCardIsSkippedAndReported() throws {
        let read = VCardParser.read(data: Data("BEGIN:VCARD\nVERSION:3.0\nFN:x\nthis is not a property\nEND:VCARD".utf8))
        #expect(read.count == 1)
        #expect(try read[0].result.get().contact.displayName == "x")
        #expect(read[0].skipped == [VCardSkippedLine(error: VCardError("malformed content line", line: 4), raw: "this is not a property")])
        #expect(VCardParser.read(data: Data("BEGIN:VCARD\nBAD NAME:x\nEND:VCARD".utf8))[0].skipped.map(\.error.line) == [2])
        let quote = VCardParser.read(data: Data("BEGIN:VCARD\nX-P;A=\"open:x\nEND:VCARD".utf8))[0]
        #expect(quote.skipped.map(\.error.message) == ["unterminated quoted parameter value"])
        #expect(error("BEGIN:VCARD\nVERSION:9.9\nEND:VCARD")?.message == "unsupported VERSION 9.9")
    }

    @Test func binaryGarbage() {
        var rng = SeededRandom(seed: 42)
        let bytes = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(throws: VCardError.self) { try VCardParser.parse(data: Data(bytes)) }
        #expect(throws: VCardError.self) { try VCardParser.parse(data: Data([0, 0, 0xFF, 0xFE, 0x00])) }
        #expect(throws: VCardError.self) { try VCardParser.parse(String(decoding: bytes, as: UTF8.self)) }
    }

    @Test func moreThanOneCardIsAnErrorForParse() {
        let two = Fixtures.google + "\n" + Fixtures.android21
        #expect(error(two)?.message == "found 2 vCards where one was expected")
    }

    @Test func parseAllKeepsTheGoodCards() throws {
        let text = [
            Fixtures.google,
            "BEGIN:VCARD\nVERSION:3.0\nFN:Broken photo\nPHOTO;ENCODING=b:%%%\nEND:VCARD",
            "some junk between cards\nmore junk",
            Fixtures.nextcloud,
            "BEGIN:VCARD\nVERSION:3.0\nFN:No end",
            Fixtures.android21,
            "END:VCARD",
        ].joined(separator: "\n")
        let results = VCardParser.parseAll(text)
        #expect(results.count == 7)
        let good = results.compactMap { try? $0.get() }
        #expect(good.map(\.contact.familyName) == ["Lovelace", "Hopper", "Doe"])
        let errors = results.compactMap { r -> VCardError? in
            if case .failure(let e) = r { return e } else { return nil }
        }
        #expect(errors.map(\.message) == [
            "invalid base64 data in PHOTO", "expected BEGIN:VCARD", "vCard is not terminated (missing END:VCARD)",
            "END:VCARD without BEGIN:VCARD",
        ])
        #expect(errors.allSatisfy { $0.line != nil })
    }

    /// Truncated and bit-flipped copies of real cards must fail cleanly or parse, never trap.
    @Test func mutatedInputNeverCrashes() {
        var rng = SeededRandom(seed: 7)
        let sources = [Fixtures.apple, Fixtures.outlook, Fixtures.nextcloud, Fixtures.android21].map { Array($0.utf8) }
        for i in 0..<2000 {
            var b = sources[i % sources.count]
            switch rng.next() % 3 {
            case 0: b = Array(b.prefix(Int(rng.next() % UInt64(b.count))))
            case 1:
                for _ in 0..<8 { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            default:
                let at = Int(rng.next() % UInt64(b.count))
                b.insert(contentsOf: [0x3D, 0x0D, 0x5C, 0x22, 0x3B, 0x3A, 0x0A, 0x20], at: at)
            }
            for r in VCardParser.parseAll(data: Data(b)) {
                if case .success(let card) = r {
                    _ = VCardWriter.write(card, version: .v4)
                }
            }
        }
    }
}
