import ConnectorGraph
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// Issue 15's gaps, against the Graph emulator: phones as MAPI extended properties, photo-only
/// changes both ways, what a first sync costs, and the cursor moved past the pass's own writes.
@Suite struct GraphFidelityTests {
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7])

    /// Exchange's phone slots hold every kind of fax; label text, preference and IM service do not fit.
    @Test func labelDetailsSurvive() async throws {
        try await Graph.with { g in
            let got = try await ConnectorConformance.labelDetailsSurvive(g.spoke())
            #expect(got?.phones.map(\.label) == [.mobile, .workFax, .homeFax, .fax])
            #expect(got?.phones.allSatisfy { !$0.hasLabelDetails } == true)
        }
    }

    @Test func faxesAndOtherPhonesAreMAPIPropertiesReadWithTheItem() async throws {
        try await Graph.with { g in
            let spoke = g.spoke()
            let c = Contact(givenName: "Fay", phones: [LabeledValue("+1 555 0101", label: .workFax),
                                                       LabeledValue("+1 555 0104", label: .pager),
                                                       LabeledValue("+1 555 0105", label: .other)])
            guard case .created(let id, let v)? = try await spoke.write([.create(c, CreateMarker(hub: "h", item: "fay"))]).first
            else { Issue.record("not created"); return }
            let stored = try #require(g.emulator.contact(id.rawValue, in: g.upn))
            #expect(stored.extendedProperties["String 0x3A24"] == "+1 555 0101")
            #expect(stored.extendedProperties["String 0x3A21"] == "+1 555 0104")
            #expect(stored.extendedProperties["String 0x3A1F"] == "+1 555 0105")
            #expect(stored.fields["businessPhones"] == nil)
            // Outlook edits the business fax (a MAPI property only): the pull sees it.
            let cursor = try #require(try await spoke.pull(since: nil, page: nil).cursor)
            try g.emulator.setExtendedProperty("String 0x3A24", to: "+1 555 0999", on: id.rawValue, in: g.upn)
            let next = try await spoke.pull(since: cursor, page: nil)
            guard case .upsert(let r)? = next.changes.first else { Issue.record("\(next.changes)"); return }
            #expect(r.contact.phones.first { $0.label == .workFax }?.value == "+1 555 0999")
            #expect(r.marker == CreateMarker(hub: "h", item: "fay"))
            // Back from the hub with the pager gone: one PATCH naming that property alone.
            var edited = r.contact
            edited.phones.removeAll { $0.label == .pager }
            g.emulator.resetCounters()
            let out = try await spoke.write([.update(id, r.version, edited)])
            guard case .updated? = out.first else { Issue.record("\(out)"); return }
            #expect(g.emulator.requestCount("contacts.update") == 1)
            let after = try #require(g.emulator.contact(id.rawValue, in: g.upn))
            #expect(after.extendedProperties["String 0x3A21"] ?? "" == "")
            #expect(after.extendedProperties["String 0x3A24"] == "+1 555 0999")
            #expect(try await spoke.fetch(id)?.contact.phones.map(\.value) == ["+1 555 0999", "+1 555 0105"])
            #expect(v != r.version)
        }
    }

    @Test func theEmulatorExpandsOnlyThePropertiesAskedFor() async throws {
        try await Graph.with { g in
            let rec = try g.emulator.createContact(in: g.upn, fields: ["givenName": "Ext"],
                                                   extendedProperties: ["String 0x3A24": "+1 1", "String 0x3A21": "+1 2"])
            try g.emulator.setContactPhoto(rec.id, in: g.upn, data: Self.jpeg)
            let base = g.emulator.graphURL!.absoluteString + "/users/\(g.upn)/contacts/\(rec.id)"
            let one = try await Self.get(g, base + "?$expand=singleValueExtendedProperties($filter=id%20eq%20'String%200x3A24')")
            #expect(one.contains("0x3A24") && !one.contains("0x3A21") && !one.contains("0x8015"))
            let flag = try await Self.get(g, base + "?$expand=singleValueExtendedProperties($filter=id%20eq%20'Boolean%20%7B00062004-0000-0000-C000-000000000046%7D%20Id%200x8015')")
            #expect(flag.contains("0x8015") && flag.contains("\"true\""))
            let none = try await Self.get(g, base + "?$select=givenName")
            #expect(!none.contains("singleValueExtendedProperties"))
        }
    }

    /// A client behind a relay (bench/graph counts requests so) follows links through it.
    @Test func theEmulatorsLinksNameTheHostTheClientReached() async throws {
        try await Graph.with { g in
            try g.add("A")
            try g.add("B")
            let port = try #require(g.emulator.port)
            let body = try await Self.get(g, "http://localhost:\(port)/v1.0/users/\(g.upn)/contacts?$top=1")
            #expect(body.replacingOccurrences(of: "\\/", with: "/").contains("\"@odata.nextLink\":\"http://localhost:\(port)/v1.0/users/"))
        }
    }

    static func get(_ g: Graph, _ url: String) async throws -> String {
        let token = try await GraphTokenSource(refreshToken: nil, settings: g.settings(), http: HTTPClient(transport: AHCTransport.shared()))
            .token(rejected: nil)
        var r = HTTPRequest(.get, URL(string: url)!, body: nil)
        r.setHeader("Authorization", "Bearer \(token)")
        let response = try await HTTPClient(transport: AHCTransport.shared()).send(r)
        #expect(response.status == 200)
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test func aPhotoOnlyChangeGoesBothWays() async throws {
        try await Graph.with { g in
            let spoke = g.spoke()
            guard case .created(let id, let v1)? = try await spoke.write([.create(Contact(givenName: "Pat"), CreateMarker(hub: "h", item: "pat"))]).first
            else { Issue.record("not created"); return }
            let cursor = try #require(try await spoke.pull(since: nil, page: nil).cursor)
            // Hub → Graph: only the photo changed, so only the photo is sent (no PATCH).
            g.emulator.resetCounters()
            let out = try await spoke.write([.update(id, v1, Contact(givenName: "Pat", photo: Photo(data: Self.jpeg)))])
            guard case .updated(let v2)? = out.first else { Issue.record("\(out)"); return }
            #expect(g.emulator.requestCount("contacts.update") == 0)
            #expect(g.emulator.requestCount("contacts.photo.put") == 1)
            #expect(g.emulator.contact(id.rawValue, in: g.upn)?.photo == Self.jpeg)
            let stored = try #require(g.emulator.contact(id.rawValue, in: g.upn))
            #expect(v2 != v1 && v2 == RemoteVersion(stored.etag))
            // Graph → hub: another client changes only the photo; delta names the item (its
            // change key moved, no field did) and the pull reads the new photo.
            let cursor2 = try #require(try await spoke.cursor(after: cursor, writes: [id: v2]))
            let other = Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 1, 1])
            try g.emulator.setContactPhoto(id.rawValue, in: g.upn, data: other)
            let next = try await spoke.pull(since: cursor2, page: nil)
            guard case .upsert(let r)? = next.changes.first else { Issue.record("\(next.changes)"); return }
            #expect(r.contact.photo?.data == other)
            #expect(r.contact.givenName == "Pat")
            // And removed there: the pull reads no photo.
            try g.emulator.setContactPhoto(id.rawValue, in: g.upn, data: nil)
            let gone = try await spoke.pull(since: try #require(next.cursor), page: nil)
            guard case .upsert(let r2)? = gone.changes.first else { Issue.record("\(gone.changes)"); return }
            #expect(r2.contact.photo == nil)
        }
    }

    /// A first sync reads the folder with a few requests: one delta round for the cursor (ids
    /// only), the listing 1,000 whole items a page with their extended properties, and a photo
    /// only for the items that have one.
    @Test func aFirstSyncCostsPagesNotRequestsPerContact() async throws {
        try await Graph.with { g in
            try g.emulator.seedContacts(450, in: g.upn)
            let withPhoto = try g.add("Photo")
            try g.emulator.setContactPhoto(withPhoto.id, in: g.upn, data: Self.jpeg)
            g.emulator.resetCounters()
            let spoke = g.spoke()
            var page: PageToken?
            var items: [RemoteItem] = []
            var cursor: SpokeCursor?
            repeat {
                let p = try await spoke.pull(since: nil, page: page)
                for case .upsert(let r) in p.changes { items.append(r) }
                page = p.next
                cursor = p.cursor
            } while page != nil
            #expect(items.count == 451 && cursor != nil)
            #expect(items.first { $0.contact.givenName == "Photo" }?.contact.photo?.data == Self.jpeg)
            #expect(g.emulator.requestCount("contacts.delta") == 3)  // 451 ids, 200 a page
            #expect(g.emulator.requestCount("contacts.list") == 1)
            #expect(g.emulator.requestCount("contacts.photo.get") == 1)
            #expect(g.emulator.requestCount("contacts.get") == 0)
            #expect(g.emulator.requestCount("batch") == 1)
        }
    }

    @Test func creatingCostsOneRequestAContactAndAPhotoOnlyWhenThereIsOne() async throws {
        try await Graph.with { g in
            let ops = (0..<40).map { WriteOp.create(Contact(givenName: "N\($0)", phones: [LabeledValue("+1 555 77\($0)", label: .fax)]),
                                                    CreateMarker(hub: "h", item: ItemID("n\($0)"))) }
            g.emulator.resetCounters()
            let out = try await g.spoke().write(ops)
            #expect(out.allSatisfy { if case .created = $0 { true } else { false } })
            #expect(g.emulator.requestCount("batch") == 2)
            #expect(g.emulator.requestCount("contacts.create") == 40)
            #expect(g.emulator.requestCounts.keys.filter { !$0.hasPrefix("oauth.") }.sorted() == ["batch", "contacts.create"])
            // With photos: two more batches (the photos, then the new change keys), not two requests each.
            let photo = Photo(data: Self.jpeg)
            g.emulator.resetCounters()
            let withPhotos = try await g.spoke().write((0..<30).map {
                WriteOp.create(Contact(givenName: "P\($0)", photo: $0 % 3 == 0 ? photo : nil), CreateMarker(hub: "h", item: ItemID("p\($0)")))
            })
            #expect(g.emulator.requestCount("batch") == 4)
            #expect(g.emulator.requestCount("contacts.photo.put") == 10)
            for case .created(let id, let v) in withPhotos {
                let rec = try #require(g.emulator.contact(id.rawValue, in: g.upn))
                #expect(v == RemoteVersion(rec.etag))
            }
        }
    }

    /// A photo member Graph throttled goes again alone, as the raw bytes it carried base64-encoded.
    @Test func aThrottledPhotoMemberIsSentAgainAloneAsBytes() async throws {
        try await Graph.with { g in
            let waits = Sleeps()
            g.emulator.faults.inject(.httpStatus(429, retryAfter: 3), count: 1, operation: "contacts.photo.put")
            let out = try await g.spoke(waits: waits).write([.create(Contact(givenName: "Tia", photo: Photo(data: Self.jpeg)),
                                                                     CreateMarker(hub: "h", item: "tia"))])
            guard case .created(let id, let v)? = out.first else { Issue.record("\(out)"); return }
            let stored = try #require(g.emulator.contact(id.rawValue, in: g.upn))
            #expect(stored.photo == Self.jpeg)
            #expect(v == RemoteVersion(stored.etag))
            #expect(g.emulator.requestCount("contacts.photo.put") == 2)
        }
    }

    @Test func anIncrementalPullReadsTheChangedItemsInOneListing() async throws {
        try await Graph.with { g in
            let seeded = try g.emulator.seedContacts(60, in: g.upn)
            let spoke = g.spoke()
            var page: PageToken?
            var cursor: SpokeCursor?
            repeat {
                let p = try await spoke.pull(since: nil, page: page)
                page = p.next
                cursor = p.cursor
            } while page != nil
            for r in seeded.prefix(6) { _ = try g.emulator.updateContact(r.id, in: g.upn) { $0["jobTitle"] = "Edited" } }
            g.emulator.resetCounters()
            let next = try await spoke.pull(since: try #require(cursor), page: nil)
            #expect(next.changes.count == 6)
            for case .upsert(let r) in next.changes { #expect(r.contact.title == "Edited") }
            #expect(g.emulator.requestCount("contacts.delta") == 1)
            #expect(g.emulator.requestCount("contacts.list") == 1)
            #expect(g.emulator.requestCount("batch") == 0)
            // Nothing changed: one request.
            g.emulator.resetCounters()
            let noop = try await spoke.pull(since: try #require(next.cursor), page: nil)
            #expect(noop.changes.isEmpty)
            #expect(g.emulator.requestCounts.values.reduce(0, +) == 1)
        }
    }

    @Test func theCursorMovesPastOurOwnWritesOnlyWhenNothingElseChanged() async throws {
        try await Graph.with { g in
            let spoke = g.spoke()
            let ann = try g.add("Ann")
            let cursor = try #require(try await spoke.pull(since: nil, page: nil).cursor)
            let out = try await spoke.write([.create(Contact(givenName: "Bo"), CreateMarker(hub: "h", item: "bo")),
                                             .delete(RemoteID(ann.id), RemoteVersion(ann.etag))])
            guard case .created(let bo, let v)? = out.first else { Issue.record("\(out)"); return }
            let writes: [RemoteID: RemoteVersion?] = [bo: v, RemoteID(ann.id): nil]
            let moved = try #require(try await spoke.cursor(after: cursor, writes: writes))
            #expect(moved != cursor)
            #expect(try await spoke.pull(since: moved, page: nil).changes.isEmpty)
            // Someone else's change since: the cursor stays, so that change is not skipped.
            let mine = try await spoke.write([.update(bo, v, Contact(givenName: "Bo", title: "Pilot"))])
            guard case .updated(let v2)? = mine.first else { Issue.record("\(mine)"); return }
            try g.add("Cy")
            #expect(try await spoke.cursor(after: moved, writes: [bo: v2]) == nil)
            // A version that is not the one written (edited again since) keeps it too.
            #expect(try await spoke.cursor(after: moved, writes: [bo: v]) == nil)
            #expect(try await spoke.cursor(after: moved, writes: [:]) == nil)
            let after = try await spoke.pull(since: moved, page: nil)
            #expect(Set(after.changes.compactMap { if case .upsert(let r) = $0 { r.contact.givenName } else { nil } }) == ["Bo", "Cy"])
        }
    }
}
