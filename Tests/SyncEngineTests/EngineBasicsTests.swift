import Foundation
import Testing
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

@Suite struct EngineBasicsTests {
    @Test func createsFlowBothWays() async throws {
        let h = try Harness()
        h.spokes[0].userUpsert(Sample.person("Ada", "Lovelace", email: "ada@example.com"))
        h.spokes[1].userUpsert(Sample.person("Alan", "Turing", phone: "+44 20 7946 0958"))
        let run = try await h.sync()
        #expect(run.status == .succeeded)
        #expect(try h.hubContacts().count == 2)
        #expect(h.spokes[0].count == 2)
        #expect(h.spokes[1].count == 2)
        #expect(Harness.sorted(h.spokes[0].contacts) == Harness.sorted(h.spokes[1].contacts))
        // A second pass changes nothing and writes nothing.
        let before = h.spokes.map(\.requests)
        let again = try await h.sync()
        #expect(again.stats.values.allSatisfy { $0.pushedCreates + $0.pushedUpdates + $0.hubCreated == 0 })
        #expect(zip(before, h.spokes.map(\.requests)).allSatisfy { $1 - $0 == 1 })  // one pull page each
    }

    @Test func editsMergeFieldByField() async throws {
        let h = try Harness()
        let a = h.spokes[0].userUpsert(Sample.person("Ada", "Lovelace", email: "ada@example.com"))
        try await h.sync()
        let b = try #require(h.spokes[1].entries.first?.key)
        var c0 = h.spokes[0].entries[a]!.contact
        c0.title = "Countess"
        h.spokes[0].userUpsert(c0, id: a)
        var c1 = h.spokes[1].entries[b]!.contact
        c1.emails.append(LabeledValue("ada@home.example", label: .home))
        h.spokes[1].userUpsert(c1, id: b)
        try await h.sync()
        for s in h.spokes {
            let c = try #require(s.contacts.first)
            #expect(c.title == "Countess")
            #expect(Set(c.emails.map(\.value)) == ["ada@example.com", "ada@home.example"])
        }
    }

    @Test func firstSyncMatchesInsteadOfDuplicating() async throws {
        let h = try Harness()
        h.spokes[0].userUpsert(Sample.person("Grace", "Hopper", email: "grace@navy.mil"))
        h.spokes[1].userUpsert(Sample.person("Grace", "Hopper", email: "GRACE@navy.mil", phone: "555 0100 200"))
        try await h.sync()
        #expect(try h.hubContacts().count == 1)
        #expect(h.spokes[0].count == 1 && h.spokes[1].count == 1)
        // Each value as its user wrote it; the email each source already held stays as it is there.
        #expect(h.spokes[0].contacts[0].phones.map(\.value) == ["555 0100 200"])
        #expect(h.spokes[0].contacts[0].emails.map(\.value) == ["grace@navy.mil"])
        #expect(h.spokes[1].contacts[0].emails.map(\.value) == ["GRACE@navy.mil"])
    }

    @Test func deletionPropagates() async throws {
        let h = try Harness()
        let a = h.spokes[0].userUpsert(Sample.person("Ada", "Lovelace"))
        h.spokes[0].userUpsert(Sample.person("Alan", "Turing"))
        try await h.sync()
        h.spokes[0].userDelete(a)
        try await h.sync()
        #expect(try h.hubContacts().map(\.givenName) == ["Alan"])
        #expect(h.spokes[1].contacts.map(\.givenName) == ["Alan"])
    }
}

@Suite struct SortableIDTests {
    @Test func idsSortInCreationOrderAndDoNotRepeat() {
        let clock = TestClock()
        let ids = SortableID(clock: clock.closure)
        var all: [String] = []
        for i in 0..<3000 {
            if i % 1000 == 0 { clock.advance(0.5) }
            all.append(ids.next())
        }
        #expect(all == all.sorted())
        #expect(Set(all).count == all.count)
        #expect(all.allSatisfy { $0.count == 32 })
    }
}
