import ConnectorEWS
import ConnectorKit
import ConnectorMemory
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// Whole syncs: a hub with an Exchange mailbox (the emulator, spoken to over EWS) and an
/// in-memory spoke, edited on both sides.
@Suite struct EWSSyncTests {
    struct Setup {
        var hub: HubFixture
        let x: Exchange
        let memory: MemorySpoke
        static let ews = SpokeID("exchange")
        static let mem = SpokeID("memory")
    }

    func setup(
        options: SpokeOptions = .init(), memoryOptions: SpokeOptions = .init(), _ body: (Setup) async throws -> Void
    ) async throws {
        let x = try await Exchange.start()
        var hub = try HubFixture()
        let memory = MemorySpoke(name: "memory")
        try hub.add("exchange", .ews, x.spoke(auth: .automatic(user: Exchange.user, password: Exchange.password), batch: 3),
                    options: options)
        try hub.add("memory", .memory, memory, options: memoryOptions)
        do { try await body(Setup(hub: hub, x: x, memory: memory)) } catch { await x.stop(); throw error }
        await x.stop()
    }

    @Test func twoWayEditsDeletionsAndNoDuplicates() async throws {
        try await setup { s in
            try s.x.add("Ann", "Arden", email: "ann@example.com")
            try s.x.add("Ben", "Bloom")
            _ = s.memory.userUpsert(Contact(givenName: "Ann", familyName: "Arden", emails: [LabeledValue("ANN@example.com")]))
            _ = s.memory.userUpsert(Contact(givenName: "Cy", familyName: "Young", phones: [LabeledValue("+1 555 0100", label: .mobile)]))

            let first = try await s.hub.sync()
            #expect(first.status == .succeeded, "\(first.errors)")
            #expect(try s.hub.names() == ["Ann", "Ben", "Cy"])
            #expect(try s.x.contacts().compactMap(\.contact.givenName).sorted() == ["Ann", "Ben", "Cy"])
            #expect(s.memory.contacts.compactMap(\.givenName).sorted() == ["Ann", "Ben", "Cy"])
            #expect(try s.x.record("Cy")?.contact.phoneNumbers["MobilePhone"] == "+1 555 0100")

            // The echo of our own writes changes nothing and reads no bodies.
            s.x.emulator.resetCounters()
            let echo = try await s.hub.sync()
            #expect(echo.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 && $0.pushedCreates == 0 })
            #expect(s.x.emulator.requestCount("GetItem") == 0)

            // Outlook edits, memory edits, both directions.
            try s.x.edit(try #require(try s.x.record("Ben")).id) { $0.jobTitle = "Builder" }
            let cy = try #require(s.memory.entries.first { $0.value.contact.givenName == "Cy" })
            var cyEdited = cy.value.contact
            cyEdited.organization = "Young & Co"
            _ = s.memory.userUpsert(cyEdited, id: cy.key)
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(s.memory.contacts.first { $0.givenName == "Ben" }?.title == "Builder")
            #expect(try s.x.record("Cy")?.contact.companyName == "Young & Co")

            // Deletions both ways.
            try s.x.delete(try #require(try s.x.record("Ben")).id)
            s.memory.userDelete(try #require(s.memory.entries.first { $0.value.contact.givenName == "Cy" }).key)
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.hub.names() == ["Ann"])
            #expect(try s.x.contacts().compactMap(\.contact.givenName) == ["Ann"])
            #expect(s.memory.contacts.compactMap(\.givenName) == ["Ann"])
        }
    }

    /// Exchange says nothing of an item created and deleted after the state a client holds: the
    /// spoke moves its state past the hub's own writes, so deleting one of them is seen.
    @Test func aContactTheHubWroteAndOutlookDeletedBeforeTheNextPullIsSeenDeleted() async throws {
        try await setup { s in
            try s.x.add("Ann", "Arden")
            for name in ["Cy", "Di"] { _ = s.memory.userUpsert(Contact(givenName: name, familyName: "M")) }
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.x.contacts().count == 3)

            try s.x.delete(try #require(try s.x.record("Cy")).id)  // before any pull saw it
            s.x.emulator.resetCounters()
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.hub.names() == ["Ann", "Di"])
            #expect(s.memory.contacts.compactMap(\.givenName).sorted() == ["Ann", "Di"])

            // Something else changed meanwhile: the state stays, and the next pull lists it all.
            let dee = try #require(s.memory.entries.first { $0.value.contact.givenName == "Di" })
            var edited = dee.value.contact
            edited.title = "Director"
            _ = s.memory.userUpsert(edited, id: dee.key)
            let x = s.x
            x.emulator.faults.setHook { operation in
                if operation == "UpdateItem" { x.emulator.faults.setHook(nil); _ = try? x.add("Eve", "Outlook") }
            }
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.hub.names() == ["Ann", "Di", "Eve"])
            #expect(try s.x.record("Di")?.contact.jobTitle == "Director")
        }
    }

    @Test func whatDoesNotFitTheMailboxIsNotLost() async throws {
        try await setup { s in
            let four = (1...4).map { LabeledValue("p\($0)@example.com", label: .work) }
            _ = s.memory.userUpsert(Contact(givenName: "Pat", familyName: "Many", emails: four))
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.x.record("Pat")?.contact.emailAddresses.count == 3)
            // Outlook renames; the fourth email and the labels stay in the hub and in memory.
            try s.x.edit(try #require(try s.x.record("Pat")).id) { $0.surname = "Several" }
            #expect(try await s.hub.sync().status == .succeeded)
            let hubPat = try #require(try s.hub.item("Pat")).contact
            #expect(hubPat.familyName == "Several")
            #expect(hubPat.emails == four)
            #expect(s.memory.contacts.first?.emails == four)
            // And it stays still.
            let calm = try await s.hub.sync()
            #expect(calm.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 })
        }
    }

    @Test func anEditLandingBetweenOurReadAndOurWriteIsMerged() async throws {
        try await setup { s in
            try s.x.add("Dee", "Dent")
            #expect(try await s.hub.sync().status == .succeeded)
            let id = try #require(try s.x.record("Dee")).id
            // Memory edits the title; Outlook edits the company just before our UpdateItem lands.
            let dee = try #require(s.memory.entries.first { $0.value.contact.givenName == "Dee" })
            var edited = dee.value.contact
            edited.title = "Director"
            _ = s.memory.userUpsert(edited, id: dee.key)
            let x = s.x
            x.emulator.faults.setHook { operation in
                guard operation == "UpdateItem" else { return }
                x.emulator.faults.setHook(nil)
                try? x.edit(id) { $0.companyName = "Dent Ltd" }
            }
            let run = try await s.hub.sync()
            #expect(run.status == .succeeded, "\(run.errors)")
            _ = try await s.hub.sync()
            let final = try #require(try s.x.record("Dee")).contact
            #expect(final.jobTitle == "Director")
            #expect(final.companyName == "Dent Ltd")
            #expect(s.memory.contacts.first { $0.givenName == "Dee" }?.organization == "Dent Ltd")
        }
    }

    @Test func anExchangeFieldMappedToACustomHubFieldFlowsBothWays() async throws {
        let mapped = SpokeOptions(fieldMappings: [FieldMapping(spokeField: .custom("OfficeLocation"), hubField: "Office")])
        // The memory spoke keeps custom fields by name: "Office" there is the hub's "Office".
        let plain = SpokeOptions(fieldMappings: [FieldMapping(spokeField: .custom("Office"), hubField: "Office")])
        try await setup(options: mapped, memoryOptions: plain) { s in
            let rec = try s.x.add("Ola", "Office")
            try s.x.edit(rec.id) { $0.fields["OfficeLocation"] = "B2.14" }
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.hub.item("Ola")?.contact.custom == ["Office": "B2.14"])
            let ola = try #require(s.memory.entries.first { $0.value.contact.givenName == "Ola" })
            var moved = ola.value.contact
            moved.custom["Office"] = "C3.01"
            _ = s.memory.userUpsert(moved, id: ola.key)
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.x.record("Ola")?.contact.fields["OfficeLocation"] == "C3.01")
        }
    }

    @Test func aLostAnswerToACreateDuplicatesNothing() async throws {
        try await setup { s in
            _ = s.memory.userUpsert(Contact(givenName: "Ann", familyName: "Arden"))
            _ = s.memory.userUpsert(Contact(givenName: "Ben", familyName: "Bloom"))
            // Exchange makes the contacts, then the connection drops before the answer.
            s.x.emulator.faults.inject(.dropAnswer, count: 1, operation: "CreateItem")
            let lost = try await s.hub.sync()
            #expect(lost.status != .succeeded)
            #expect(s.x.emulator.requestCount("CreateItem") == 1)  // not sent again blindly
            #expect(try s.x.contacts().count == 2)
            // The next pass finds them by their marker instead of creating them again.
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.x.contacts().compactMap(\.contact.givenName).sorted() == ["Ann", "Ben"])
            let calm = try await s.hub.sync()
            #expect(calm.stats.values.allSatisfy { $0.pushedCreates == 0 && $0.hubCreated == 0 })
            #expect(try s.hub.names() == ["Ann", "Ben"])
        }
    }

    @Test func aMassDeletionInTheMailboxIsHeld() async throws {
        try await setup { s in
            for i in 0..<10 { try s.x.add("P\(i)") }
            #expect(try await s.hub.sync().status == .succeeded)
            for r in try s.x.contacts() { try s.x.delete(r.id) }
            let run = try await s.hub.sync()
            #expect(run.stats[Setup.ews]?.heldDeletions == 10)
            #expect(try s.hub.names().count == 10)
            #expect(s.memory.contacts.count == 10)
        }
    }

    @Test func anExpiredSyncStateReconcilesWithoutWipingAnything() async throws {
        try await setup { s in
            for i in 0..<4 { try s.x.add("P\(i)") }
            #expect(try await s.hub.sync().status == .succeeded)
            s.x.emulator.expireSyncStates()
            try s.x.edit(try #require(try s.x.record("P1")).id) { $0.surname = "Changed" }
            let run = try await s.hub.sync()
            #expect(run.status == .succeeded)
            #expect(run.stats[Setup.ews]?.hubDeleted == 0)
            #expect(try s.hub.names().count == 4)
            #expect(try s.hub.item("P1")?.contact.familyName == "Changed")
        }
    }
}
