@testable import ConnectorGraph
import Foundation
import SyncModel
import Testing

/// Directory user → Contact, and who is left out: pure, no server.
@Suite struct DirectoryMappingTests {
    static func user(_ text: String) throws -> JSONObject {
        try JSONDecoder().decode(JSONObject.self, from: Data(text.utf8))
    }

    static let adele = """
        {"id":"u1","displayName":"Adele Vance","givenName":"Adele","surname":"Vance","jobTitle":"Retail Manager",
         "department":"Retail","companyName":"Contoso","officeLocation":"18/2111","businessPhones":["+1 425 555 0109"],
         "mobilePhone":"+1 425 555 0110","mail":"AdeleV@contoso.example","userPrincipalName":"AdeleV@contoso.example",
         "accountEnabled":true,"userType":"Member"}
        """

    @Test func aUserBecomesAContact() throws {
        let c = DirectoryMapping.contact(try Self.user(Self.adele))
        #expect(c.givenName == "Adele" && c.familyName == "Vance" && c.displayName == "Adele Vance")
        #expect(c.title == "Retail Manager" && c.department == "Retail" && c.organization == "Contoso")
        #expect(c.emails.map(\.label) == [.work] && c.emails.count == 1)
        #expect(c.phones.map(\.label) == [.work, .mobile])
        #expect(c.custom[DirectoryMapping.officeField] == "18/2111")
        #expect(DirectoryMapping.officeField == SpokeKind.officeHubField)
    }

    @Test func emptyAndNullFieldsAreAbsent() throws {
        let c = DirectoryMapping.contact(try Self.user("""
            {"id":"u2","displayName":"Bo","givenName":null,"surname":"","businessPhones":[],"mobilePhone":null,"mail":"bo@x.example"}
            """))
        #expect(c.givenName == nil && c.familyName == nil && c.phones.isEmpty && c.custom.isEmpty)
    }

    @Test func theVersionFollowsWhatTheHubTakesOnly() throws {
        var o = try Self.user(Self.adele)
        let v1 = DirectoryMapping.version(DirectoryMapping.contact(o))
        o["preferredLanguage"] = .string("en-US")  // not read: same version, nothing to fetch
        #expect(DirectoryMapping.version(DirectoryMapping.contact(o)) == v1)
        o["jobTitle"] = .string("Store Manager")
        #expect(DirectoryMapping.version(DirectoryMapping.contact(o)) != v1)
    }

    @Test(arguments: [
        (#"{"id":"g","mail":"pat@fabrikam.example","userType":"Guest","accountEnabled":true}"#, DirectoryMapping.Skip.guest),
        (#"{"id":"r","mail":"room@contoso.example","userType":"Member","accountEnabled":false}"#, .disabled),
        (#"{"id":"s","mail":null,"userType":"Member","accountEnabled":true}"#, .noMail),
        (#"{"id":"x","mail":"Boss@Contoso.example","accountEnabled":true}"#, .excluded),
    ])
    func whoIsLeftOut(_ json: String, _ why: DirectoryMapping.Skip) throws {
        #expect(DirectoryMapping.skip(try Self.user(json), excluding: ["boss@contoso.example"]) == why)
    }

    @Test func membersWithMailAreIn() throws {
        #expect(DirectoryMapping.skip(try Self.user(Self.adele), excluding: []) == nil)
        // Delta may leave accountEnabled out of a change: absent is not disabled.
        #expect(DirectoryMapping.skip(try Self.user(#"{"id":"u","mail":"a@b.example"}"#), excluding: []) == nil)
    }

    @Test func aPageIsSortedIntoPresentRemovedAndLeftOut() throws {
        let page = try [
            Self.user(Self.adele),
            Self.user(#"{"id":"u9","@removed":{"reason":"changed"}}"#),
            Self.user(#"{"id":"u3","mail":"r@contoso.example","accountEnabled":false}"#),
            Self.user(#"{"id":"u1","displayName":"Adele V","mail":"adelev@contoso.example","accountEnabled":true}"#),
        ]
        let (present, gone) = DirectorySpoke.sort(page, excluding: [])
        // A user sent twice stands at its last state, in its first place.
        #expect(present.map(\.id) == ["u1"] && present[0].user["displayName"]?.string == "Adele V")
        #expect(gone.removed == ["u9"] && gone.skipped == ["u3"])
    }
}
