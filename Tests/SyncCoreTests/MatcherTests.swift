import Foundation
import Testing
@testable import SyncCore
import SyncModel

@Suite struct MatcherTests {
    static let hubItems: [Matcher.Candidate] = [
        .init(id: "h1", contact: F.ada),
        .init(id: "h2", contact: F.person("Alan", "Turing", email: "alan@example.com", phone: "+44 161 496 0000", org: "Bletchley")),
        .init(id: "h3", contact: F.person("Grace", "Hopper", email: "grace@navy.mil", org: "US Navy")),
        .init(id: "h4", contact: Contact(displayName: "Charles Babbage", organization: "Difference Ltd")),
        .init(id: "h5", contact: F.person(email: "info@acme.com", phone: "+1 555 010 2030")),
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let incoming: Contact
        let expected: ItemID?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "email alone", incoming: F.person(email: "ada@example.com"), expected: "h1"),
        .init(name: "email, upper case, normalised", incoming: Contact(emails: [LabeledValue(" ADA@Example.com")]).normalized(),
              expected: "h1"),
        .init(name: "email and same name", incoming: F.person("Ada", "Lovelace", email: "ada@example.com"), expected: "h1"),
        .init(name: "email but clearly different name: veto", incoming: F.person("Augusta", "Byron", email: "ada@example.com"),
              expected: nil),
        .init(name: "email, given name only: names differ, veto", incoming: F.person("Ada", email: "ada@example.com"),
              expected: nil),
        .init(name: "phone alone", incoming: F.person(phone: "+44 20 7946 0958"), expected: nil),
        .init(name: "phone in national form and name", incoming: F.person("Ada", "Lovelace", phone: "020 7946 0958"),
              expected: "h1"),
        .init(name: "name alone", incoming: F.person("Grace", "Hopper"), expected: nil),
        .init(name: "name and company, folded", incoming: F.person("GRÂCE", "hopper", org: "us navy"), expected: "h3"),
        .init(name: "name and another company", incoming: F.person("Grace", "Hopper", org: "IBM"), expected: nil),
        .init(name: "display name and company", incoming: Contact(displayName: "charles babbage", organization: "Difference Ltd"),
              expected: "h4"),
        .init(name: "display name alone", incoming: Contact(displayName: "Charles Babbage"), expected: nil),
        .init(name: "company alone", incoming: F.person(org: "US Navy"), expected: nil),
        .init(name: "phone and company, no name", incoming: F.person(phone: "+44 161 496 0000", org: "Bletchley"),
              expected: nil),  // 2 + 1 < 4
        .init(name: "unnamed mailbox", incoming: F.person(email: "info@acme.com"), expected: "h5"),
        // An unnamed hub item cannot veto: a named person writing from the shared mailbox matches it.
        .init(name: "named person, unnamed item with that email", incoming: F.person("Bob", "Smith", email: "info@acme.com"),
              expected: "h5"),
        .init(name: "nothing in common", incoming: F.person("Nobody", email: "no@where.org", phone: "+99 123 456 789"),
              expected: nil),
        .init(name: "blank", incoming: Contact(), expected: nil),
    ]

    @Test(arguments: cases)
    func match(_ t: Case) {
        #expect(Matcher(Self.hubItems).match(t.incoming) == t.expected)
    }

    @Test(arguments: [
        (F.person("Ada", "Lovelace"), F.person("Ada", "Lovelace"), 3),
        (F.person("Ada", "Lovelace", org: "AE"), F.person("ada", "LOVELACE", org: "ae"), 4),
        (F.person(email: "a@x.org"), F.person(email: "a@x.org", phone: "+1 555 123 4567"), 4),
        (F.person(phone: "0044 20 7946 0958"), F.person(phone: "+44 20 7946 0958"), 2),
        (F.person(phone: "12345"), F.person(phone: "12345"), 0),  // too short to say anything
        (F.person("Ada", email: "a@x.org"), F.person("Bob", email: "a@x.org"), -100),
        (F.person("Ada", "Lovelace", email: "a@x.org", phone: "020 7946 0958", org: "analytical engines"), F.ada, 2 + 3 + 1),
    ] as [(Contact, Contact, Int)])
    func score(_ a: Contact, _ b: Contact, _ expected: Int) {
        #expect(Matcher.score(a, b) == expected)
        #expect(Matcher.score(b, a) == expected)
    }

    @Test func twoEquallyGoodCandidatesAreAmbiguous() {
        let twins = Matcher([
            .init(id: "a", contact: F.person(email: "shared@x.org")),
            .init(id: "b", contact: F.person(email: "shared@x.org")),
        ])
        #expect(twins.match(F.person(email: "shared@x.org")) == nil)
        let namesakes = Matcher([
            .init(id: "a", contact: F.person("John", "Smith", org: "Acme")),
            .init(id: "b", contact: F.person("John", "Smith", org: "Acme", title: "CEO")),
        ])
        #expect(namesakes.match(F.person("John", "Smith", org: "Acme")) == nil)
    }

    @Test func aBetterCandidateBreaksTheTieWhereverItSorts() {
        let incoming = F.person("Ada", "Lovelace", email: "shared@x.org")
        let weakFirst = Matcher([
            .init(id: "a", contact: F.person(email: "shared@x.org")),
            .init(id: "b", contact: F.person(email: "shared@x.org")),
            .init(id: "c", contact: F.person("Ada", "Lovelace", email: "shared@x.org")),
        ])
        #expect(weakFirst.match(incoming) == "c")
        let strongFirst = Matcher([
            .init(id: "a", contact: F.person("Ada", "Lovelace", email: "shared@x.org")),
            .init(id: "b", contact: F.person(email: "shared@x.org")),
            .init(id: "c", contact: F.person(email: "shared@x.org")),
        ])
        #expect(strongFirst.match(incoming) == "a")
    }

    @Test func aVetoedCandidateLeavesTheOther() {
        let m = Matcher([
            .init(id: "a", contact: F.person("Bob", "Jones", email: "shared@x.org")),
            .init(id: "b", contact: F.person("Ada", "Lovelace", email: "shared@x.org")),
        ])
        #expect(m.match(F.person("Ada", "Lovelace", email: "shared@x.org")) == "b")
        #expect(m.match(F.person("Carl", "Jung", email: "shared@x.org")) == nil)
    }

    @Test func phonesAddUp() {
        let m = Matcher([.init(id: "a", contact: F.person(phone: "+1 555 123 4567").with {
            $0.phones.append(LabeledValue("+15559876543", label: .work))
        })])
        #expect(m.match(F.person(phone: "555 123 4567")) == nil)
        #expect(m.match(F.person(phone: "555 123 4567").with { $0.phones.append(LabeledValue("5559876543")) }) == "a")
    }

    @Test func removeAndAdd() {
        var m = Matcher(Self.hubItems)
        #expect(!m.isEmpty)
        m.remove("h1")
        #expect(m.match(F.person(email: "ada@example.com")) == nil)
        m.remove("h1")  // removing twice is harmless
        m.add("h9", F.ada)
        #expect(m.match(F.person(email: "ada@example.com")) == "h9")
        #expect(Matcher().isEmpty)
        #expect(Matcher().match(F.ada) == nil)
    }
}
