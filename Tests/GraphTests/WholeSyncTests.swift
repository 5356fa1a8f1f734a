import ConnectorKit
import Emulators
import Foundation
import SyncModel
import SyncStore
import Testing
import TestSupport

/// Whole syncs across the three Microsoft and Google sources: Exchange Server (EWS emulator) ↔
/// hub ↔ Microsoft 365 (Graph emulator) ↔ Google (People emulator).
@Suite struct WholeSyncTests {
    static let exchange = SpokeID("exchange"), m365 = SpokeID("m365"), google = SpokeID("google")
    static let server = (email: "ada@example.com", user: "ada", password: "Ex-pw 2")

    struct Setup {
        var hub: HubFixture
        let ews: EWSEmulator
        let g: Graph
        let people: People

        func exchangeNames() throws -> [String] { try ews.contacts(in: WholeSyncTests.server.email).compactMap(\.contact.givenName).sorted() }
        func m365Names() throws -> [String] { try g.contacts().compactMap(\.givenName).sorted() }
        func googleNames() throws -> [String] { try people.contacts().compactMap(\.givenName).sorted() }
        /// The same names in the hub and in every source.
        func converged() throws -> [String]? {
            let all = [try hub.names().sorted(), try exchangeNames(), try m365Names(), try googleNames()]
            return Set(all).count == 1 ? all[0] : nil
        }
    }

    func setup(_ body: (Setup) async throws -> Void) async throws {
        try await Graph.with { g in
            let ews = EWSEmulator(version: .exchange2016, auth: .all)
            ews.addMailbox(email: Self.server.email, user: Self.server.user, password: Self.server.password, domain: "EXAMPLE")
            try await withResource({ () async throws -> (URL, People) in
                let url = try await ews.start()
                do { return (url, try await People.start()) } catch {
                    await ews.stop()
                    throw error
                }
            }, close: { pair in
                await ews.stop()
                await pair.1.emulator.stop()
            }) { pair in
                let (url, people) = pair
                var hub = try HubFixture()
                try hub.add(Self.exchange.rawValue, .ews, exchangeSpoke(url: url, user: Self.server.user, password: Self.server.password))
                try hub.add(Self.m365.rawValue, .graph, g.spoke())
                try hub.add(Self.google.rawValue, .google, people.spoke())
                try await body(Setup(hub: hub, ews: ews, g: g, people: people))
            }
        }
    }

    /// Syncs until a pass changes nothing (at most `limit` passes); the last run.
    @discardableResult
    func settle(_ s: Setup, limit: Int = 3) async throws -> RunRecord {
        var run = try await s.hub.sync()
        for _ in 1..<limit where run.stats.values.contains(where: Self.changed) { run = try await s.hub.sync() }
        return run
    }

    static func changed(_ st: SpokeRunStats) -> Bool {
        st.hubCreated + st.hubUpdated + st.hubDeleted + st.pushedCreates + st.pushedUpdates + st.pushedDeletes > 0
    }

    @Test func createsEditsAndDeletesOnEverySideConverge() async throws {
        try await setup { s in
            // Enough contacts that one deletion per source stays under the mass-deletion guard.
            for i in 0..<6 { try s.g.add("Seed\(i)", email: "seed\(i)@example.org") }
            let ann = try s.ews.createContact(Emulators.EWSContact(givenName: "Ann", surname: "Lee", email: "ann@example.com"),
                                              in: Self.server.email)
            let ben = try s.g.add("Ben", email: "ben@example.com")
            let cy = try s.people.emulator.createContact(in: People.email, givenName: "Cy", familyName: "Ng", emailAddress: "cy@example.com")
            let first = try await s.hub.sync()
            #expect(first.status == .succeeded, "\(first.errors)")
            let calm = try await settle(s)
            #expect(!calm.stats.values.contains(where: Self.changed))
            let names = try #require(try s.converged())
            #expect(names.count == 9 && names.contains("Ann") && names.contains("Ben") && names.contains("Cy"))

            // An edit in each source reaches the other two.
            _ = try s.ews.updateContact(id: ann.id, in: Self.server.email) { $0.jobTitle = "Pilot" }
            _ = try s.g.emulator.updateContact(ben.id, in: s.g.upn) { $0["companyName"] = "Acme" }
            _ = try s.people.emulator.updateContact(cy.resourceName, in: People.email) { $0["organizations"] = [["name": "Globex"]] }
            #expect(try await settle(s).status == .succeeded)
            #expect(try s.g.record("Ann")?.fields["jobTitle"]?.string == "Pilot")
            #expect(try s.people.contacts().first { $0.givenName == "Ann" }?.values("organizations", "title") == ["Pilot"])
            #expect(try s.ews.contacts(in: Self.server.email).first { $0.contact.givenName == "Ben" }?.contact.companyName == "Acme")
            #expect(try s.people.contacts().first { $0.givenName == "Ben" }?.values("organizations", "name") == ["Acme"])
            #expect(try s.ews.contacts(in: Self.server.email).first { $0.contact.givenName == "Cy" }?.contact.companyName == "Globex")
            #expect(try s.g.record("Cy")?.fields["companyName"]?.string == "Globex")

            // A deletion in each source goes everywhere.
            let annThere = try #require(try s.g.record("Ann"))
            try s.g.emulator.deleteContact(annThere.id, in: s.g.upn)
            let benThere = try #require(try s.people.contacts().first { $0.givenName == "Ben" })
            try s.people.emulator.deleteContact(benThere.resourceName, in: People.email)
            let cyThere = try #require(try s.ews.contacts(in: Self.server.email).first { $0.contact.givenName == "Cy" })
            try s.ews.deleteContact(id: cyThere.id, in: Self.server.email)
            #expect(try await settle(s).status == .succeeded)
            #expect(try s.converged() == (0..<6).map { "Seed\($0)" })
        }
    }

    @Test func aLostCreateAnswerInMicrosoft365DuplicatesNothing() async throws {
        try await setup { s in
            _ = try s.ews.createContact(Emulators.EWSContact(givenName: "Ann", surname: "Lee", email: "ann@example.com"), in: Self.server.email)
            _ = try s.people.emulator.createContact(in: People.email, givenName: "Cy", familyName: "Ng", emailAddress: "cy@example.com")
            // Graph makes the contact, the answer never arrives.
            s.g.emulator.faults.inject(.dropAnswer, count: 1, operation: "contacts.create")
            _ = try await s.hub.sync()
            #expect(s.g.emulator.faults.injectedCount == 1)
            try await settle(s)
            #expect(try s.converged() == ["Ann", "Cy"])
            let calm = try await s.hub.sync()
            #expect(!calm.stats.values.contains(where: Self.changed))
            #expect(try s.g.contacts().count == 2)
        }
    }

    @Test func aMassDeletionInAMailboxIsHeldEverywhere() async throws {
        try await setup { s in
            for i in 0..<8 { try s.g.add("P\(i)", email: "p\(i)@example.org") }
            try await settle(s)
            #expect(try s.converged()?.count == 8)
            for r in try s.g.contacts() { try s.g.emulator.deleteContact(r.id, in: s.g.upn) }
            let run = try await s.hub.sync()
            #expect(run.stats[Self.m365]?.heldDeletions == 8)
            #expect(try s.hub.names().count == 8)
            #expect(try s.exchangeNames().count == 8 && s.googleNames().count == 8)
            #expect(try s.hub.store.pendingHolds(hub: s.hub.hub).map(\.spoke) == [Self.m365])
        }
    }

    @Test func anExpiredDeltaTokenDeletesNothing() async throws {
        try await setup { s in
            for i in 0..<6 { try s.g.add("P\(i)", email: "p\(i)@example.org") }
            _ = try s.ews.createContact(Emulators.EWSContact(givenName: "Ann", surname: "Lee", email: "ann@example.com"), in: Self.server.email)
            try await settle(s)
            #expect(try s.converged()?.count == 7)
            for expiry in [GraphEmulator.DeltaExpiry.gone410, .syncStateNotFound] {
                s.g.emulator.deltaExpiry = expiry
                s.g.emulator.expireDeltaTokens()
                let run = try await s.hub.sync()
                #expect(run.status == .succeeded, "\(run.errors)")
                #expect(!run.stats.values.contains(where: Self.changed))
                #expect(try s.converged()?.count == 7)
            }
        }
    }
}
