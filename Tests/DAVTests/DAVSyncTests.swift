import Foundation
import Testing
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import ConnectorMemory
import SyncModel
import TestSupport

/// Whole syncs: a hub with a Radicale book, a Xandikos book and an in-memory spoke, edited on
/// every side through other clients.
@Suite struct DAVSyncTests {
    struct Setup {
        var hub: HubFixture
        let radicale: DAVServer
        let xandikos: DAVServer
        let rBook: URL
        let xBook: URL
        let memory: MemorySpoke
        var r: OtherClient { OtherClient(radicale) }
        var x: OtherClient { OtherClient(xandikos) }
        func stop() {
            radicale.process.stop()
            xandikos.process.stop()
        }
    }

    func setup() async throws -> Setup {
        let radicale = try await DAVServer.start(.radicale)
        let xandikos = try await DAVServer.start(.xandikos)
        let rBook = try await radicale.makeBook()
        let xBook = try await xandikos.makeBook()
        var hub = try HubFixture()
        let memory = MemorySpoke(name: "memory")
        try hub.add("radicale", .carddav, try radicale.spoke(rBook, batch: 2))
        try hub.add("xandikos", .carddav, try xandikos.spoke(xBook, batch: 2))
        try hub.add("memory", .memory, memory)
        return Setup(hub: hub, radicale: radicale, xandikos: xandikos, rBook: rBook, xBook: xBook, memory: memory)
    }

    /// Exchange says nothing of an item created and deleted after the state a client holds (the
    /// EWS spoke moves its state past the hub's writes for that). A CardDAV server reports such a
    /// card as gone: deleting one the hub just wrote, before the next pull, is seen.
    @Test func aCardTheHubWroteAndAnotherClientDeletedBeforeTheNextPullIsSeenDeleted() async throws {
        let s = try await setup()
        defer { s.stop() }
        for name in ["Cy", "Di"] { _ = s.memory.userUpsert(Contact(givenName: name, familyName: "M")) }
        #expect(try await s.hub.sync().status == .succeeded)
        let cy = try #require(try await s.r.cards(s.rBook).first { $0.value.contains("FN:Cy M") }?.key)
        try await s.r.delete(cy)
        #expect(try await s.hub.sync().status == .succeeded)
        #expect(try s.hub.names() == ["Di"])
        #expect(s.memory.contacts.compactMap(\.givenName) == ["Di"])
    }

    @Test func twoWayEditsDeletionsAndNoDuplicates() async throws {
        let s = try await setup()
        defer { s.stop() }
        try await s.r.put(s.rBook, "ada.vcf", card(uid: "r-ada", given: "Ada", family: "Lovelace", email: "ada@example.com"))
        try await s.r.put(s.rBook, "bob.vcf", card(uid: "r-bob", given: "Bob", family: "Bell"))
        try await s.x.put(s.xBook, "cy.vcf", card(uid: "x-cy", given: "Cy", family: "Young", phone: "+1 555 0100"))
        // The same person on two sides: matched by email, not duplicated.
        try await s.x.put(s.xBook, "ada2.vcf", card(uid: "x-ada", given: "Ada", family: "Lovelace", email: "ADA@example.com"))
        _ = s.memory.userUpsert(Contact(givenName: "Dee", familyName: "Dent"))

        let first = try await s.hub.sync()
        #expect(first.status == .succeeded, "\(first.errors)")
        #expect(try s.hub.names() == ["Ada", "Bob", "Cy", "Dee"])
        #expect(try await givenNames(s.hub.connectors[SpokeID("radicale")]!) == ["Ada", "Bob", "Cy", "Dee"])
        #expect(try await givenNames(s.hub.connectors[SpokeID("xandikos")]!) == ["Ada", "Bob", "Cy", "Dee"])
        #expect(s.memory.contacts.compactMap(\.givenName).sorted() == ["Ada", "Bob", "Cy", "Dee"])

        // The echo of our own writes changes nothing.
        let echo = try await s.hub.sync()
        #expect(echo.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 && $0.pushedCreates == 0 })

        // Edit on Radicale → Xandikos and memory; edit on Xandikos → Radicale; delete in memory → both.
        try await s.r.put(s.rBook, "bob.vcf", card(uid: "r-bob", given: "Bob", family: "Bell", phone: "+1 555 0199"))
        let cyURL = try #require(try await s.x.cards(s.xBook).first { $0.value.contains("FN:Cy Young") }?.key)
        try await s.x.put(s.xBook, cyURL.lastPathComponent, card(uid: "x-cy", given: "Cy", family: "Young", phone: "+1 555 0100", extra: ["TITLE:Pitcher"]))
        let dee = try #require(s.memory.entries.first { $0.value.contact.givenName == "Dee" })
        s.memory.userDelete(dee.key)
        let second = try await s.hub.sync()
        #expect(second.status == .succeeded, "\(second.errors)")
        let xCards = try await s.x.byName(s.xBook)
        let rCards = try await s.r.byName(s.rBook)
        #expect(xCards["Bob Bell"]?.contains("+1 555 0199") == true)
        #expect(rCards["Cy Young"]?.contains("TITLE:Pitcher") == true)
        #expect(xCards["Dee Dent"] == nil && rCards["Dee Dent"] == nil)
        #expect(Set(xCards.keys) == ["Ada Lovelace", "Bob Bell", "Cy Young"])
        #expect(Set(rCards.keys) == Set(xCards.keys))
        #expect(s.memory.contacts.first { $0.givenName == "Bob" }?.phones.map(\.value) == ["+1 555 0199"])  // as its user wrote it

        // Deleted on a server by another client → gone everywhere.
        try await s.r.delete(s.rBook.appendingPathComponent("bob.vcf"))
        #expect(try await s.hub.sync().status == .succeeded)
        #expect(try s.hub.names() == ["Ada", "Cy"])
        #expect(Set(try await s.x.byName(s.xBook).keys) == ["Ada Lovelace", "Cy Young"])
    }

    @Test func conflictingEditsSettleTheSameEverywhere() async throws {
        let s = try await setup()
        defer { s.stop() }
        try await s.r.put(s.rBook, "eve.vcf", card(uid: "eve", given: "Eve", family: "Adams", email: "eve@example.com"))
        #expect(try await s.hub.sync().status == .succeeded)
        let xURL = try #require(try await s.x.cards(s.xBook).first?.key)
        // Both sides change the title, differently; Xandikos also adds a phone, Radicale a note.
        try await s.r.put(s.rBook, "eve.vcf", card(uid: "eve", given: "Eve", family: "Adams", email: "eve@example.com", extra: ["TITLE:CEO", "NOTE:met at the fair"]))
        try await s.x.put(s.xBook, xURL.lastPathComponent, card(uid: "eve", given: "Eve", family: "Adams", email: "eve@example.com", phone: "+1 555 0142", extra: ["TITLE:CFO"]))
        let run = try await s.hub.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(run.stats.values.map(\.conflicts).reduce(0, +) >= 1)
        _ = try await s.hub.sync()
        let eve = try #require(try s.hub.item("Eve")).contact
        #expect(eve.notes == "met at the fair")
        #expect(eve.phones.count == 1)
        for book in [try await s.r.byName(s.rBook)["Eve Adams"], try await s.x.byName(s.xBook)["Eve Adams"]] {
            let text = try #require(book)
            #expect(text.contains("TITLE:\(eve.title ?? "?")"))
            #expect(text.contains("met at the fair"))
            #expect(text.contains("+1 555 0142"))
        }
        #expect(s.memory.contacts.first?.title == eve.title)
    }

    @Test func anExpiredTokenReconcilesWithoutWiping() async throws {
        let s = try await setup()
        defer { s.stop() }
        for i in 0..<6 { try await s.r.put(s.rBook, "p\(i).vcf", card(uid: "p\(i)", given: "P\(i)", family: "Q")) }
        #expect(try await s.hub.sync().status == .succeeded)
        let radicale = SpokeID("radicale")
        #expect(try s.hub.cursor(radicale)?.rawValue.hasPrefix("sync:") == true)
        try s.hub.setCursor(radicale, SpokeCursor("sync:http://radicale.org/ns/sync/0000"))
        try await s.r.put(s.rBook, "p0.vcf", card(uid: "p0", given: "P0", family: "Changed"))
        let run = try await s.hub.sync()
        #expect(run.status == .succeeded)
        #expect(run.stats[radicale]?.hubDeleted == 0)
        #expect(try s.hub.names().count == 6)
        #expect(try s.hub.item("P0")?.contact.familyName == "Changed")
        #expect(try s.hub.cursor(radicale)?.rawValue != "sync:http://radicale.org/ns/sync/0000")
    }

    @Test func aMassDeletionOnAServerIsHeld() async throws {
        let s = try await setup()
        defer { s.stop() }
        for i in 0..<10 { try await s.r.put(s.rBook, "p\(i).vcf", card(uid: "p\(i)", given: "P\(i)", family: "Q")) }
        #expect(try await s.hub.sync().status == .succeeded)
        for url in try await s.r.cards(s.rBook).keys { try await s.r.delete(url) }
        let run = try await s.hub.sync()
        #expect(run.stats[SpokeID("radicale")]?.heldDeletions == 10)
        #expect(try s.hub.names().count == 10)
        #expect(try await s.x.cards(s.xBook).count == 10)
    }
}
