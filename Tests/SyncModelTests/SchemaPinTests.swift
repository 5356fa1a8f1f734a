import Foundation
import Testing
import TestSupport
@testable import SyncModel

/// Byte-identity pins over every field at once: the codec's bytes (old databases), the content
/// hash (stored hashes), normalisation, the history's order and the blank check, computed with
/// the hand-written walks before the field-schema table replaced them. A walk that changes any
/// byte fails here.
@Suite struct SchemaPinTests {
    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
    static func bytes(_ hex: [String]) -> [UInt8] {
        let s = Array(hex.joined().utf8)
        return stride(from: 0, to: s.count, by: 2).map {
            UInt8(String(decoding: s[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }

    /// Tags 1-11 in text-field order, 20-23, 25, 26, then 24 (addresses after IM handles), 27-30,
    /// 32 (extensions), 31 (held forms), and 33 after each entry with label details.
    static let everythingBytes = [
        "0101044c616479020341646103044b696e6704084c6f76656c616365050149060b456e6368616e7472657373070c4164",
        "61204c6f76656c6163650812416e616c79746963616c20456e67696e657309054d617468730a08436f756e746573730b",
        "1d4c696e6520310a4c696e65203220e2809420c3bc6ec3af63c3b864c3a914980e0c0a1500070816010f616461406578",
        "616d706c652e636f6d16000b6140782e6578616d706c65210307436f74746167651702102b3434203230203739343620",
        "3039353817080b2b3120353535203031303019001368747470733a2f2f6164612e6578616d706c651907116874747073",
        "3a2f2f622e6578616d706c6521011a0112786d70703a616461406a2e6578616d706c651a07036164612104067369676e",
        "616c180004504f203106466c61742032143132205374204a616d6573277320537175617265064c6f6e646f6e0e477265",
        "61746572204c6f6e646f6e085357315920344a4802554b1807000000064f636b68616d00000021030c53756d6d657220",
        "686f7573651b035649501b07467269656e64731c09696d6167652f706e6705000102ff801d06526567696f6e0245551d",
        "045469657204676f6c641e0c75726e3a757569643a6164612007582d4142433a31200847454e4445523a461f1370686f",
        "6e653a2b343432303739343630393538102b343420323020373934362030393538",
    ]
    /// Normalised: preferred entries first, the rest as given.
    static let everythingNormalBytes = [
        "0101044c616479020341646103044b696e6704084c6f76656c616365050149060b456e6368616e7472657373070c4164",
        "61204c6f76656c6163650812416e616c79746963616c20456e67696e657309054d617468730a08436f756e746573730b",
        "1d4c696e6520310a4c696e65203220e2809420c3bc6ec3af63c3b864c3a914980e0c0a1500070816000b6140782e6578",
        "616d706c65210307436f747461676516010f616461406578616d706c652e636f6d1702102b3434203230203739343620",
        "3039353817080b2b3120353535203031303019071168747470733a2f2f622e6578616d706c6521011900136874747073",
        "3a2f2f6164612e6578616d706c651a0112786d70703a616461406a2e6578616d706c651a07036164612104067369676e",
        "616c1807000000064f636b68616d00000021030c53756d6d657220686f757365180004504f203106466c617420321431",
        "32205374204a616d6573277320537175617265064c6f6e646f6e0e47726561746572204c6f6e646f6e08535731592034",
        "4a4802554b1b035649501b07467269656e64731c09696d6167652f706e6705000102ff801d06526567696f6e0245551d",
        "045469657204676f6c641e0c75726e3a757569643a6164612007582d4142433a31200847454e4445523a461f1370686f",
        "6e653a2b343432303739343630393538102b343420323020373934362030393538",
    ]

    @Test func codecBytesOfEveryField() throws {
        let e = SchemaFixtures.everything
        #expect(Self.hex(ContactCodec.encode(e)) == Self.everythingBytes.joined())
        #expect(try ContactCodec.decode(Self.bytes(Self.everythingBytes)) == e)
        #expect(Self.hex(ContactCodec.encode(e.normalized())) == Self.everythingNormalBytes.joined())
        #expect(try ContactCodec.decode(Self.bytes(Self.everythingNormalBytes)) == e.normalized())
    }

    @Test func normalisedMessyContact() {
        let n = SchemaFixtures.messy.normalized()
        #expect(ContentHash(hashing: ContactCodec.encode(n)) == ContentHash(hex: "d5151994ab0f0a05"))
        #expect(n.normalized() == n)
    }

    @Test func contentHashOfEveryField() {
        let e = SchemaFixtures.everything, m = SchemaFixtures.messy
        #expect(e.rawContentHash == ContentHash(hex: "added4514b604cf6"))
        #expect(e.contentHash == ContentHash(hex: "added4514b604cf6"))
        #expect(m.contentHash == ContentHash(hex: "8df2d1e69af79d6f"))
        #expect(m.rawContentHash == ContentHash(hex: "32753cfeee23cb25"))
    }

    /// History lists text fields, dates, then emails, phones, websites, IM handles, addresses,
    /// categories, extensions, photo, custom fields.
    @Test func historyOrderAndText() {
        let e = SchemaFixtures.everything
        #expect(Contact().changes(to: e).map(\.description) == [
            "namePrefix: ∅ → 'Lady'",
            "givenName: ∅ → 'Ada'",
            "middleName: ∅ → 'King'",
            "familyName: ∅ → 'Lovelace'",
            "nameSuffix: ∅ → 'I'",
            "nickname: ∅ → 'Enchantress'",
            "displayName: ∅ → 'Ada Lovelace'",
            "organization: ∅ → 'Analytical Engines'",
            "department: ∅ → 'Maths'",
            "title: ∅ → 'Countess'",
            "notes: ∅ → 'Line 1\nLine 2 — ünïcødé'",
            "birthday: ∅ → '1815-12-10'",
            "anniversary: ∅ → '--07-08'",
            "emails: +ada@example.com (work) +a@x.example (home, “Cottage”, preferred)",
            "phones: ++44 20 7946 0958 (mobile) ++1 555 0100 (workFax)",
            "websites: +https://ada.example (home) +https://b.example (other, preferred)",
            "ims: +xmpp:ada@j.example (work) +ada (other, signal)",
            "addresses: +PO 1, Flat 2, 12 St James's Square, London, Greater London, SW1Y 4JH, UK (home) +Ockham (other, “Summer house”, preferred)",
            "categories: +VIP +Friends",
            "extensions: +X-ABC:1 +GENDER:F",
            "photo: ∅ → 'image/png, 5 bytes'",
            "custom.Region: ∅ → 'EU'",
            "custom.Tier: ∅ → 'gold'",
        ])
        #expect(e.normalized().changes(to: SchemaFixtures.messy.normalized()).map(\.description) == [
            "namePrefix: 'Lady' → ∅",
            "middleName: 'King' → ∅",
            "nameSuffix: 'I' → ∅",
            "nickname: 'Enchantress' → ∅",
            "displayName: 'Ada Lovelace' → ∅",
            "organization: 'Analytical Engines' → ∅",
            "department: 'Maths' → ∅",
            "notes: 'Line 1\nLine 2 — ünïcødé' → 'note'",
            "birthday: '1815-12-10' → ∅",
            "anniversary: '--07-08' → '--02-29'",
            "emails: +d@x (other, preferred) +ada@example.com (other) +b@x (work) +c@x (other) -a@x.example (home, “Cottage”, preferred) -ada@example.com (work)",
            "phones: ++1 (555) 010-2030 (mobile) +１２３ (home) -+44 20 7946 0958 (mobile) -+1 555 0100 (workFax)",
            "websites: +https://a.example (other) -https://b.example (other, preferred) -https://ada.example (home)",
            "ims: +xmpp:ada@x (other) +bob (other, googletalk) +eve (other, Signal) -xmpp:ada@j.example (work) -ada (other, signal)",
            "addresses: +Ockham (home, preferred) +1 Main St, Springfield (home) -Ockham (other, “Summer house”, preferred) -PO 1, Flat 2, 12 St James's Square, London, Greater London, SW1Y 4JH, UK (home)",
            "extensions: +X-A:1 +X-B:2 -X-ABC:1 -GENDER:F",
            "photo: 'image/png, 5 bytes' → ∅",
            "custom.Tier: 'gold' → ∅",
        ])
        #expect(e.changes(to: e).isEmpty)
    }

    /// Categories, extensions and the uid alone leave a contact blank; any other field does not.
    @Test(arguments: [
        ("categories", Contact(categories: ["VIP"]), true),
        ("extensions", { var c = Contact(); c.extensions = ["X-A:1"]; return c }(), true),
        ("uid", { var c = Contact(); c.uid = "u"; return c }(), true),
        ("blank text", Contact(givenName: " "), true),
        ("invalid date", Contact(birthday: PartialDate(year: 2001, month: 2, day: 30)), true),
        ("empty photo", Contact(photo: Photo(data: Data())), true),
        ("notes", Contact(notes: "n"), false),
        ("birthday", Contact(birthday: PartialDate(year: nil, month: 1, day: 1)), false),
        ("anniversary", Contact(anniversary: PartialDate(year: nil, month: 1, day: 1)), false),
        ("email", Contact(emails: [LabeledValue("a@b")]), false),
        ("phone", Contact(phones: [LabeledValue("1")]), false),
        ("address", Contact(addresses: [PostalAddress(city: "X")]), false),
        ("website", Contact(websites: [LabeledValue("w")]), false),
        ("im", Contact(ims: [LabeledValue("i")]), false),
        ("photo", Contact(photo: Photo(data: Data([1]))), false),
        ("custom", Contact(custom: ["k": "v"]), false),
    ] as [(String, Contact, Bool)])
    func blankCheck(_ name: String, _ c: Contact, _ blank: Bool) {
        #expect(c.isBlank == blank, "\(name)")
    }

    /// Field times are stored as JSON beside each item: the generic type writes what
    /// `FieldTimes` wrote when it was keyed by `ContactField` alone.
    @Test func fieldTimesJSON() throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.dateEncodingStrategy = .secondsSince1970
        let t = FieldTimes(base: Date(timeIntervalSince1970: 5), fields: [.text(.title): Date(timeIntervalSince1970: 7)])
        #expect(String(decoding: try e.encode(t), as: UTF8.self) == #"{"base":5,"fields":[{"text":{"_0":"title"}},7]}"#)
        let c = FieldTimes(fields: [.custom("X-A"): Date(timeIntervalSince1970: 9)])
        #expect(String(decoding: try e.encode(c), as: UTF8.self) == #"{"fields":[{"custom":{"_0":"X-A"}},9]}"#)
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        #expect(try d.decode(FieldTimes.self, from: e.encode(t)) == t)
    }
}
