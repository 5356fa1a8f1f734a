import Foundation
import Synchronization
import Testing
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import ConnectorMemory
import SyncModel
import TestSupport

/// Wraps the real transport to a real server and breaks chosen exchanges: throttling, a card the
/// server refuses, a concurrent edit landing between the spoke's read and its write.
final class FaultyTransport: HTTPTransport {
    typealias Rule = @Sendable (HTTPRequest) async throws -> HTTPResponse?
    let inner: any HTTPTransport
    private let rules = Mutex<[Rule]>([])
    let seen = Mutex<[String]>([])

    init(_ inner: any HTTPTransport) { self.inner = inner }

    /// A rule answers instead of the server (non-nil) or lets the request through.
    func add(_ rule: @escaping Rule) { rules.withLock { $0.append(rule) } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        seen.withLock { $0.append("\(request.method) \(request.url.path)") }
        for rule in rules.withLock({ $0 }) {
            if let r = try await rule(request) { return r }
        }
        return try await inner.send(request)
    }
}

/// Lets `n` matching requests be answered by `answer`, then steps aside.
func times(_ n: Int, _ matches: @escaping @Sendable (HTTPRequest) -> Bool, _ answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse)
    -> FaultyTransport.Rule
{
    let left = Mutex(n)
    return { r in
        guard matches(r), left.withLock({ n in n > 0 ? { n -= 1; return true }() : false }) else { return nil }
        return answer(r)
    }
}

@Suite struct DAVFaultTests {
    @Test func throttlingIsWaitedOutAndTheSyncCompletes() async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        for i in 0..<3 { try await OtherClient(server).put(book, "c\(i).vcf", card(uid: "c\(i)", given: "C\(i)", family: "F")) }
        let faulty = FaultyTransport(AHCTransport.shared(tls: .init()))
        faulty.add(times(2, { $0.method == .report }) { r in
            HTTPResponse(status: 503, headers: [("Retry-After", "7")], url: r.url)
        })
        faulty.add(times(1, { $0.method == .report }) { r in HTTPResponse(status: 429, url: r.url) })
        let waits = Mutex<[Duration]>([])
        let client = HTTPClient(
            transport: faulty, auth: .automatic(user: server.user, password: server.password),
            sleep: { d in waits.withLock { $0.append(d) } })
        var hub = try HubFixture()
        try hub.add("dav", .carddav, try server.spoke(book, client: client))
        let memory = MemorySpoke(name: "m")
        try hub.add("m", .memory, memory)
        let run = try await hub.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(memory.count == 3)
        let w = waits.withLock { $0 }
        #expect(w.count == 3)
        #expect(w.prefix(2).allSatisfy { $0 == .seconds(7) })
    }

    @Test func aCardTheServerRefusesIsAnItemErrorAndTheRestSyncs() async throws {
        let server = try await DAVServer.start(.xandikos)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let faulty = FaultyTransport(AHCTransport.shared(tls: .init()))
        // The server refuses one card, as servers do with content they cannot store.
        faulty.add { r in
            guard r.method == .put, let body = r.body, String(decoding: body, as: UTF8.self).contains("Mallory") else { return nil }
            return HTTPResponse(status: 415, body: Data("unsupported vCard".utf8), url: r.url)
        }
        var hub = try HubFixture()
        let memory = MemorySpoke(name: "m")
        try hub.add("m", .memory, memory)
        try hub.add("dav", .carddav, try server.spoke(book, client: HTTPClient(transport: faulty)))
        for n in ["Alice", "Mallory", "Trent"] { _ = memory.userUpsert(Contact(givenName: n, familyName: "X")) }
        let run = try await hub.sync()
        #expect(run.status == .partial)
        #expect(run.stats[SpokeID("dav")]?.itemErrors == 1)
        #expect(run.errors.contains { $0.contains("415") && $0.contains("unsupported vCard") })
        let names = try await givenNames(hub.connectors[SpokeID("dav")]!)
        #expect(names == ["Alice", "Trent"])
    }

    @Test func anEditLandingBetweenReadAndWriteIsMergedNotOverwritten() async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let other = OtherClient(server)
        try await other.put(book, "zoe.vcf", card(uid: "zoe", given: "Zoe", family: "Zhang", email: "zoe@example.com"))
        let faulty = FaultyTransport(AHCTransport.shared(tls: .init()))
        var hub = try HubFixture()
        let memory = MemorySpoke(name: "m")
        try hub.add("dav", .carddav, try server.spoke(book, client: HTTPClient(transport: faulty, auth: .automatic(user: server.user, password: server.password))))
        try hub.add("m", .memory, memory)
        #expect(try await hub.sync().status == .succeeded)

        // The hub changes the title (from the memory spoke); just before the spoke's PUT,
        // a phone adds a number on the server. The PUT's If-Match fails (412), the spoke
        // re-reads, the engine merges: both edits survive.
        let zoe = try #require(memory.entries.first { $0.value.contact.givenName == "Zoe" })
        var c = zoe.value.contact
        c.title = "CTO"
        _ = memory.userUpsert(c, id: zoe.key)
        let raced = Mutex(false)
        faulty.add { r in
            guard r.method == .put, !raced.withLock({ let was = $0; $0 = true; return was }) else { return nil }
            try await other.put(book, "zoe.vcf", card(uid: "zoe", given: "Zoe", family: "Zhang", email: "zoe@example.com", phone: "+1 555 0123"))
            return nil
        }
        let run = try await hub.sync()
        #expect(run.status == .succeeded, "\(run.errors)")
        _ = try await hub.sync()
        let text = try #require(try await other.get(book.appendingPathComponent("zoe.vcf"))?.text)
        #expect(text.contains("TITLE:CTO"))
        #expect(text.contains("+1 555 0123"))
        #expect(memory.contact(zoe.key)?.phones.count == 1)
    }
}

/// A server without sync-collection (older SabreDAV setups, some hosted ones), made from a
/// real one by hiding the report: the spoke lists ETags, fetches only what changed, and a
/// quiet book (same ctag) costs one request.
@Suite struct WithoutSyncCollectionTests {
    /// `advertised`: the server lists the report but refuses it (seen with broken setups).
    @Test(arguments: [false, true])
    func etagListingAndCtag(advertised: Bool) async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let other = OtherClient(server)
        for i in 0..<4 { try await other.put(book, "c\(i).vcf", card(uid: "u\(i)", given: "G\(i)", family: "F")) }
        let faulty = FaultyTransport(AHCTransport.shared(tls: .init()))
        faulty.add { [inner = faulty.inner] r in
            if r.method == .report, let b = r.body, String(decoding: b, as: UTF8.self).contains("sync-collection") {
                return HTTPResponse(status: 403, url: r.url)
            }
            guard !advertised, r.method == .propfind, r.header("Depth") == "0" else { return nil }
            var answer = try await inner.send(r)
            let text = String(decoding: answer.body, as: UTF8.self)
            answer.body = Data(text.replacingOccurrences(of: "<sync-collection />", with: "").utf8)
            return answer
        }
        let client = HTTPClient(transport: faulty, auth: .basic(user: server.user, password: server.password))
        var hub = try HubFixture()
        let memory = MemorySpoke(name: "m")
        let dav = try hub.add("dav", .carddav, try server.spoke(book, client: client))
        try hub.add("m", .memory, memory)
        #expect(try await hub.sync().status == .succeeded)
        #expect(memory.count == 4)
        #expect(try hub.cursor(dav)?.rawValue.hasPrefix("ctag:") == true)

        // Quiet: one PROPFIND for the ctag.
        faulty.seen.withLock { $0 = [] }
        #expect(try await hub.sync().status == .succeeded)
        #expect(faulty.seen.withLock { $0 }.count == 1)

        // One edit, one delete: a listing, one multiget of the one changed card.
        try await other.put(book, "c1.vcf", card(uid: "u1", given: "G1", family: "Edited"))
        try await other.delete(book.appendingPathComponent("c2.vcf"))
        faulty.seen.withLock { $0 = [] }
        let run = try await hub.sync()
        #expect(run.status == .succeeded)
        // (The refused report, when advertised, costs one more request.)
        #expect(faulty.seen.withLock { $0 }.filter { $0.hasPrefix("REPORT") }.count == (advertised ? 2 : 1))
        #expect(memory.contacts.compactMap(\.familyName).sorted() == ["Edited", "F", "F"])
    }
}
