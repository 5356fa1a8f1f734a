import Foundation
import Testing
@testable import SyncModel

@Suite struct NormalizationTests {
    @Test(arguments: [
        ("ada@example.com", "ada@example.com"),
        ("  Ada@Example.COM ", "ada@example.com"),
        ("\tBOB@X.org\n", "bob@x.org"),
        ("   ", ""),
    ])
    func email(_ input: String, _ expected: String) {
        #expect(Normalize.email(input) == expected)
    }

    @Test(arguments: [
        ("+1 (555) 010-2030", "+15550102030"),
        ("555.010.2030", "5550102030"),
        ("  +49-30-1234567 ", "+49301234567"),
        ("00 44 20 7946 0958", "00442079460958"),
        ("(+44) 20 7946", "+44207946"),  // a + before any digit is kept, after junk too
        ("tel: +44 20", "+4420"),
        ("++1 2", "+12"),  // only the first +
        ("1+2", "12"),  // a + after a digit is dropped
        ("+", ""),  // a lone + is nothing
        ("ext", ""),
        ("１２３-４５", "12345"),  // full-width digits become ASCII
        ("٠١٢٣", "0123"),  // Arabic-Indic digits
        ("555 1234 x56", "555123456"),  // extensions are glued on (no special handling)
    ])
    func phone(_ input: String, _ expected: String) {
        #expect(Normalize.phone(input) == expected)
    }

    @Test(arguments: [
        ("a", "a"), ("  a  ", "a"), ("\n x y \t", "x y"), ("   ", nil), ("", nil),
    ] as [(String, String?)])
    func text(_ input: String, _ expected: String?) {
        #expect(Normalize.text(input) == expected)
    }

    @Test func textOfNilIsNil() {
        #expect(Normalize.text(nil) == nil)
    }

    @Test func keys() {
        #expect(Normalize.key(website: LabeledValue("HTTPS://Example.com/A")) == "https://example.com/a")
        // A handle is one handle with or without its service's scheme.
        #expect(Normalize.key(im: LabeledValue("Skype:Ada")) == "ada")
        #expect(Normalize.key(im: LabeledValue("ada", service: "skype")) == "ada")
        #expect(Normalize.key(im: LabeledValue("https:ada")) == "https:ada")
        #expect(Normalize.key(category: "VIP") == "vip")
        #expect(Normalize.key(address: PostalAddress(street: "Main St", city: "X"))
            == "\u{1F}\u{1F}main st\u{1F}x\u{1F}\u{1F}\u{1F}")
        // Email and phone keys are canonical; the values keep the form their user wrote.
        #expect(Normalize.key(email: LabeledValue(" Ada@X.com")) == "ada@x.com")
        #expect(Normalize.key(phone: LabeledValue("+1 (555) 0100")) == "+15550100")
    }

    static let messy = Contact(
        namePrefix: "  ", givenName: " Ada ", familyName: "Lovelace\n", nickname: "",
        organization: " Analytical Engines ", birthday: PartialDate(year: 1815, month: 12, day: 10),
        anniversary: PartialDate(year: nil, month: 13, day: 1),
        emails: [
            LabeledValue(" ADA@Example.com ", label: .work), LabeledValue("ada@example.com", label: .home),
            LabeledValue("   "),
        ],
        phones: [
            LabeledValue("+44 20 7946 0958", label: .mobile), LabeledValue("+44 (20) 7946-0958", label: .work),
            LabeledValue("n/a"),
        ],
        addresses: [
            PostalAddress(label: .home, street: " 12 St James's Square ", city: "London "),
            PostalAddress(label: .work, street: "12 st james's square", city: "LONDON"),
            PostalAddress(city: "   "),
        ],
        websites: [LabeledValue(" https://ada.example ", label: .home), LabeledValue("HTTPS://ADA.EXAMPLE"), LabeledValue("")],
        ims: [LabeledValue(" xmpp:ada@jabber.example "), LabeledValue("XMPP:ADA@JABBER.EXAMPLE"), LabeledValue(" ")],
        categories: [" VIP ", "vip", "Friends", ""],
        photo: Photo(data: Data()),
        custom: [" Region ": " EU ", "Empty": "  ", "  ": "x"])

    @Test func normalizedContact() {
        let n = Self.messy.normalized()
        let expected = Contact(
            givenName: "Ada", familyName: "Lovelace", organization: "Analytical Engines",
            birthday: PartialDate(year: 1815, month: 12, day: 10), anniversary: nil,
            // Emails and phones keep the form first seen; duplicates go by key.
            emails: [LabeledValue("ADA@Example.com", label: .work)],
            phones: [LabeledValue("+44 20 7946 0958", label: .mobile)],
            addresses: [PostalAddress(label: .home, street: "12 St James's Square", city: "London")],
            websites: [LabeledValue("https://ada.example", label: .home)],
            ims: [LabeledValue("xmpp:ada@jabber.example")],
            categories: ["VIP", "Friends"],
            photo: nil,
            custom: ["Region": "EU"])
        #expect(n == expected)
    }

    @Test func normalizationIsIdempotent() {
        let once = Self.messy.normalized()
        #expect(once.normalized() == once)
    }

    @Test func keepsNonEmptyPhoto() {
        let c = Contact(photo: Photo(data: Data([1, 2, 3]), mediaType: "image/png"))
        #expect(c.normalized().photo == Photo(data: Data([1, 2, 3]), mediaType: "image/png"))
    }

    @Test(arguments: [
        (PartialDate(year: 1815, month: 12, day: 10), true, "1815-12-10"),
        (PartialDate(year: nil, month: 3, day: 15), true, "--03-15"),
        (PartialDate(year: 7, month: 1, day: 2), true, "0007-01-02"),
        (PartialDate(year: 0, month: 1, day: 1), false, "0000-01-01"),
        (PartialDate(year: 10000, month: 1, day: 1), false, "10000-01-01"),
        (PartialDate(year: 2000, month: 0, day: 1), false, "2000-00-01"),
        (PartialDate(year: 2000, month: 12, day: 32), false, "2000-12-32"),
        (PartialDate(year: 2001, month: 2, day: 29), false, "2001-02-29"),
        (PartialDate(year: 2000, month: 2, day: 29), true, "2000-02-29"),
        (PartialDate(year: 1900, month: 2, day: 29), false, "1900-02-29"),
        (PartialDate(year: nil, month: 2, day: 29), true, "--02-29"),
        (PartialDate(year: 2020, month: 4, day: 31), false, "2020-04-31"),
        (PartialDate(year: nil, month: 2, day: 0), false, "--02-00"),
    ])
    func partialDate(_ d: PartialDate, _ valid: Bool, _ text: String) {
        #expect(d.isValid == valid)
        #expect(d.description == text)
        #expect((Contact(birthday: d).normalized().birthday != nil) == valid)
    }

    @Test(arguments: [
        (Contact(), true),
        (Contact(givenName: "   ", emails: [LabeledValue(" ")], phones: [LabeledValue("-")]), true),
        (Contact(categories: ["VIP"]), true),  // a category alone is not something a person recognises
        (Contact(photo: Photo(data: Data())), true),
        (Contact(notes: "x"), false),
        (Contact(phones: [LabeledValue("+1 555")]), false),
        (Contact(birthday: PartialDate(year: nil, month: 1, day: 1)), false),
        (Contact(birthday: PartialDate(year: nil, month: 13, day: 1)), true),
        (Contact(custom: ["k": "v"]), false),
        (Contact(photo: Photo(data: Data([0]))), false),
    ])
    func isBlank(_ c: Contact, _ blank: Bool) {
        #expect(c.isBlank == blank)
    }

    @Test(arguments: [
        (Contact(givenName: "Ada", familyName: "Lovelace", displayName: "Countess"), "Countess"),
        (Contact(givenName: "Ada", familyName: "Lovelace", displayName: ""), "Ada Lovelace"),
        (Contact(namePrefix: "Dr", givenName: "Grace", middleName: "B", familyName: "Hopper", nameSuffix: "PhD"),
         "Dr Grace B Hopper PhD"),
        (Contact(givenName: "", organization: "Acme"), "Acme"),
        (Contact(emails: [LabeledValue("x@y.z")]), "x@y.z"),
        (Contact(), ""),
    ])
    func formattedName(_ c: Contact, _ name: String) {
        #expect(c.formattedName == name)
    }
}

@Suite struct EveryTextFieldNormalizes {
    @Test(arguments: TextField.allCases)
    func trimmed(_ f: TextField) {
        var c = Contact()
        c[keyPath: f.keyPath] = " \u{00A0}value\n\t"
        #expect(c.normalized()[keyPath: f.keyPath] == "value")
        c[keyPath: f.keyPath] = " \u{3000} "
        #expect(c.normalized()[keyPath: f.keyPath] == nil)
    }
}
