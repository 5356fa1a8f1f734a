import Foundation
import Testing
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import SyncModel
import TestSupport

/// Adopting HubSync on two address books that already agree (the same cards under the same
/// UIDs): each book is read once, cards and all, and nothing is written to either.
@Suite struct DAVAdoptionTests {
    @Test(arguments: ServerKind.allCases)
    func twoBooksThatAgreeCostOneCheckAndOneReportEachAndNoWrite(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        defer { server.process.stop() }
        let other = OtherClient(server)
        let books = [try await server.makeBook(), try await server.makeBook()]
        let n = 7
        for book in books {
            for i in 0..<n {
                try await other.put(book, "p\(i).vcf", card(uid: "uid-\(i)", given: "P\(i)", family: "Q", email: "p\(i)@example.com"))
            }
        }
        let before = try await books.asyncMap { try await other.cards($0) }
        var hub = try HubFixture()
        var wires: [FaultyTransport] = []
        for (i, book) in books.enumerated() {
            let wire = FaultyTransport(AHCTransport.shared())
            wires.append(wire)
            // Pages of 2: cards that came with the listing are still handed out page by page.
            let client = HTTPClient(transport: wire, auth: .basic(user: server.user, password: server.password))
            try hub.add("book\(i)", .carddav, try server.spoke(book, batch: 2, client: client))
        }
        let run = try await hub.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(try hub.names().count == n)
        #expect(run.stats.values.map(\.matched).reduce(0, +) == n)
        // Xandikos leaves card bodies out of sync-collection answers: they come in multigets
        // (pages of 2).
        let multigets = kind == .radicale ? 0 : (n + 1) / 2
        for wire in wires {
            let sent = wire.seen.withLock { $0 }
            // The collection check and the sync-collection report with every card; no write.
            #expect(sent.filter { $0.hasPrefix("PROPFIND") }.count == 1, "\(sent)")
            #expect(sent.filter { $0.hasPrefix("REPORT") }.count == 1 + multigets, "\(sent)")
            #expect(sent.count == 2 + multigets, "\(sent)")
        }
        // Each card as it was: same resources, same bytes, so the same UIDs.
        #expect(try await books.asyncMap { try await other.cards($0) } == before)

        // The next pass: one report each, nothing to do.
        for wire in wires { wire.seen.withLock { $0 = [] } }
        let again = try await hub.sync()
        #expect(again.status == .succeeded)
        #expect(again.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 && $0.pushedCreates == 0 })
        for wire in wires { #expect(wire.seen.withLock { $0 }.map { $0.prefix(6) } == ["REPORT"]) }
    }

    /// A book too big to send whole (photos: past the size an answer may have): the first
    /// listing falls back to names, then bounded multigets.
    @Test func aFirstListingWhoseCardsCannotComeInOneAnswerIsReadInBatches() async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let other = OtherClient(server)
        let book = try await server.makeBook()
        for i in 0..<5 { try await other.put(book, "p\(i).vcf", card(uid: "uid-\(i)", given: "P\(i)", family: "Q")) }
        let wire = FaultyTransport(AHCTransport.shared())
        wire.add { r in
            guard r.method == .report, let b = r.body.map({ String(decoding: $0, as: UTF8.self) }),
                  b.contains("sync-collection"), b.contains("address-data") else { return nil }
            throw HTTPTransportError(.invalidRequest, "the answer is larger than 256 MB")
        }
        var hub = try HubFixture()
        let client = HTTPClient(transport: wire, auth: .basic(user: server.user, password: server.password))
        try hub.add("book", .carddav, try server.spoke(book, batch: 2, client: client))
        let run = try await hub.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(try hub.names().count == 5)
        let sent = wire.seen.withLock { $0 }
        // The check, the refused report with cards, the report without, three multigets.
        #expect(sent.filter { $0.hasPrefix("REPORT") }.count == 5, "\(sent)")
        #expect(try hub.cursor(SpokeID("book"))?.rawValue.hasPrefix("sync:") == true)
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ f: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await f(e)) }
        return out
    }
}
