import Foundation
import Testing
@testable import SyncModel

/// A named change to a contact, for tables.
struct Mutation: Sendable, CustomTestStringConvertible {
    let name: String
    let apply: @Sendable (inout Contact) -> Void
    init(_ name: String, _ apply: @escaping @Sendable (inout Contact) -> Void) {
        self.name = name
        self.apply = apply
    }
    var testDescription: String { name }
}

@Suite struct ContentHashTests {
    static let ada = Contact(
        givenName: "Ada", familyName: "Lovelace", emails: [LabeledValue("ada@example.com", label: .work)])

    static let rich = Contact(
        namePrefix: "Lady", givenName: "Ada", middleName: "King", familyName: "Lovelace", nameSuffix: "I",
        nickname: "Enchantress", displayName: "Ada Lovelace", organization: "Analytical Engines",
        department: "Maths", title: "Countess", birthday: PartialDate(year: 1815, month: 12, day: 10),
        anniversary: PartialDate(year: nil, month: 7, day: 8), notes: "First programmer",
        emails: [LabeledValue("ada@example.com", label: .work), LabeledValue("ada@home.example", label: .home)],
        phones: [LabeledValue("+442079460958", label: .mobile), LabeledValue("+441614960000", label: .work)],
        addresses: [
            PostalAddress(label: .home, street: "12 St James's Square", city: "London", country: "UK"),
            PostalAddress(label: .work, city: "Ockham"),
        ],
        websites: [LabeledValue("https://ada.example", label: .home), LabeledValue("https://b.example")],
        ims: [LabeledValue("xmpp:ada@j.example"), LabeledValue("skype:ada")],
        categories: ["VIP", "Friends"],
        photo: Photo(data: Data([1, 2, 3]), mediaType: "image/png"),
        custom: ["Region": "EU", "Tier": "gold"])

    /// Pinned values: the hash is stored, so it must never change between runs or releases.
    /// (Computed independently: FNV-1a 64 over tag, UTF-8, 0xFF per field.)
    @Test func literalValues() {
        #expect(Contact().contentHash == ContentHash(0xcbf2_9ce4_8422_2325))
        #expect(Self.ada.contentHash == ContentHash(0xa327_d158_b839_8506))
        #expect(Self.ada.contentHash.description == "a327d158b8398506")
        // Written as the hub stored numbers before display forms were kept: the same hash, so a
        // store written then is read without a change.
        var bob = Contact(
            givenName: " Bob ", anniversary: PartialDate(year: nil, month: 12, day: 10),
            phones: [LabeledValue("+15550102030", label: .mobile)], categories: ["VIP"])
        #expect(bob.contentHash == ContentHash(0x75b1_bc85_7afa_bc37))
        // The display form is content: a number written another way hashes differently.
        bob.phones = [LabeledValue("+1 (555) 010-2030", label: .mobile)]
        #expect(bob.contentHash != ContentHash(0x75b1_bc85_7afa_bc37))
    }

    @Test func semanticallyEqualContactsHashEqual() {
        // Padding and a duplicate (by key) are not content; the form an email is written in is.
        let messy = Contact(
            givenName: "  Ada", familyName: "Lovelace ",
            emails: [LabeledValue(" ada@example.com ", label: .work), LabeledValue("ADA@EXAMPLE.COM", label: .work)])
        #expect(messy.contentHash == Self.ada.contentHash)
        #expect(messy.rawContentHash != Self.ada.rawContentHash)  // raw does not normalise
    }

    @Test func orderOfMultiValuedEntriesIsIgnored() {
        var r = Self.rich
        r.emails.reverse()
        r.phones.reverse()
        r.addresses.reverse()
        r.websites.reverse()
        r.ims.reverse()
        r.categories.reverse()
        #expect(r != Self.rich)
        #expect(r.contentHash == Self.rich.contentHash)
        #expect(r.rawContentHash == Self.rich.rawContentHash)
    }

    @Test func categoryCaseIsIgnored() {
        var r = Self.rich
        r.categories = ["vip", "FRIENDS"]
        #expect(r.contentHash == Self.rich.contentHash)
    }

    static let mutations: [Mutation] = [
        Mutation("namePrefix") { $0.namePrefix = "Dr" },
        Mutation("givenName") { $0.givenName = "Augusta" },
        Mutation("middleName") { $0.middleName = nil },
        Mutation("familyName") { $0.familyName = "Byron" },
        Mutation("nameSuffix") { $0.nameSuffix = "II" },
        Mutation("nickname") { $0.nickname = "Ada" },
        Mutation("displayName") { $0.displayName = "A. Lovelace" },
        Mutation("organization") { $0.organization = "Babbage & Co" },
        Mutation("department") { $0.department = "Poetry" },
        Mutation("title") { $0.title = "Lady" },
        Mutation("notes") { $0.notes = "Poetical science" },
        Mutation("birthday") { $0.birthday = PartialDate(year: nil, month: 12, day: 10) },
        Mutation("anniversary removed") { $0.anniversary = nil },
        Mutation("email added") { $0.emails.append(LabeledValue("a@b.c")) },
        Mutation("email relabelled") { $0.emails[0].label = .home },
        Mutation("phone changed") { $0.phones[0].value = "+442079460959" },
        Mutation("phone removed") { $0.phones.removeLast() },
        Mutation("address city") { $0.addresses[0].city = "Paris" },
        Mutation("address label") { $0.addresses[1].label = .home },
        Mutation("website") { $0.websites[1].value = "https://c.example" },
        Mutation("im") { $0.ims.removeAll() },
        Mutation("category") { $0.categories.append("Family") },
        Mutation("photo bytes") { $0.photo?.data.append(4) },
        Mutation("photo type") { $0.photo?.mediaType = "image/jpeg" },
        Mutation("photo removed") { $0.photo = nil },
        Mutation("custom value") { $0.custom["Region"] = "US" },
        Mutation("custom key") { $0.custom["Zone"] = "1" },
        Mutation("custom removed") { $0.custom["Tier"] = nil },
    ]

    @Test(arguments: mutations)
    func anyFieldChangeChangesTheHash(_ m: Mutation) {
        var c = Self.rich
        m.apply(&c)
        #expect(c.contentHash != Self.rich.contentHash)
    }

    @Test func sameTextInAnotherFieldDiffers() {
        #expect(Contact(nickname: "X").contentHash != Contact(title: "X").contentHash)
        #expect(Contact(emails: [LabeledValue("x")]).contentHash != Contact(ims: [LabeledValue("x")]).contentHash)
        // Field boundaries are unambiguous: "ab" + "c" is not "a" + "bc".
        #expect(Contact(givenName: "ab", familyName: "c").contentHash
            != Contact(givenName: "a", familyName: "bc").contentHash)
    }

    @Test func emptyStringDiffersFromNilInRawHash() {
        #expect(Contact(title: "").rawContentHash != Contact().rawContentHash)
        #expect(Contact(title: "").contentHash == Contact().contentHash)
    }

    @Test func richHashIsStableWithinARun() {
        #expect(Self.rich.contentHash == Self.rich.contentHash)
        #expect(Self.rich.normalized().rawContentHash == Self.rich.contentHash)
    }

    @Test(arguments: [UInt64(0), 1, 0xabc, 0xcbf2_9ce4_8422_2325, .max])
    func hexRoundTrip(_ v: UInt64) {
        let h = ContentHash(v)
        #expect(h.description.count == 16)
        #expect(ContentHash(hex: h.description) == h)
    }

    @Test func hexPadding() {
        #expect(ContentHash(0xabc).description == "0000000000000abc")
        #expect(ContentHash(hex: "zz") == nil)
        #expect(ContentHash(hex: "") == nil)
        #expect(ContentHash(hex: "10000000000000000") == nil)  // 65 bits
    }
}
