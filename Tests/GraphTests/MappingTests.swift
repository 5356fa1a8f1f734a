import ConnectorHTTP
@testable import ConnectorGraph
import Foundation
import SyncModel
import Testing

/// Graph JSON ↔ Contact, `fit`, and the PATCH bodies: pure, no server.
@Suite struct GraphMappingTests {
    static func json(_ text: String) throws -> JSONObject {
        try JSONDecoder().decode(JSONObject.self, from: Data(text.utf8))
    }

    static let alex = """
        {"id":"AAMk1","@odata.etag":"W/\\"ck1\\"","givenName":"Alex","surname":"Wu","title":"Dr.","generation":"Jr.",
         "displayName":"Alex Wu","companyName":"Contoso","jobTitle":"Pilot","personalNotes":"Met at the fair",
         "emailAddresses":[{"name":"Alex Wu","address":"Alex@Contoso.example"},{"name":"x","address":"alex@home.example"}],
         "mobilePhone":"+1 (555) 010-0001","businessPhones":["+1 555 010 0002"],"homePhones":[],
         "imAddresses":["sip:alex@contoso.example"],"businessHomePage":"https://contoso.example",
         "homeAddress":{"street":"1 Main St\\nFlat 2","city":"Springfield","state":"IL","postalCode":"62701","countryOrRegion":"USA"},
         "businessAddress":{},"otherAddress":null,"birthday":"1604-03-15T00:00:00Z","categories":["Clients"],
         "officeLocation":"B12","lastModifiedDateTime":"2026-12-01T10:00:00Z"}
        """

    @Test func aGraphContactReadsIntoTheHubsTerms() throws {
        let c = ContactMapping.contact(try Self.json(Self.alex))
        #expect(c.givenName == "Alex" && c.familyName == "Wu" && c.namePrefix == "Dr." && c.nameSuffix == "Jr.")
        #expect(c.organization == "Contoso" && c.title == "Pilot" && c.notes == "Met at the fair")
        #expect(c.emails.map(\.value) == ["Alex@Contoso.example", "alex@home.example"])
        #expect(c.phones == [LabeledValue("+1 (555) 010-0001", label: .mobile), LabeledValue("+1 555 010 0002", label: .work)])
        #expect(c.ims.map(\.value) == ["sip:alex@contoso.example"])
        #expect(c.websites == [LabeledValue("https://contoso.example", label: .work)])
        #expect(c.addresses.count == 1 && c.addresses[0].label == .home && c.addresses[0].city == "Springfield")
        // Outlook's year 1604 is "no year".
        #expect(c.birthday == PartialDate(year: nil, month: 3, day: 15))
        #expect(c.categories == ["Clients"])
        #expect(c.custom == ["OfficeLocation": "B12"])
    }

    @Test func fitKeepsGraphsSlotsAndNothingMore() {
        var c = Contact(givenName: "Kim", anniversary: PartialDate(year: 2001, month: 6, day: 1))
        c.emails = (1...4).map { LabeledValue("kim\($0)@example.com", label: .work) }
        c.phones = [
            LabeledValue("+1 555 0001", label: .work), LabeledValue("+1 555 0002", label: .work),
            LabeledValue("+1 555 0003", label: .work), LabeledValue("+1 555 0004", label: .mobile),
            LabeledValue("+1 555 0005", label: .mobile), LabeledValue("+1 555 0006", label: .fax),
            LabeledValue("+1 555 0007", label: .home),
        ]
        c.ims = (1...4).map { LabeledValue("im\($0)") }
        c.addresses = [PostalAddress(label: .home, city: "A"), PostalAddress(label: .home, city: "B"),
                       PostalAddress(label: .home, city: "C")]
        c.photo = Photo(data: Data([1, 2, 3]))
        let kept = ContactMapping.fit(c)
        #expect(kept.emails.map(\.value) == ["kim1@example.com", "kim2@example.com", "kim3@example.com"])
        // A second mobile and a third work phone have no slot; the fax has Outlook's "other fax".
        #expect(kept.phones.map(\.value) == ["+1 555 0004", "+1 555 0001", "+1 555 0002", "+1 555 0007", "+1 555 0006"])
        #expect(kept.phones.last?.label == .fax)
        #expect(kept.ims.count == 3)
        // The second home address goes to "other"; the third has no slot.
        #expect(kept.addresses.map(\.city) == ["A", "B"])
        #expect(kept.anniversary == nil)
        #expect(kept.photo == c.photo)
        #expect(kept.displayName == "Kim")
        // What fits is a fixed point: written again, it reads back the same.
        #expect(ContactMapping.fit(kept) == kept)
    }

    @Test func aCreateCarriesTheMarkerAndNoEmptyFields() throws {
        let marker = CreateMarker(hub: "h1", item: "i1")
        let body = ContactMapping.create(Contact(givenName: "Kim", emails: [LabeledValue("kim@example.com")]), marker: marker.description)
        #expect(body["givenName"] == .string("Kim"))
        #expect(body["surname"] == nil && body["homeAddress"] == nil && body["categories"] == nil)
        #expect(Marker.read(body) == marker)
        #expect(Marker.propertyID.contains("8c9f4f53-2c6b-4a3e-9b1e-6d1c0a7e5b21") && Marker.propertyID.hasSuffix("Name HubSyncMarker"))
    }

    @Test func aPatchNamesOnlyTheFieldsThatChange() throws {
        let there = try Self.json(Self.alex)
        var c = ContactMapping.contact(there)
        #expect(ContactMapping.patch(c, there: there).isEmpty)
        c.title = "Captain"
        #expect(ContactMapping.patch(c, there: there) == ["jobTitle": .string("Captain")])
        // Cleared: sent as null.
        c.notes = nil
        #expect(ContactMapping.patch(c, there: there)["personalNotes"] == .null)
        #expect(ContactMapping.patch(c, there: there).count == 2)
    }

    @Test func valuesWhoseKeyDidNotChangeStayAsWrittenThere() throws {
        let there = try Self.json(Self.alex)
        var c = ContactMapping.contact(there)
        // The hub's forms of the same values (another spoke wrote them differently).
        c.emails = [LabeledValue("alex@contoso.example"), LabeledValue("ALEX@home.example")]
        c.phones = [LabeledValue("+15550100001", label: .mobile), LabeledValue("+1-555-010-0002", label: .work)]
        c.categories = ["Clients"]
        #expect(ContactMapping.patch(c, there: there).isEmpty)
        // A new email is added after those there; the old ones keep their form, name and place.
        c.emails.insert(LabeledValue("new@example.com"), at: 0)
        let patch = ContactMapping.patch(c, there: there)
        #expect(patch.keys.sorted() == ["emailAddresses"])
        let emails = patch["emailAddresses"]?.array?.compactMap { $0["address"]?.string }
        #expect(emails == ["Alex@Contoso.example", "alex@home.example", "new@example.com"])
        #expect(patch["emailAddresses"]?.array?.first?["name"] == .string("Alex Wu"))
    }

    @Test func unmappedExtrasAreLeftAloneAndMappedOnesCleared() throws {
        let there = try Self.json(Self.alex)
        var c = ContactMapping.contact(there)
        c.custom = [:]
        #expect(ContactMapping.patch(c, there: there).isEmpty)
        c.custom = ["OfficeLocation": ""]
        #expect(ContactMapping.patch(c, there: there) == ["officeLocation": .null])
    }

    @Test func theDeltaTokenExpiryIsReadFromStatusOrCode() {
        #expect(GraphAPI.Failure(status: 410, code: nil, message: "").deltaExpired)
        #expect(GraphAPI.Failure(status: 400, code: "syncStateNotFound", message: "").deltaExpired)
        #expect(GraphAPI.Failure(status: 400, code: "resyncRequired", message: "").deltaExpired)
        #expect(!GraphAPI.Failure(status: 412, code: "ErrorIrresolvableConflict", message: "").deltaExpired)
    }

    @Test func signInURLsAndFoldersPicked() {
        let s = GraphSettings(tenant: "contoso.example", clientID: "app1", authorityBase: URL(string: "http://127.0.0.1:9/")!)
        let url = GraphOAuth.authorizationURL(s, redirectURI: "http://127.0.0.1:8080/oauth", state: "st", pkce: PKCE(verifier: String(repeating: "a", count: 43)))
        #expect(url.absoluteString.hasPrefix("http://127.0.0.1:9/contoso.example/oauth2/v2.0/authorize?"))
        #expect(url.absoluteString.contains("code_challenge_method=S256"))
        #expect(url.absoluteString.contains("scope=offline_access%20User.Read%20Contacts.ReadWrite"))
        #expect(s.tokenURL.absoluteString == "http://127.0.0.1:9/contoso.example/oauth2/v2.0/token")
        #expect(GraphSettings.adminConsentURL(tenant: "t1", clientID: "c1").absoluteString
            == "https://login.microsoftonline.com/t1/adminconsent?client_id=c1")
        let folders = [GraphFolder(id: nil, name: "Contacts", path: "Contacts", isDefault: true),
                       GraphFolder(id: "F1", name: "Clients", path: "Contacts/Clients"),
                       GraphFolder(id: "F2", name: "Europe", path: "Contacts/Clients/Europe")]
        #expect(GraphFolders.pick(nil, in: folders)?.isDefault == true)
        #expect(GraphFolders.pick("F2", in: folders)?.id == "F2")
        #expect(GraphFolders.pick("clients/europe", in: folders)?.id == "F2")
        #expect(GraphFolders.pick("Europe", in: folders)?.id == "F2")
        #expect(GraphFolders.pick("Nowhere", in: folders) == nil)
        #expect(GraphSettings(clientID: "c", mailbox: "ada@contoso.example", folderID: "F/1").contactsPath
            == "users/ada@contoso.example/contactFolders/F%2F1/contacts")
    }
}
