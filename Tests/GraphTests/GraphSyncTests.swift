import ConnectorGraph
import ConnectorKit
import ConnectorMemory
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// Whole syncs: memory ↔ hub ↔ a Microsoft 365 mailbox in the Graph emulator.
@Suite struct GraphSyncTests {
    static let graph = SpokeID("m365")

    struct Setup {
        var hub: HubFixture
        let memory: MemorySpoke
        let g: Graph
    }

    func setup(_ body: (Setup) async throws -> Void) async throws {
        try await Graph.with { g in
            var hub = try HubFixture()
            let memory = MemorySpoke()
            try hub.add("memory", .memory, memory)
            try hub.add(Self.graph.rawValue, .graph, g.spoke())
            try await body(Setup(hub: hub, memory: memory, g: g))
        }
    }

    @Test func contactsFlowBothWaysAndADeltaRoundCarriesEdits() async throws {
        try await setup { s in
            _ = s.memory.userUpsert(Contact(givenName: "Ann", familyName: "Lee", emails: [LabeledValue("ann@example.com", label: .work)],
                                           phones: [LabeledValue("+1 555 0100", label: .mobile)]))
            let ben = try s.g.add("Ben", email: "ben@example.com")
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.hub.names() == ["Ann", "Ben"])
            let ann = try #require(try s.g.record("Ann"))
            #expect(ann.emails == ["ann@example.com"])
            #expect(ann.fields["mobilePhone"]?.string == "+1 555 0100")
            #expect(ann.extendedProperties.values.contains { $0.hasPrefix("hubsync:") })
            #expect(s.memory.entries.values.contains { $0.contact.givenName == "Ben" })
            // An edit in Outlook travels; the next pass reads only the delta.
            _ = try s.g.emulator.updateContact(ben.id, in: s.g.upn) { $0["jobTitle"] = "Pilot" }
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(s.memory.entries.values.first { $0.contact.givenName == "Ben" }?.contact.title == "Pilot")
            // A quiet pass writes nothing to the mailbox.
            s.g.emulator.resetCounters()
            let calm = try await s.hub.sync()
            #expect(calm.status == .succeeded)
            #expect(s.g.emulator.requestCount("contacts.update") == 0 && s.g.emulator.requestCount("contacts.create") == 0)
        }
    }

    @Test func editsOfDifferentFieldsOnBothSidesAreMerged() async throws {
        try await setup { s in
            let id = s.memory.userUpsert(Contact(givenName: "Cy", familyName: "Ng"))
            #expect(try await s.hub.sync().status == .succeeded)
            let cy = try #require(try s.g.record("Cy"))
            _ = try s.g.emulator.updateContact(cy.id, in: s.g.upn) { $0["jobTitle"] = "Pilot" }
            var edited = try #require(s.memory.entries[id]).contact
            edited.notes = "Met at the fair"
            _ = s.memory.userUpsert(edited, id: id)
            #expect(try await s.hub.sync().status == .succeeded)
            let item = try #require(try s.hub.item("Cy"))
            #expect(item.contact.title == "Pilot" && item.contact.notes == "Met at the fair")
            let there = try #require(try s.g.record("Cy"))
            #expect(there.fields["personalNotes"]?.string == "Met at the fair" && there.fields["jobTitle"]?.string == "Pilot")
        }
    }

    @Test func anExpiredDeltaTokenDeletesNothing() async throws {
        try await setup { s in
            for i in 0..<5 { try s.g.add("P\(i)") }
            #expect(try await s.hub.sync().status == .succeeded)
            s.g.emulator.expireDeltaTokens()
            let run = try await s.hub.sync()
            #expect(run.status == .succeeded)
            #expect(try s.hub.names().count == 5)
            #expect(s.memory.entries.count == 5)
            #expect(try s.g.contacts().count == 5)
        }
    }

    @Test func aLostCreateAnswerDuplicatesNothing() async throws {
        try await setup { s in
            _ = s.memory.userUpsert(Contact(givenName: "Ann"))
            _ = s.memory.userUpsert(Contact(givenName: "Ben"))
            s.g.emulator.faults.inject(.dropAnswer, count: 1, operation: "contacts.create")
            let lost = try await s.hub.sync()
            #expect(lost.status != .succeeded)
            #expect(try s.g.contacts().count == 2)
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.g.contacts().compactMap(\.givenName).sorted() == ["Ann", "Ben"])
            let calm = try await s.hub.sync()
            #expect(calm.stats.values.allSatisfy { $0.pushedCreates == 0 && $0.hubCreated == 0 })
            #expect(try s.hub.names() == ["Ann", "Ben"])
        }
    }

    @Test func aMassDeletionInTheMailboxIsHeld() async throws {
        try await setup { s in
            for i in 0..<10 { try s.g.add("P\(i)") }
            #expect(try await s.hub.sync().status == .succeeded)
            for r in try s.g.contacts() { try s.g.emulator.deleteContact(r.id, in: s.g.upn) }
            let run = try await s.hub.sync()
            #expect(run.stats[Self.graph]?.heldDeletions == 10)
            #expect(try s.hub.names().count == 10)
            #expect(s.memory.entries.count == 10)
        }
    }
}
