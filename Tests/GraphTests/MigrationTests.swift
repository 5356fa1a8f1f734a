import ConnectorEWS
import ConnectorGraph
import ConnectorKit
import ConnectorMemory
import Emulators
import Foundation
import SyncEngine
import SyncModel
import SyncStore
import Testing
import TestSupport

/// An Exchange Online spoke moving from EWS to Graph on one mailbox (both emulators serve it):
/// links kept through `translateExchangeIds`, one transaction, and a first Graph sync that
/// matches, creates and sends nothing.
@Suite struct MigrationTests {
    static let mail = SpokeID("mail")

    struct Setup {
        var hub: HubFixture
        let memory: MemorySpoke
        let x: SharedExchange
    }

    func setup(_ body: (inout Setup) async throws -> Void) async throws {
        try await SharedExchange.with { x in
            var hub = try HubFixture()
            let memory = MemorySpoke()
            try hub.add("memory", .memory, memory)
            var options = SpokeOptions()
            options.categorizeAs = "From the hub"
            try hub.add(Self.mail.rawValue, .ews, x.ewsSpoke(), options: options)
            var s = Setup(hub: hub, memory: memory, x: x)
            try await body(&s)
        }
    }

    /// Two contacts from the hub (they carry the hub's marker) and two Outlook made (they do not).
    func seed(_ s: Setup) async throws {
        _ = s.memory.userUpsert(Contact(givenName: "Ann", familyName: "Lee", emails: [LabeledValue("ann@example.com", label: .work)]))
        _ = s.memory.userUpsert(Contact(givenName: "Ben", familyName: "Ray", phones: [LabeledValue("+1 555 0101", label: .mobile)]))
        try s.x.addThroughEWS("Cy", email: "cy@example.com")
        try s.x.addThroughEWS("Dee", email: "dee@example.com")
        #expect(try await s.hub.sync().status == .succeeded)
        #expect(try s.hub.names() == ["Ann", "Ben", "Cy", "Dee"])
        #expect(try s.x.ewsContacts().count == 4 && s.memory.count == 4)
    }

    /// The move as `spoke migrate` makes it (ids translated first, then one switch); `drop`: ids
    /// left untranslated, as Graph may answer for some.
    @discardableResult
    func migrate(_ s: inout Setup, drop: Int = 0, translatedAs: ((String) -> String)? = nil) async throws -> ConnectorSwitchReport {
        let (store, hub) = (s.hub.store, s.hub.hub)
        let remote = try store.linkedRemoteIDs(hub: hub, spoke: Self.mail)
        let links = try store.links(hub: hub, spoke: Self.mail, remoteIDs: Array(remote))
        var translated = try await ExchangeIds.translate(ewsIDs: remote.map(\.rawValue), s.x.graph.settings(), http: s.x.graphHTTP())
        for id in remote.sorted().prefix(drop) { translated[id.rawValue] = nil }
        var map: [RemoteID: (id: RemoteID, version: RemoteVersion?)] = [:]
        for (old, new) in translated {
            let key = links[RemoteID(old)]?.remoteVersion.map(EWSSpoke.changeKey(of:))
            map[RemoteID(old)] = (RemoteID(translatedAs?(new) ?? new), ExchangeIds.version(ewsChangeKey: key))
        }
        var config = try #require(try store.spokes(hub: hub).first { $0.id == Self.mail })
        config.kind = .graph
        config.settings = ["m365.mailbox": s.x.upn]
        let report = try s.hub.engine.switchConnector(hub: hub, ConnectorSwitch(spoke: config, translated: map, asked: remote))
        s.hub.replace(Self.mail, with: s.x.graph.spoke())
        return report
    }

    @Test func idsAreTranslatedAThousandARequestAndMalformedOnesAreLeftOut() async throws {
        try await SharedExchange.with { x in
            // Shaped like the EWS emulator's item ids (46 bytes), each one different.
            let ids: [String] = (0..<1_001).map { (n: Int) -> String in
                var bytes: [UInt8] = [0, 3, 36, 0] + Array(repeating: 7, count: 40)
                bytes += [UInt8(n % 256), UInt8(n / 256)]
                return Data(bytes).base64EncodedString()
            }
            let translated = try await ExchangeIds.translate(ewsIDs: ids + ["not an id"], x.graph.settings(), http: x.graphHTTP())
            #expect(translated.count == 1_001 && translated["not an id"] == nil)
            #expect(ids.allSatisfy { translated[$0] == GraphEmulator.graphID(fromEWSId: $0) })
            #expect(x.graph.emulator.requestCount("translateExchangeIds") == 2)
        }
    }

    @Test func theMailboxLooksTheSameThroughBothEmulators() async throws {
        try await setup { s in
            try await seed(s)
            let ews = try s.x.ewsContacts()
            let graph = try s.x.graph.contacts()
            #expect(Set(graph.map(\.id)) == Set(ews.compactMap { GraphEmulator.graphID(fromEWSId: $0.id) }))
            let ann = try #require(try s.x.graph.record("Ann"))
            #expect(ann.emails == ["ann@example.com"])
            // The hub's marker, an EWS named property, is Graph's single-value extended property.
            #expect(ann.extendedProperties.values.contains { $0.hasPrefix("hubsync:") })
            #expect(ann.changeKey == ews.first { $0.contact.givenName == "Ann" }?.changeKey)
            // An edit through Graph is one through EWS (new change key, same item).
            _ = try s.x.graph.emulator.updateContact(ann.id, in: s.x.upn) { $0["jobTitle"] = "Pilot" }
            let after = try #require(try s.x.ewsContacts().first { $0.contact.givenName == "Ann" })
            #expect(after.contact.jobTitle == "Pilot" && after.changeKey != ann.changeKey)
            #expect(after.contact.extendedProperties.contains { $0.propertyName == "HubSyncMarker" })
        }
    }

    @Test func movingToGraphKeepsEveryLinkAndTheFirstSyncWritesNothing() async throws {
        try await setup { s in
            try await seed(s)
            let items = try s.hub.store.liveItems(hub: s.hub.hub)
            let top = try s.hub.store.maxVersion(hub: s.hub.hub)
            let memoryBefore = s.memory.entries
            let report = try await migrate(&s)
            #expect(report == ConnectorSwitchReport(moved: 4, refind: 0))
            let config = try #require(try s.hub.store.spokes(hub: s.hub.hub).first { $0.id == Self.mail })
            #expect(config.kind == .graph && config.options.categorizeAs == "From the hub" && config.position == 1)
            #expect(try s.hub.cursor(Self.mail) == nil)
            let graphIDs = Set(try s.x.graph.contacts().map { RemoteID($0.id) })
            #expect(try s.hub.store.linkedRemoteIDs(hub: s.hub.hub, spoke: Self.mail) == graphIDs)

            s.x.graph.emulator.resetCounters()
            s.x.ews.resetCounters()
            let run = try await s.hub.sync()
            #expect(run.status == .succeeded, "\(run.errors)")
            let stats = try #require(run.stats[Self.mail])
            #expect(stats.hubCreated == 0 && stats.hubUpdated == 0 && stats.hubDeleted == 0 && stats.matched == 0)
            #expect(run.stats.values.allSatisfy { $0.pushedCreates == 0 && $0.pushedUpdates == 0 && $0.pushedDeletes == 0 })
            // One delta listing, nothing fetched (the versions carried over), nothing written.
            let counts = s.x.graph.emulator.requestCounts
            #expect(counts["contacts.delta", default: 0] >= 1)
            for op in ["contacts.create", "contacts.update", "contacts.delete", "contacts.get", "contacts.photo.get", "batch"] {
                #expect(counts[op, default: 0] == 0, "\(op): \(counts)")
            }
            #expect(s.x.ews.requestCounts.isEmpty)
            #expect(s.memory.entries == memoryBefore)
            #expect(try s.hub.store.maxVersion(hub: s.hub.hub) == top)
            #expect(try s.hub.store.liveItems(hub: s.hub.hub) == items)
            #expect(try s.hub.cursor(Self.mail) != nil)

            // The Graph spoke goes on: an edit through Graph, one through EWS (Outlook on the
            // same mailbox), a deletion in the hub's other spoke.
            let cy = try #require(try s.x.graph.record("Cy"))
            _ = try s.x.graph.emulator.updateContact(cy.id, in: s.x.upn) { $0["jobTitle"] = "Pilot" }
            let dee = try #require(try s.x.ewsContacts().first { $0.contact.givenName == "Dee" })
            _ = try s.x.ews.updateContact(id: dee.id, in: s.x.upn) { $0.companyName = "Acme" }
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(s.memory.contacts.first { $0.givenName == "Cy" }?.title == "Pilot")
            #expect(s.memory.contacts.first { $0.givenName == "Dee" }?.organization == "Acme")
            let ben = try #require(s.memory.entries.first { $0.value.contact.givenName == "Ben" })
            s.memory.userDelete(ben.key)
            #expect(try await s.hub.sync().status == .succeeded)
            #expect(try s.x.ewsContacts().compactMap(\.contact.givenName).sorted() == ["Ann", "Cy", "Dee"])
            #expect(try s.hub.names() == ["Ann", "Cy", "Dee"])
        }
    }

    @Test func idsThatDoNotTranslateAreFoundAgainWithoutDuplicates() async throws {
        try await setup { s in
            try await seed(s)
            let top = try s.hub.store.liveItems(hub: s.hub.hub).count
            // Every id fails: the hub's own items come back by their marker, Outlook's by matching.
            let report = try await migrate(&s, drop: 4)
            #expect(report == ConnectorSwitchReport(moved: 0, refind: 4))
            #expect(try s.hub.store.intents(hub: s.hub.hub, spoke: Self.mail).count == 4)
            s.x.graph.emulator.resetCounters()
            let run = try await s.hub.sync()
            #expect(run.status == .succeeded, "\(run.errors)")
            #expect(run.stats.values.allSatisfy { $0.hubCreated == 0 && $0.hubDeleted == 0 && $0.pushedCreates == 0 })
            #expect(s.x.graph.emulator.requestCount("contacts.create") == 0)
            #expect(try s.x.graph.contacts().count == 4 && s.memory.count == 4)
            #expect(try s.hub.store.liveItems(hub: s.hub.hub).count == top)
            #expect(try s.hub.store.linkCount(hub: s.hub.hub, spoke: Self.mail) == 4)
            #expect(try s.hub.store.intents(hub: s.hub.hub, spoke: Self.mail).isEmpty)
            let calm = try await s.hub.sync()
            #expect(calm.stats.values.allSatisfy { $0.hubCreated == 0 && $0.hubUpdated == 0 && $0.pushedCreates == 0 && $0.pushedUpdates == 0 })
        }
    }

    @Test func aSwitchThatFailsLeavesTheExchangeSpokeWhole() async throws {
        try await setup { s in
            try await seed(s)
            let links = try s.hub.store.linkedRemoteIDs(hub: s.hub.hub, spoke: Self.mail)
            let cursor = try s.hub.cursor(Self.mail)
            // Two links translated to one id: the store refuses the batch, and nothing of it lands.
            var refused = false
            do { try await migrate(&s, translatedAs: { _ in "same" }) } catch { refused = true }
            #expect(refused)
            s.hub.replace(Self.mail, with: s.x.ewsSpoke())
            let config = try #require(try s.hub.store.spokes(hub: s.hub.hub).first { $0.id == Self.mail })
            #expect(config.kind == .ews)
            #expect(try s.hub.store.linkedRemoteIDs(hub: s.hub.hub, spoke: Self.mail) == links)
            #expect(try s.hub.cursor(Self.mail) == cursor)
            s.x.ews.resetCounters()
            let run = try await s.hub.sync()
            #expect(run.status == .succeeded)
            #expect(run.stats.values.allSatisfy { $0.hubCreated == 0 && $0.pushedCreates == 0 && $0.pushedUpdates == 0 })
            #expect(s.x.ews.requestCount("CreateItem") == 0 && s.x.ews.requestCount("UpdateItem") == 0)
            // Done right, it goes through.
            #expect(try await migrate(&s).moved == 4)
            #expect(try await s.hub.sync().status == .succeeded)
        }
    }

    @Test func aSpokeWithHeldDeletionsIsNotSwitched() async throws {
        try await setup { s in
            for i in 0..<6 { try s.x.addThroughEWS("P\(i)") }
            #expect(try await s.hub.sync().status == .succeeded)
            for r in try s.x.ewsContacts() { try s.x.ews.deleteContact(id: r.id, in: s.x.upn) }
            #expect(try await s.hub.sync().stats[Self.mail]?.heldDeletions == 6)
            var refused: (any Error)?
            do { try await migrate(&s) } catch { refused = error }
            #expect(refused is EngineError)
            #expect(try s.hub.store.spokes(hub: s.hub.hub).first { $0.id == Self.mail }?.kind == .ews)
        }
    }
}
