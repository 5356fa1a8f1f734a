import ConnectorEWS
import ConnectorGoogle
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// Exchange ↔ hub ↔ Google: numbers and addresses arrive as typed, and an edit of one field
/// writes that field only; what nobody touched reads back exactly as it was in each source.
@Suite struct MinimalWriteTests {
    static let mailbox = "ada@example.com"

    @Test func anUnrelatedEditLeavesEveryOtherFieldAsItWas() async throws {
        try await ExchangeAndGoogle.with(auth: .basic) { both in
            let exchange = both.exchange, g = both.google
            var hub = try HubFixture()
            try hub.add("exchange", .ews, both.ewsSpoke(.basic(user: "ada", password: "pw")))
            try hub.add("google", .google, g.spoke())
            func ews(_ given: String) throws -> EWSContactRecord? {
                try exchange.contacts(in: Self.mailbox).first { $0.contact.givenName == given }
            }
            // Outlook: numbers in slots the hub would not pick itself, the second email slot.
            var olivia = Emulators.EWSContact(givenName: "Olivia", surname: "Oak")
            olivia.phoneNumbers = ["CarPhone": "+1 (555) 010-0100", "HomePhone2": "0044 20 7946 0900"]
            olivia.emailAddresses = ["EmailAddress2": "Olivia.0@ACME.EXAMPLE"]
            _ = try exchange.createContact(olivia, in: Self.mailbox)
            // Google: a work fax (the hub writes faxes as otherFax), mixed-case email.
            try g.emulator.createContact(in: Google.email, fields: [
                "names": [["givenName": "Pat", "familyName": "Pine"]],
                "phoneNumbers": [["value": "+44 20 7946 0958", "type": "workFax"], ["value": "(020) 7946 0959", "type": "home"]],
                "emailAddresses": [["value": "Pat.Pine@Example.ORG", "type": "work"]],
            ])
            #expect(try await hub.sync().status == .succeeded)

            // Each arrived as typed.
            let patInExchange = try #require(try ews("Pat")).contact
            #expect(Set(patInExchange.phoneNumbers.values) == ["+44 20 7946 0958", "(020) 7946 0959"])
            #expect(patInExchange.emailAddresses.values.contains("Pat.Pine@Example.ORG"))
            let oliviaInGoogle = try #require(try g.record("Olivia"))
            #expect(Set(oliviaInGoogle.phones) == ["+1 (555) 010-0100", "0044 20 7946 0900"])
            #expect(oliviaInGoogle.emails == ["Olivia.0@ACME.EXAMPLE"])

            let oliviaBefore = try #require(try ews("Olivia")).contact
            let patBefore = try #require(try g.record("Pat"))
            // An unrelated edit on the other side of each.
            try g.emulator.updateContact(oliviaInGoogle.resourceName, in: Google.email) {
                $0["biographies"] = [["value": "Met at the fair"]]
            }
            _ = try exchange.updateContact(id: try #require(try ews("Pat")).id, in: Self.mailbox) { $0.jobTitle = "Pilot" }
            #expect(try await hub.sync().status == .succeeded)

            let oliviaAfter = try #require(try ews("Olivia")).contact
            #expect(oliviaAfter.body?.contains("Met at the fair") == true)
            #expect(oliviaAfter.phoneNumbers == oliviaBefore.phoneNumbers)
            #expect(oliviaAfter.emailAddresses == oliviaBefore.emailAddresses)
            #expect(oliviaAfter.fields["DisplayName"] == oliviaBefore.fields["DisplayName"])
            let patAfter = try #require(try g.record("Pat"))
            #expect(patAfter.fields["organizations"].map { "\($0)" }?.contains("Pilot") == true)
            for field in ["phoneNumbers", "emailAddresses", "names"] {
                #expect(patAfter.fields[field] == patBefore.fields[field], "\(field)")
            }

            // And it stays still.
            let calm = try await hub.sync()
            #expect(calm.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 && $0.pushedCreates == 0 })
        }
    }
}
