import Foundation
import Synchronization
import Testing
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import ConnectorMemory
import SyncModel
import TestSupport

/// A CardDAV server that lists nothing once: it refuses the sync token (403 valid-sync-token),
/// then answers the full sync-collection with no card. The deletions are held; whether the
/// admin rejects the hold or nobody does anything, the server behaving again leaves every
/// person once in each place (before, a reject re-created them all: everyone twice).
@Suite struct DAVGlitchTests {
    @Test(arguments: [true, false])
    func aServerListingNothingOnceDuplicatesNoOne(reject: Bool) async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let other = OtherClient(server)
        for i in 0..<12 { try await other.put(book, "c\(i).vcf", card(uid: "c\(i)", given: "C\(i)", family: "F")) }
        let faulty = FaultyTransport(AHCTransport.shared(tls: .init()))
        var hub = try HubFixture()
        let dav = try hub.add("dav", .carddav, try server.spoke(
            book, client: HTTPClient(transport: faulty, auth: .automatic(user: server.user, password: server.password))))
        let memory = MemorySpoke(name: "m")
        try hub.add("m", .memory, memory)
        #expect(try await hub.sync().status == .succeeded)
        #expect(try await hub.sync().status == .succeeded)
        #expect(memory.count == 12)

        faulty.add(times(1, { $0.method == .report }) { r in
            HTTPResponse(
                status: 403,
                body: Data(#"<?xml version="1.0"?><d:error xmlns:d="DAV:"><d:valid-sync-token/></d:error>"#.utf8),
                url: r.url)
        })
        faulty.add(times(1, { $0.method == .report }) { r in
            HTTPResponse(
                status: 207,
                body: Data(#"<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:sync-token>http://radicale.org/ns/sync/gone</d:sync-token></d:multistatus>"#.utf8),
                url: r.url)
        })
        let glitch = try await hub.sync()
        #expect(glitch.status == .partial)
        let hold = try #require(try hub.store.pendingHolds(hub: hub.hub).first)
        #expect(hold.spoke == dav && hold.items.count == 12)
        #expect(memory.count == 12)

        if reject { try hub.engine.rejectHold(hub: hub.hub, spoke: dav) }
        faulty.seen.withLock { $0 = [] }
        let after = try await hub.sync()
        #expect(after.status == .succeeded, "\(after.errors)")
        for _ in 0..<2 { #expect(try await hub.sync().status == .succeeded) }
        // Nothing written to the server, nobody twice anywhere, and the hold is gone.
        #expect(faulty.seen.withLock { $0 }.allSatisfy { !$0.hasPrefix("PUT") && !$0.hasPrefix("DELETE") })
        #expect(try await givenNames(hub.connectors[dav]!) == (0..<12).map { "C\($0)" }.sorted())
        #expect(memory.count == 12)
        #expect(try hub.store.liveItemCount(hub: hub.hub) == 12)
        #expect(try hub.store.holds(hub: hub.hub).isEmpty)
    }
}
