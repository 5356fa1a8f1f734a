import Foundation
import Testing
import TestSupport
@testable import SyncModel

struct NamedContact: Sendable, CustomTestStringConvertible {
    let name: String
    let contact: Contact
    var testDescription: String { name }
}

@Suite struct CodecTests {
    static let full = Contact(
        namePrefix: "Lady", givenName: "Ada", middleName: "King", familyName: "Lovelace", nameSuffix: "I",
        nickname: "Enchantress", displayName: "Ada Lovelace", organization: "Analytical Engines",
        department: "Maths", title: "Countess", birthday: PartialDate(year: 1815, month: 12, day: 10),
        anniversary: PartialDate(year: nil, month: 7, day: 8), notes: "Line 1\nLine 2 — ünïcødé 🧮",
        emails: ContactLabel.allCases.map { LabeledValue("\($0.rawValue)@example.com", label: $0) },
        phones: [LabeledValue("+442079460958", label: .mobile), LabeledValue("+15550102030", label: .fax)],
        addresses: [
            PostalAddress(
                label: .home, poBox: "PO 1", extended: "Flat 2", street: "12 St James's Square", city: "London",
                region: "Greater London", postalCode: "SW1Y 4JH", country: "UK"),
            PostalAddress(label: .work, city: "Ockham"),
        ],
        websites: [LabeledValue("https://ada.example", label: .home)],
        ims: [LabeledValue("xmpp:ada@j.example", label: .work)],
        categories: ["VIP", "Friends", "Ünïcode"],
        photo: Photo(data: Data((0..<300).map { UInt8($0 % 256) }), mediaType: "image/png"),
        custom: ["Region": "EU", "Tier": "gold"])

    static let roundTrips: [NamedContact] = [
        NamedContact(name: "full", contact: full),
        NamedContact(name: "empty", contact: Contact()),
        NamedContact(name: "empty strings", contact: Contact(givenName: "", notes: "", custom: ["": ""])),
        NamedContact(name: "year-less and odd dates", contact: Contact(
            birthday: PartialDate(year: nil, month: 2, day: 29), anniversary: PartialDate(year: 0, month: 0, day: 0))),
        NamedContact(name: "negative and huge date values", contact: Contact(
            birthday: PartialDate(year: -5, month: -1, day: Int.max),
            anniversary: PartialDate(year: Int.max, month: Int.min, day: 1))),
        NamedContact(name: "large photo", contact: Contact(
            photo: Photo(data: Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }), mediaType: ""))),
        NamedContact(name: "empty photo", contact: Contact(photo: Photo(data: Data()))),
        NamedContact(name: "duplicates are kept", contact: Contact(
            emails: [LabeledValue("a@b.c"), LabeledValue("a@b.c")], categories: ["x", "x"])),
        NamedContact(name: "long string", contact: Contact(notes: String(repeating: "é", count: 10_000))),
        NamedContact(name: "many custom fields", contact: Contact(
            custom: Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", "v\($0)") }))),
    ]

    @Test(arguments: roundTrips)
    func roundTrip(_ c: NamedContact) throws {
        let bytes = ContactCodec.encode(c.contact)
        #expect(try ContactCodec.decode(bytes) == c.contact)
        #expect(try ContactCodec.decode(Data(bytes)) == c.contact)
        #expect(try ContactCodec.decode(([0xAA] + bytes).dropFirst()) == c.contact)
    }

    @Test func encodingIsStable() {
        #expect(ContactCodec.encode(Contact()) == [1])
        #expect(ContactCodec.encode(Contact(givenName: "A")) == [1, 2, 1, 0x41])
        #expect(ContactCodec.encode(Contact(birthday: PartialDate(year: 1815, month: 12, day: 10)))
            == [1, 20, 0x98, 0x0E, 12, 10])
        #expect(ContactCodec.encode(Contact(anniversary: PartialDate(year: nil, month: 3, day: 15)))
            == [1, 21, 0, 3, 15])
        #expect(ContactCodec.encode(Contact(phones: [LabeledValue("1", label: .mobile)])) == [1, 23, 2, 1, 0x31])
        // Custom fields in key order, so equal contacts encode equally.
        #expect(ContactCodec.encode(Contact(custom: ["b": "2", "a": "1"]))
            == [1, 29, 1, 0x61, 1, 0x31, 29, 1, 0x62, 1, 0x32])
    }

    static let garbage: [(String, [UInt8])] = [
        ("nothing", []),
        ("version 0", [0]),
        ("version 2", [2, 2, 1, 0x41]),
        ("tag 0", [1, 0]),
        ("tag after the text fields", [1, 12, 0]),
        ("tag 19", [1, 19, 0]),
        ("tag 40", [1, 40, 0]),
        ("tag 255", [1, 255]),
        ("missing length", [1, 2]),
        ("truncated string", [1, 2, 5, 0x41]),
        ("unterminated varint", [1, 2, 0xFF]),
        ("varint too long", [1, 2] + Array(repeating: 0xFF, count: 11)),
        ("negative length", [1, 2] + Array(repeating: 0xFF, count: 9) + [0x01]),
        ("negative length -2", [1, 27] + [0xFE] + Array(repeating: 0xFF, count: 8) + [0x01]),
        ("huge length", [1, 28, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        ("bad label", [1, 22, 10, 1, 0x41]),
        ("label 255", [1, 24, 255]),
        ("truncated address", [1, 24, 0, 0, 0, 0]),
        ("truncated date", [1, 20, 1, 1]),
        ("custom key without value", [1, 29, 1, 0x61]),
        ("photo without data", [1, 28, 0]),
    ]

    @Test(arguments: garbage)
    func garbageThrows(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: ContactCodec.DecodingError.self) { try ContactCodec.decode(bytes) }
    }

    /// A year varint of 2^63 is what year Int.max encodes to (year + 1, wrapping); it must decode,
    /// not trap on `y - 1`.
    @Test func extremeYearVarintDecodes() throws {
        let bytes: [UInt8] = [1, 20] + Array(repeating: 0x80, count: 9) + [0x01, 1, 1]
        #expect(try ContactCodec.decode(bytes).birthday == PartialDate(year: Int.max, month: 1, day: 1))
    }

    @Test func truncationThrowsOrYieldsAShorterContact() throws {
        let bytes = ContactCodec.encode(Self.full)
        // The last field is custom Tier=gold: 11 bytes. Cutting into it throws...
        for cut in 1...10 {
            #expect(throws: ContactCodec.DecodingError.self) { try ContactCodec.decode(bytes.dropLast(cut)) }
        }
        // ...cutting it off whole leaves a valid contact without it.
        var expected = Self.full
        expected.custom["Tier"] = nil
        #expect(try ContactCodec.decode(bytes.dropLast(11)) == expected)
        // No prefix crashes; only the full encoding gives the full contact.
        var decoded = 0
        for n in 0..<bytes.count {
            if let c = try? ContactCodec.decode(bytes.prefix(n)) {
                decoded += 1
                #expect(c != Self.full)
            }
        }
        #expect(decoded > 1)
        #expect(decoded < bytes.count / 4)
    }

    @Test(arguments: [1, 2, 3, 4])
    func randomBytesNeverCrash(_ seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        var threw = 0
        for _ in 0..<2_000 {
            let n = Int.random(in: 0..<64, using: &rng)
            var bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty { bytes[0] = 1 }
            do { _ = try ContactCodec.decode(bytes) } catch { threw += 1 }
        }
        #expect(threw > 1_000)
    }

    @Test(arguments: [10, 20, 30])
    func mutatedEncodingsNeverCrash(_ seed: UInt64) {
        let valid = ContactCodec.encode(Self.full)
        var rng = SeededRandom(seed: seed)
        for _ in 0..<2_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 1..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            _ = try? ContactCodec.decode(bytes)
        }
    }

    @Test func errorsDescribeTheProblem() {
        do {
            _ = try ContactCodec.decode([1, 99])
            Issue.record("decoded an unknown tag")
        } catch {
            #expect(error.description == "unknown contact field tag 99")
        }
    }
}

@Suite struct TextFieldTags {
    /// The codec and the hash tag text fields by their place in `TextField.allCases` (tag i + 1),
    /// as the schema's first rows.
    @Test func followTextFieldOrder() {
        for (i, f) in TextField.allCases.enumerated() {
            let spec = ContactSchema.schema.fields[i]
            #expect(spec.field == .text(f))
            #expect(spec.hash?.tag == UInt8(i + 1))
            #expect(spec.codec?.tag == UInt8(i + 1))
        }
    }
}
