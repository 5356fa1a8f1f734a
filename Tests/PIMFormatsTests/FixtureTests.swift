import Foundation
import SyncModel
import Testing
@testable import PIMFormats

@Suite struct FixtureTests {
    @Test func appleICloudExport() throws {
        let card = try VCardParser.parse(Fixtures.apple)
        let c = card.contact
        #expect(card.version == .v3)
        #expect(c.givenName == "Johnny" && c.familyName == "Appleseed" && c.displayName == "Johnny Appleseed")
        #expect(c.organization == "Apple Inc." && c.department == nil && c.title == "Engineer")
        #expect(c.emails == [
            LabeledValue("johnny@icloud.com", label: .other, preferred: true), LabeledValue("johnny@apple.com", label: .work),
        ])
        #expect(c.phones == [
            LabeledValue("+1 (408) 555-0101", label: .mobile, preferred: true),
            LabeledValue("+1 408 555 0102", label: .mobile),
            LabeledValue("+1 408 555 0103", label: .main),
            // Apple's label text of a user's own: a custom label, kept as typed.
            LabeledValue("+1 408 555 0104", label: .other, customLabel: "Cottage"),
            LabeledValue("+1 408 555 0105", label: .homeFax),
        ])
        #expect(c.addresses == [PostalAddress(
            label: .home, street: "1 Infinite Loop", city: "Cupertino", region: "CA", postalCode: "95014",
            country: "United States", preferred: true)])
        // Apple's own label names that are none of the hub's are custom labels too.
        #expect(c.websites == [LabeledValue("https://www.apple.com", customLabel: "HomePage", preferred: true)])
        // The X-SERVICE-TYPE the scheme already says is not kept twice.
        #expect(c.ims == [LabeledValue("skype:johnny.appleseed", label: .home, preferred: true)])
        #expect(c.birthday == PartialDate(year: nil, month: 3, day: 15))
        #expect(c.anniversary == PartialDate(year: 2010, month: 6, day: 5))
        #expect(c.notes == "Met at WWDC, 2019\nLikes apples")
        #expect(c.categories == ["Family", "Friends"])
        #expect(c.photo?.mediaType == "image/jpeg")
        #expect(c.photo?.data.count == 193)
        #expect(c.photo?.data.starts(with: [0xFF, 0xD8]) == true)
        #expect(c.custom.isEmpty)
        // Labels used by a mapped property are consumed; the ones of kept properties stay with them.
        #expect(card.unknown.map { "\($0.group ?? "").\($0.name)" } == [
            "item4.X-ABADR", "item7.X-ABRELATEDNAMES", "item7.X-ABLABEL", ".X-SOCIALPROFILE",
        ])
    }

    @Test func outlookQuotedPrintableWindows1252() throws {
        let card = try VCardParser.parse(Fixtures.outlook.replacingOccurrences(of: "\n", with: "\r\n"))
        let c = card.contact
        #expect(card.version == .v3)
        #expect(c.familyName == "Müller" && c.givenName == "Jürgen" && c.displayName != nil)
        #expect(c.organization == "Contoso GmbH" && c.department == "Vertrieb")
        #expect(c.title == "Geschäftsführer")
        #expect(c.notes == "Erste Zeile\nZweite Zeile mit € und “Anführung”, sehr lang und deshalb weich umbrochen"
            + " und weiter.")
        #expect(c.phones == [
            LabeledValue("+49 30 1234567", label: .work), LabeledValue("+49 170 1234567", label: .mobile),
            LabeledValue("+49 30 1234568", label: .workFax),
        ])
        #expect(c.addresses.first?.street == "Straße 1")
        #expect(c.addresses.first?.city == "München")
        #expect(c.addresses.first?.label == .work)
        #expect(c.emails == [LabeledValue("juergen.mueller@contoso.de", preferred: true)])
        #expect(c.websites == [LabeledValue("http://www.contoso.de", label: .work)])
        #expect(c.birthday == PartialDate(year: 1975, month: 8, day: 12))
        #expect(c.custom == ["X-MS-OL-DEFAULT-POSTAL-ADDRESS": "2"])
        // LABEL is kept, decoded to UTF-8 text: no more ENCODING or CHARSET.
        let label = try #require(card.unknown.first { $0.name == "LABEL" })
        #expect(label.value == "Straße 1\\nMünchen 80331")
        #expect(label.params == [
            VCardParameter(name: "TYPE", values: ["WORK"]), VCardParameter(name: "TYPE", values: ["PREF"]),
        ])
        #expect(card.revision == "20240115T102030Z")
    }

    @Test func googleExport() throws {
        let c = try VCardParser.parse(Fixtures.google).contact
        #expect(c.nickname == "Countess")
        #expect(c.emails == [LabeledValue("ada@example.com", label: .home), LabeledValue("ada.work@example.org")])
        #expect(c.phones.map(\.label) == [.mobile, .work])
        #expect(c.websites == [LabeledValue("http://www.example.com/ada", customLabel: "PROFILE")])
        #expect(c.birthday == PartialDate(year: nil, month: 12, day: 10))
        #expect(c.anniversary == PartialDate(year: 1835, month: 7, day: 8))
        #expect(c.ims == [LabeledValue("xmpp:ada@jabber.example", label: .work)])
        #expect(c.categories == ["myContacts", "Starred in Android"])
        #expect(c.notes == "Wrote the first algorithm, allegedly.")
        #expect(c.addresses.first?.street == "12 St James's Square")
    }

    @Test func nextcloudV4() throws {
        let card = try VCardParser.parse(Fixtures.nextcloud)
        let c = card.contact
        #expect(card.version == .v4)
        #expect(card.uid == "3f1c6a86-5d7c-4b6e-9b3e-1c2d3e4f5a6b")
        #expect(c.namePrefix == "Rear Admiral" && c.middleName == "Brewster Murray" && c.nameSuffix == nil)
        #expect(c.displayName == "Grace Hopper")
        // PREF=1 moves the preferred entry first.
        #expect(c.emails == [
            LabeledValue("grace@navy.example", label: .work, preferred: true), LabeledValue("grace@home.example", label: .home),
        ])
        #expect(c.phones == [
            LabeledValue("+1-202-555-0199", label: .mobile), LabeledValue("+1 202 555 0100", label: .work),
        ])
        #expect(c.birthday == PartialDate(year: 1906, month: 12, day: 9))
        #expect(c.anniversary == PartialDate(year: 1930, month: 6, day: 15))
        #expect(c.categories == ["Navy", "Computing, Early"])
        #expect(c.photo?.mediaType == "image/png")
        #expect(c.photo?.data.starts(with: [0x89, 0x50, 0x4E, 0x47]) == true)
        #expect(card.unknown.map(\.name) == ["KIND", "GENDER", "GEO", "TZ"])
        let again = try VCardParser.parse(VCardWriter.write(card, version: .v4))
        #expect(again == card)
    }

    @Test func vCard21BareParameters() throws {
        let card = try VCardParser.parse(Fixtures.android21)
        let c = card.contact
        #expect(c.phones == [
            LabeledValue("555-5678", label: .work, preferred: true), LabeledValue("555-1234", label: .home),
            LabeledValue("555-0000", label: .mobile),
        ])
        #expect(c.emails == [LabeledValue("jane@work.example", label: .work)])
        #expect(c.addresses.first?.label == .home)
        #expect(c.photo?.mediaType == "image/gif")
        #expect(c.photo?.data.starts(with: Array("GIF89a".utf8)) == true)
        #expect(c.custom["X-ANDROID-CUSTOM"] == "vnd.android.cursor.item/nickname;JD;1;;;;;;;;;;;;;")
    }

    @Test(arguments: ["apple", "outlook", "google", "nextcloud", "android21"])
    func fixturesSurviveRewrite(name: String) throws {
        let fixture = try #require(Fixtures.all[name])
        let card = try VCardParser.parse(fixture)
        for version in VCardVersion.allCases {
            let back = try VCardParser.parse(VCardWriter.write(card, version: version))
            #expect(back.contact == card.contact)
            #expect(back.unknown == card.unknown)
        }
    }

    @Test func multiCardFile() {
        let all = [Fixtures.apple, Fixtures.google, Fixtures.nextcloud].joined(separator: "\n")
        let results = VCardParser.parseAll(all)
        #expect(results.count == 3)
        #expect(results.compactMap { try? $0.get().contact.familyName } == ["Appleseed", "Lovelace", "Hopper"])
    }
}
