import Foundation
import Testing
import ConnectorDAV
import ConnectorHTTP
import ConnectorKit
import SyncModel
import TestSupport

/// The connector conformance suite, against each real server.
@Suite(.serialized) struct DAVConformanceTests {
    @Test(arguments: ServerKind.allCases)
    func conformance(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        defer { server.process.stop() }
        try await ConnectorConformance.createThenListAndFind(try server.spoke(try await server.makeBook(), batch: 3))
        try await ConnectorConformance.updatesNeedTheCurrentVersion(try server.spoke(try await server.makeBook(), batch: 3))
        try await ConnectorConformance.pagesCoverEveryItemOnce(try server.spoke(try await server.makeBook(), batch: 3))
        try await ConnectorConformance.everyFieldSurvives(try server.spoke(try await server.makeBook(), batch: 3))
        // A vCard holds every label detail: custom text, preferred, services, kinds of fax.
        let got = try await ConnectorConformance.labelDetailsSurvive(try server.spoke(try await server.makeBook()))
        #expect(got?.phones.map(\.label) == [.workFax, .homeFax, .fax, .mobile])
        #expect(got?.phones.last?.customLabel == "Cottage")
        #expect(got?.emails.map(\.preferred) == [true, false])
        #expect(got?.addresses.first?.customLabel == "Summer house")
        #expect(got?.ims.map(IMService.service(of:)) == ["skype", "jabber", "Signal"])
    }
}

@Suite struct DAVConnectorTests {
    @Test(arguments: ServerKind.allCases)
    func discoveryFindsTheBooksFromTheServerRoot(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        defer { server.process.stop() }
        let book = try await server.makeBook("work")
        let books = try await Discovery.addressBooks(at: server.base, http: server.client())
        #expect(books.map(\.url.path).contains(book.path))
        #expect(books.allSatisfy { $0.supportsSync })
        // A book's own URL names just that book.
        #expect(try await Discovery.addressBooks(at: book, http: server.client()).map(\.url.path) == [book.path])
    }

    @Test func aWrongPasswordIsUnauthorized() async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let bad = HTTPClient(transport: AHCTransport.shared(tls: .init()), auth: .automatic(user: "alice", password: "nope"))
        await #expect {
            try await Discovery.addressBooks(at: server.base, http: bad)
        } throws: { ($0 as? ConnectorError)?.kind == .unauthorized }
    }

    @Test(arguments: ServerKind.allCases)
    func incrementalPullsSeeOnlyWhatChanged(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let other = OtherClient(server)
        for i in 0..<5 {
            try await other.put(book, "c\(i).vcf", card(uid: "u\(i)", given: "G\(i)", family: "F"))
        }
        let spoke = try server.spoke(book, batch: 2)
        var first = try await pullAll(spoke, since: nil)
        #expect(first.mode == .full)
        #expect(first.upserts.count == 5)
        let cursor = try #require(first.cursor)
        // Nothing changed: one request, nothing fetched.
        let quiet = try await pullAll(spoke, since: cursor)
        #expect(quiet.mode == .incremental && quiet.upserts.isEmpty && quiet.deletes.isEmpty)

        try await other.put(book, "c1.vcf", card(uid: "u1", given: "G1", family: "Changed"))
        try await other.delete(book.appendingPathComponent("c2.vcf"))
        let next = try await pullAll(spoke, since: quiet.cursor ?? cursor)
        #expect(next.mode == .incremental)
        #expect(next.upserts.map(\.contact.familyName) == ["Changed"])
        #expect(next.deletes.map { $0.rawValue.hasSuffix("c2.vcf") } == [true])

        // A refused token: a full listing again, never an empty "everything was deleted".
        first = try await pullAll(spoke, since: SpokeCursor("sync:http://example.invalid/expired"))
        #expect(first.mode == .full)
        #expect(first.upserts.count == 4)
    }

    @Test(arguments: ServerKind.allCases)
    func fullListingsSkipBodiesTheHubHolds(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let other = OtherClient(server)
        for i in 0..<4 { try await other.put(book, "c\(i).vcf", card(uid: "u\(i)", given: "G\(i)", family: "F")) }
        let spoke = try server.spoke(book)
        let all = try await pullAll(spoke, since: nil)
        let versions = Dictionary(uniqueKeysWithValues: all.upserts.map { ($0.id, $0.version!) })
        try await other.put(book, "c3.vcf", card(uid: "u3", given: "G3", family: "New"))
        let again = try await pullAll(spoke, since: nil, known: KnownVersions { ids in versions.filter { ids.contains($0.key) } })
        #expect(again.mode == .full)
        #expect(again.upserts.map(\.contact.familyName) == ["New"])
        #expect(again.unchanged.count == 3)
    }

    @Test(arguments: ServerKind.allCases)
    func createsAreIdempotentAndUpdatesKeepWhatTheHubDoesNotKnow(_ kind: ServerKind) async throws {
        let server = try await DAVServer.start(kind)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let spoke = try server.spoke(book)
        let m = CreateMarker(hub: HubID("h"), item: ItemID("x1"))
        let c = Contact(givenName: "Grace", familyName: "Hopper")
        guard case .created(let id, let v1) = try await spoke.write([.create(c, m)]).first else { Issue.record(); return }
        // The answer was lost and the create is tried again: same resource, no second card.
        guard case .created(let id2, let v2) = try await spoke.write([.create(c, m)]).first else { Issue.record(); return }
        #expect(id2 == id && v2 == v1)
        #expect(try await OtherClient(server).cards(book).count == 1)

        // Another client adds what HubSync has no field for; a hub update must keep it.
        let other = OtherClient(server)
        let url = book.appendingPathComponent(String(id.rawValue.split(separator: "/").last!))
        try await other.put(
            book, url.lastPathComponent,
            card(uid: m.description, given: "Grace", family: "Hopper", extra: ["X-PHONETIC-FIRST-NAME:grays", "X-RANK:Rear Admiral"]),
            ifMatch: try await other.get(url)?.etag)
        var edited = c
        edited.title = "Rear Admiral"
        // The hub's version is stale now: refused, then accepted with the version a pull gives.
        #expect(try await spoke.write([.update(id, v1, edited)]) == [.conflict])
        let now = try #require(try await spoke.fetch(id))
        let out = try await spoke.write([.update(id, now.version, edited)])
        guard case .updated = out.first else { Issue.record("\(out)"); return }
        let text = try #require(try await other.get(url)?.text)
        #expect(text.contains("X-PHONETIC-FIRST-NAME:grays"))
        #expect(text.contains("TITLE:Rear Admiral"))
        #expect(text.contains("UID:\(m.description)"))
    }


    /// Radicale refuses a second card with a UID it holds (RFC 6352 no-uid-conflict): the hub's
    /// card goes in under its marker, a retried create lands on the same resource, and `find`
    /// knows it by the marker. One card more, never two.
    @Test func aCreateWhoseUIDIsTakenGoesInUnderItsMarkerOnce() async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let other = OtherClient(server)
        try await other.put(book, "someone-else.vcf", card(uid: "shared-uid", given: "Ada", family: "Byron"))
        let spoke = try server.spoke(book)
        let m = CreateMarker(hub: HubID("h"), item: ItemID("t1"))
        var c = Contact(givenName: "Ada", familyName: "Lovelace")
        c.uid = "shared-uid"
        guard case .created(let id, let v1) = try await spoke.write([.create(c, m)]).first else { Issue.record(); return }
        guard case .created(let id2, let v2) = try await spoke.write([.create(c, m)]).first else { Issue.record(); return }
        #expect(id2 == id && v2 == v1)
        let cards = try await other.cards(book)
        #expect(cards.count == 2)
        let ours = try #require(cards.first { $0.key.lastPathComponent != "someone-else.vcf" }?.value)
        #expect(ours.contains("UID:\(m.description)"))
        #expect(ours.contains("Lovelace"))
        #expect(try await spoke.find(marker: m)?.id == id)
    }
    @Test func theCursorMovesPastOurOwnWritesOnlyWhenNothingElseChanged() async throws {
        let server = try await DAVServer.start(.radicale)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let spoke = try CardDAVSpoke(
            settings: CardDAVSettings(url: book, multigetBatch: 100, echoSkipMinimum: 20), http: server.client())
        let start = try #require(try await pullAll(spoke, since: nil).cursor)
        let n = 30
        let ops = (0..<n).map { i in
            WriteOp.create(Contact(givenName: "N\(i)", familyName: "F"), CreateMarker(hub: HubID("h"), item: ItemID("e\(i)")))
        }
        var writes: [RemoteID: RemoteVersion?] = [:]
        for case .created(let id, let v) in try await spoke.write(ops) { writes[id] = .some(v) }
        #expect(writes.count == n)
        // Someone else edits meanwhile: the echo cannot be skipped, the next pull shows all.
        try await OtherClient(server).put(book, "x.vcf", card(uid: "x", given: "X", family: "Y"))
        #expect(try await spoke.cursor(after: start, writes: writes) == nil)
        let seen = try await pullAll(spoke, since: start)
        #expect(seen.upserts.count + seen.unchanged.count == n + 1)
        // Only our writes since this cursor: skipped, the next pull is empty.
        let mid = try #require(seen.cursor)
        var more: [RemoteID: RemoteVersion?] = [:]
        let edits = writes.keys.sorted().prefix(20).map { id in
            WriteOp.update(id, writes[id]!, Contact(givenName: "Edited", familyName: id.rawValue))
        }
        for (op, out) in zip(edits, try await spoke.write(edits)) {
            guard case .update(let id, _, _) = op, case .updated(let v) = out else { Issue.record("\(out)"); continue }
            more[id] = .some(v)
        }
        let after = try #require(try await spoke.cursor(after: mid, writes: more))
        let quiet = try await pullAll(spoke, since: after)
        #expect(quiet.upserts.isEmpty && quiet.deletes.isEmpty)
    }

    @Test func cardsFromOtherClientsInVCard4AreRead() async throws {
        let server = try await DAVServer.start(.xandikos)
        defer { server.process.stop() }
        let book = try await server.makeBook()
        let v4 = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:4a0\r\nFN:Alan Turing\r\nN:Turing;Alan;;;\r\nEMAIL;TYPE=work:alan@example.org\r\nTEL;VALUE=uri;TYPE=cell:tel:+44-20-7946-0002\r\nEND:VCARD\r\n"
        try await OtherClient(server).put(book, "alan.vcf", v4)
        // Group cards are not people: they are not synced as contacts.
        let group = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g1\r\nKIND:group\r\nFN:Team\r\nMEMBER:urn:uuid:4a0\r\nEND:VCARD\r\n"
        try await OtherClient(server).put(book, "team.vcf", group)
        let got = try await pullAll(try server.spoke(book), since: nil)
        #expect(got.upserts.count == 1)
        #expect(got.upserts.first?.contact.emails.map(\.value) == ["alan@example.org"])
        #expect(got.upserts.first?.contact.phones.count == 1)
    }
}

struct Pulled {
    var mode = PullPage.Mode.incremental
    var upserts: [RemoteItem] = []
    var deletes: [RemoteID] = []
    var unchanged: [RemoteID] = []
    var errors: [ItemError] = []
    var cursor: SpokeCursor?
}

func pullAll(_ c: any SpokeConnector, since cursor: SpokeCursor?, known: KnownVersions = .none) async throws -> Pulled {
    var out = Pulled()
    var page: PageToken?
    repeat {
        let p = try await c.pull(since: cursor, page: page, known: known)
        out.mode = p.mode
        for ch in p.changes {
            switch ch {
            case .upsert(let r): out.upserts.append(r)
            case .delete(let id): out.deletes.append(id)
            }
        }
        out.unchanged += p.unchanged
        out.errors += p.errors
        out.cursor = p.cursor ?? out.cursor
        page = p.next
    } while page != nil
    return out
}
