import Emulators
import Foundation
import TestSupport
import Testing

/// Google's own Python client (google-api-python-client==2.202.0, google-auth==2.63.0) against the
/// People emulator, using the discovery document shipped in the package.
@Suite(.serialized) struct PeopleClientTests {
    typealias F = PeopleFixture

    @Test func googleAPIPythonClient() async throws {
        let fx = try await F.start()
        defer { Task { await fx.g.stop() } }
        try fx.g.seedContacts(3, in: F.email)
        // The script starts with an expired access token: the client must refresh at /token.
        fx.g.expireAccessTokens()
        let out = try await PythonScript.run("people_client.py", [fx.base.absoluteString, F.clientID, F.secret, fx.access, fx.refresh, "3"],
                                            needs: [.googleClient])
        print(out)
        #expect(out.contains("SUMMARY: people client all checks passed"))
        #expect(fx.g.requestCount("oauth.token.refresh_token") == 1 && fx.g.requestCount("unauthenticated") == 1)
        for op in ["people.connections.list", "people.batchCreateContacts", "people.updateContact", "people.batchUpdateContacts",
                   "people.deleteContact", "people.batchDeleteContacts", "people.updateContactPhoto", "people.getBatchGet",
                   "contactGroups.create", "contactGroups.members.modify", "contactGroups.update", "contactGroups.delete"] {
            #expect(fx.g.requestCount(op) > 0, "\(op) was not used")
        }
        // What the client did is what the emulator holds.
        let contacts = try fx.g.contacts(in: F.email)
        #expect(contacts.count == 3 + 4 - 2)
        #expect(contacts.contains { $0.familyName == "Renamed" && $0.phones == ["+1 555 0100"] })
        #expect(contacts.filter { $0.familyName == "Batched" }.count == 2)
        #expect(try fx.g.groups(in: F.email).count == 2)
    }
}
