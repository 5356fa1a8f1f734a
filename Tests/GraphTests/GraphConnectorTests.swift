import ConnectorGraph
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// The Microsoft 365 spoke against the Graph emulator: the shared conformance suite, delta,
/// markers, etags, throttling.
@Suite struct GraphConnectorTests {
    @Test func conformanceCreateListFind() async throws {
        try await Graph.with { try await ConnectorConformance.createThenListAndFind($0.spoke()) }
    }
    @Test func conformanceVersions() async throws {
        try await Graph.with { try await ConnectorConformance.updatesNeedTheCurrentVersion($0.spoke()) }
    }
    @Test func conformancePages() async throws {
        try await Graph.with { try await ConnectorConformance.pagesCoverEveryItemOnce($0.spoke(pageSize: 3, batch: 4)) }
    }
    @Test func conformanceFields() async throws {
        try await Graph.with { try await ConnectorConformance.everyFieldSurvives($0.spoke()) }
    }

    @Test func deltaGivesOnlyWhatChangedAndTheDeltaLinkIsTheCursor() async throws {
        try await Graph.with { g in
            let spoke = g.spoke()
            let a = try g.add("Ann"), b = try g.add("Ben")
            try g.add("Cat")
            let first = try await spoke.pull(since: nil, page: nil)
            #expect(first.mode == .full && first.changes.count == 3)
            let cursor = try #require(first.cursor)
            #expect(cursor.rawValue.contains("deltatoken"))
            _ = try g.emulator.updateContact(a.id, in: g.upn) { $0["nickName"] = "Annie" }
            try g.emulator.deleteContact(b.id, in: g.upn)
            try g.add("Dan")
            let next = try await spoke.pull(since: cursor, page: nil)
            #expect(next.mode == .incremental)
            var upserted: [String] = []
            var deleted: [RemoteID] = []
            for change in next.changes {
                switch change {
                case .upsert(let r): upserted.append(r.contact.givenName ?? "")
                case .delete(let id): deleted.append(id)
                }
            }
            #expect(upserted.sorted() == ["Ann", "Dan"])
            #expect(deleted == [RemoteID(b.id)])
            // Known versions are not read again (no photo or marker requests for them).
            g.emulator.resetCounters()
            let held = KnownVersions { ids in
                Dictionary(uniqueKeysWithValues: ids.map { ($0, RemoteVersion(try! #require(g.emulator.contact($0.rawValue, in: g.upn)).etag)) })
            }
            let whole = try await spoke.pull(since: nil, page: nil, known: held)
            #expect(whole.changes.isEmpty && whole.unchanged.count == 3)
            #expect(g.emulator.requestCount("contacts.photo.get") == 0)
        }
    }

    @Test func repliesInARoundAreAppliedOnce() async throws {
        try await Graph.with { g in
            g.emulator.replayInDelta = true
            for i in 0..<3 { try g.add("R\(i)") }
            let page = try await g.spoke().pull(since: nil, page: nil)
            #expect(page.changes.count == 3)
        }
    }

    @Test func anExpiredDeltaTokenListsTheFolderWhole() async throws {
        for expiry in [GraphEmulator.DeltaExpiry.gone410, .syncStateNotFound] {
            try await Graph.with { g in
                g.emulator.deltaExpiry = expiry
                let spoke = g.spoke()
                for i in 0..<3 { try g.add("P\(i)") }
                let cursor = try #require(try await spoke.pull(since: nil, page: nil).cursor)
                g.emulator.expireDeltaTokens()
                let after = try await spoke.pull(since: cursor, page: nil)
                #expect(after.mode == .full)
                #expect(after.changes.count == 3)
                #expect(after.cursor != nil)
            }
        }
    }

    @Test func aStaleEtagIsAConflict() async throws {
        try await Graph.with { g in
            let spoke = g.spoke()
            let made = try await spoke.write([.create(Contact(givenName: "Eve"), CreateMarker(hub: "h", item: "e"))])
            guard case .created(let id, let version)? = made.first else { Issue.record("not created: \(made)"); return }
            _ = try g.emulator.updateContact(id.rawValue, in: g.upn) { $0["jobTitle"] = "Pilot" }
            let out = try await spoke.write([.update(id, version, Contact(givenName: "Eve", notes: "hello"))])
            #expect(out == [.conflict])
            #expect(try g.record("Eve")?.fields["personalNotes"] == nil)
            let stale = try await spoke.write([.delete(id, version)])
            #expect(stale == [.conflict])
        }
    }

    @Test func aLostAnswerToACreateIsNotSentAgainAndTheMarkerFindsIt() async throws {
        try await Graph.with { g in
            let spoke = g.spoke()
            let m = CreateMarker(hub: HubID("h"), item: ItemID("lost"))
            g.emulator.faults.inject(.dropAnswer, count: 1, operation: "contacts.create")
            await #expect(throws: ConnectorError.self) { _ = try await spoke.write([.create(Contact(givenName: "Lu"), m)]) }
            #expect(g.emulator.requestCount("contacts.create") == 1)
            #expect(try g.contacts().count == 1)
            let found = try await spoke.find(marker: m)
            #expect(found?.contact.givenName == "Lu")
            #expect(found?.marker == m)
            #expect(try await spoke.find(marker: CreateMarker(hub: "h", item: "other")) == nil)
        }
    }

    @Test func throttlingIsWaitedOutWithRetryAfter() async throws {
        try await Graph.with { g in
            let waits = Sleeps()
            try g.add("Ann")
            g.emulator.faults.inject(.httpStatus(429, retryAfter: 7), count: 2, operation: "contacts.delta")
            #expect(try await g.spoke(waits: waits).pull(since: nil, page: nil).changes.count == 1)
            #expect(waits.all == [.seconds(7), .seconds(7)])
            // A batch member throttled on its own goes again alone, through the same retry loop.
            g.emulator.faults.inject(.httpStatus(429, retryAfter: 5), count: 1, operation: "contacts.create")
            let out = try await g.spoke(waits: waits).write([.create(Contact(givenName: "Bo"), CreateMarker(hub: "h", item: "bo"))])
            #expect(out.count == 1)
            if case .created? = out.first {} else { Issue.record("not created: \(out)") }
            #expect(try g.contacts().filter { $0.givenName == "Bo" }.count == 1)
        }
    }

    @Test func atMostFourRequestsAtATimePerMailbox() async throws {
        try await Graph.with { g in
            let ops = (0..<40).map { WriteOp.create(Contact(givenName: "C\($0)"), CreateMarker(hub: "h", item: ItemID("c\($0)"))) }
            let spoke = g.spoke(batch: 1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for chunk in ops.chunked(10) { group.addTask { _ = try await spoke.write(Array(chunk)) } }
                try await group.waitForAll()
            }
            #expect(try g.contacts().count == 40)
            #expect(g.emulator.peakConcurrency(mailbox: g.upn) <= 4)
        }
    }

    @Test func photosAndCategoriesRoundTrip() async throws {
        try await Graph.with { g in
            let spoke = g.spoke()
            let photo = Photo(data: Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]))
            let c = Contact(givenName: "Pia", categories: ["Clients", "VIP"], photo: photo)
            let made = try await spoke.write([.create(c, CreateMarker(hub: "h", item: "pia"))])
            guard case .created(let id, let v)? = made.first else { Issue.record("\(made)"); return }
            let read = try #require(try await spoke.fetch(id))
            #expect(read.contact.photo?.data == photo.data)
            #expect(Set(read.contact.categories) == ["Clients", "VIP"])
            #expect(read.version == v)
            // The photo removed, nothing else sent.
            var without = read.contact
            without.photo = nil
            let out = try await spoke.write([.update(id, read.version, without)])
            guard case .updated? = out.first else { Issue.record("\(out)"); return }
            #expect(try g.emulator.contact(id.rawValue, in: g.upn)?.photo == nil)
            #expect(g.emulator.requestCount("contacts.update") == 0)
        }
    }
}
