import ConnectorEWS
import ConnectorGoogle
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// The scenario users ask for: an Exchange mailbox ↔ the hub ↔ a Google account, edited on
/// both sides, both directions, no duplicates. Both servers are emulators spoken to over their
/// real protocols.
@Suite struct ExchangeGoogleSyncTests {
    static let mailbox = "ada@example.com"

    @Test func exchangeAndGoogleStayTheSame() async throws {
        try await ExchangeAndGoogle.with(auth: .ntlm) { both in
            let exchange = both.exchange, g = both.google
            var hub = try HubFixture()
            try hub.add("exchange", .ews, both.ewsSpoke(.automatic(user: "EXAMPLE\\ada", password: "pw")))
            try hub.add("google", .google, g.spoke())
            func ews() throws -> [EWSContactRecord] { try exchange.contacts(in: Self.mailbox) }
            func ewsRecord(_ given: String) throws -> EWSContactRecord? { try ews().first { $0.contact.givenName == given } }
            // The same person on both sides (matched by email), and one on each side only.
            _ = try exchange.createContact(Emulators.EWSContact(givenName: "Ann", surname: "Arden", email: "ann@example.com"),
                                           in: Self.mailbox)
            _ = try exchange.createContact(Emulators.EWSContact(givenName: "Ben", surname: "Bloom"), in: Self.mailbox)
            try g.add("Ann", "Arden", email: "ANN@example.com")
            try g.add("Cy", "Young", email: "cy@example.com")

            #expect(try await hub.sync().status == .succeeded)
            #expect(try hub.names() == ["Ann", "Ben", "Cy"])
            #expect(try ews().compactMap(\.contact.givenName).sorted() == ["Ann", "Ben", "Cy"])
            #expect(try g.contacts().compactMap(\.givenName).sorted() == ["Ann", "Ben", "Cy"])

            // Edits on both sides, both directions.
            _ = try exchange.updateContact(id: try #require(try ewsRecord("Ben")).id, in: Self.mailbox) { $0.jobTitle = "Builder" }
            try g.emulator.updateContact(try #require(try g.record("Cy")).resourceName, in: Google.email) {
                $0["organizations"] = [["name": "Young & Co"]]
            }
            #expect(try await hub.sync().status == .succeeded)
            #expect(try g.record("Ben")?.fields["organizations"].map { "\($0)" }?.contains("Builder") == true)
            #expect(try ewsRecord("Cy")?.contact.companyName == "Young & Co")

            // Deletions both ways.
            try exchange.deleteContact(id: try #require(try ewsRecord("Ben")).id, in: Self.mailbox)
            try g.emulator.deleteContact(try #require(try g.record("Cy")).resourceName, in: Google.email)
            #expect(try await hub.sync().status == .succeeded)
            #expect(try hub.names() == ["Ann"])
            #expect(try ews().compactMap(\.contact.givenName) == ["Ann"])
            #expect(try g.contacts().compactMap(\.givenName) == ["Ann"])

            // And it stays still.
            let calm = try await hub.sync()
            #expect(calm.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 && $0.pushedCreates == 0 })
        }
    }
}
