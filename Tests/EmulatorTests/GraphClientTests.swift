import Emulators
import Foundation
import TestSupport
import Testing

/// Microsoft's own Graph SDK (msgraph-sdk==1.65.0, azure-identity==1.27.0) against the Graph
/// emulator, in two processes with changes made in between, as two sync passes would see them.
@Suite(.serialized) struct GraphClientTests {
    typealias F = GraphFixture

    @Test func msgraphSDK() async throws {
        let fx = try await F.start(contactsPerUser: 11)
        defer { Task { await fx.g.stop() } }
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("msgraph-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: state) }
        func run(_ phase: String) async throws -> String {
            try await PythonScript.run("msgraph_client.py", [phase, fx.g.graphURL!.absoluteString, fx.g.authorityURL!.absoluteString,
                                                             fx.g.tenantID, F.clientID, F.secret, fx.adele, "11", state.path],
                                       needs: [.msgraph])
        }
        let first = try await run("first")
        print(first)
        #expect(first.contains("SUMMARY: msgraph first all checks passed"))
        #expect(fx.g.requestCount("oauth.token.client_credentials") == 1)

        // Another client changes the mailbox and the directory between the two runs.
        let contacts = try fx.g.contacts(in: fx.adele)
        try fx.g.updateContact(contacts[3].id, in: fx.adele) { $0["surname"] = "Changed-outside" }
        try fx.g.deleteContact(contacts[4].id, in: fx.adele)
        try fx.g.updateUser(fx.users[1].upn) { $0["jobTitle"] = "Director" }
        try fx.g.removeUser(fx.users[2].upn)

        let second = try await run("second")
        print(second)
        #expect(second.contains("SUMMARY: msgraph second all checks passed"))
        // The SDK sends the function with parentheses and follows the links verbatim.
        #expect(fx.g.pathCounts.keys.contains { $0.hasSuffix("/contacts/delta()") })
        for op in ["contacts.list", "contacts.delta", "contacts.create", "contacts.update", "contacts.delete", "batch", "users.delta"] {
            #expect(fx.g.requestCount(op) > 0, "\(op) was not used")
        }
        let names = try fx.g.contacts(in: fx.adele).compactMap(\.givenName)
        #expect(names.contains("Batch0") && names.contains("Batch1") && !names.contains("Sdk"))
    }
}
