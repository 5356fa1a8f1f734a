import Foundation
import Synchronization
import Testing
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import ConnectorMemory
import PIMFormats
import SyncModel
import TestSupport

/// Cards a server sends broken (a real server, its answers spoiled on the way): each is reported
/// with its href, the server and the line; a card with bad lines syncs without them, a card that
/// cannot be read is kept as it was, and every other card syncs.
@Suite struct DAVBadCardTests {
    @Test func badCardsAreReportedPerItemAndPerLineAndTheRestSyncs() async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let other = OtherClient(server)
        for i in 0..<4 {
            try await other.put(book, "c\(i).vcf", card(
                uid: "c\(i)", given: "G\(i)", family: "F", email: "g\(i)@example.com", extra: ["NOTE:MARK\(i)"]))
        }
        // Card 1 gains two lines no reader can read, card 2 ends before its own end, card 3 gets
        // a line of 11 MB (past what an XML text may hold, and `VCardLimits.maxLineBytes`): its
        // answer spoils the others', which are asked for again one by one.
        let spoil = Shared(true)
        let huge = String(repeating: "a", count: 11 * 1024 * 1024)
        let faulty = FaultyTransport(AHCTransport.shared(tls: .init()))
        faulty.add { [inner = faulty.inner] r in
            guard r.method == .report, spoil.withLock({ $0 }) else { return nil }
            var answer = try await inner.send(r)
            answer.body = Data(String(decoding: answer.body, as: UTF8.self)
                .replacingOccurrences(of: "NOTE:MARK1", with: "NOTE:x\nthis line has no colon\n.TEL:+44 20 1234")
                .replacingOccurrences(of: "NOTE:MARK2", with: "NOTE:x\nEND:VCARD")
                .replacingOccurrences(of: "NOTE:MARK3", with: "NOTE:\(huge)").utf8)
            return answer
        }
        let client = HTTPClient(transport: faulty, auth: .basic(user: server.user, password: server.password))
        var hub = try HubFixture()
        let memory = MemorySpoke(name: "m")
        try hub.add("dav", .carddav, try server.spoke(book, client: client))
        try hub.add("m", .memory, memory)

        let run = try await hub.sync()
        #expect(run.status == .partial)
        #expect(try hub.names() == ["G0", "G1"], "\(run.errors.map { $0.prefix(300) })")
        #expect(Set(memory.contacts.compactMap(\.givenName)) == ["G0", "G1"])
        #expect(try hub.item("G1")?.contact.emails.map(\.value) == ["g1@example.com"])
        let href = { (n: Int) in book.appendingPathComponent("c\(n).vcf").path }
        let host = "127.0.0.1:\(book.port!)"
        let skipped = run.errors.filter { $0.contains("the card \(href(1)) on \(host): ") }
        #expect(skipped.count == 2, "\(run.errors)")
        #expect(skipped.allSatisfy { $0.contains("vCard error at line ") && $0.hasSuffix("malformed content line (line skipped)") })
        #expect(run.errors.contains { $0.contains("\(href(2)): the card on \(host) cannot be read: vCard error at line ") },
                "\(run.errors)")
        #expect(run.errors.contains { $0.contains("\(href(3)): the server at http://\(host) (REPORT addressbook-multiget ") },
                "\(run.errors.map { $0.prefix(300) })")

        // Once someone mends them, they sync too; nobody twice.
        spoil.withLock { $0 = false }
        for i in 2..<4 {
            try await other.put(book, "c\(i).vcf", card(
                uid: "c\(i)", given: "G\(i)", family: "F", email: "g\(i)@example.com", extra: ["NOTE:mended"]))
        }
        let healed = try await hub.sync()
        #expect(healed.status == .succeeded, "\(healed.errors.map { $0.prefix(300) })")
        #expect(try hub.names() == ["G0", "G1", "G2", "G3"])
        #expect(memory.contacts.compactMap(\.givenName).sorted() == ["G0", "G1", "G2", "G3"])
    }
}
