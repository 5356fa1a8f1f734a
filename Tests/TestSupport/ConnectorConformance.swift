import Foundation
import Testing
import ConnectorKit
import SyncModel

/// Every item of a full listing, following pages.
public func listAll(_ c: any SpokeConnector) async throws -> [RemoteItem] {
    var page: PageToken?
    var items: [RemoteItem] = []
    repeat {
        let p = try await c.pull(since: nil, page: page)
        #expect(p.mode == .full)
        for case .upsert(let r) in p.changes { items.append(r) }
        page = p.next
    } while page != nil
    return items
}

public let ada = Contact(
    givenName: "Ada", familyName: "Lovelace", organization: "Analytical Engines",
    emails: [LabeledValue("ada@example.com", label: .work)], phones: [LabeledValue("+44 20 7946 0001", label: .mobile)])
public let marker = CreateMarker(hub: HubID("h"), item: ItemID("i1"))

/// The checks every connector must pass; each test target runs them against its connectors.
public enum ConnectorConformance {
    /// What the connector keeps of `c`: all of it, unless it has fixed slots (`fit`).
    static func kept(_ c: Contact, by connector: any SpokeConnector) -> Contact {
        (connector.fit?(c) ?? c).normalized()
    }

    public static func createThenListAndFind(_ c: any SpokeConnector) async throws {
        let out = try await c.write([.create(ada, marker)])
        guard case .created(let id, let version) = out.first else { Issue.record("\(out)"); return }
        let all = try await listAll(c)
        #expect(all.count == 1)
        #expect(all.first?.id == id)
        #expect(all.first?.version == version)
        #expect(all.first?.contact.normalized() == kept(ada, by: c))
        #expect(all.first?.marker == marker)
        #expect(try await c.find(marker: marker)?.id == id)
        #expect(try await c.find(marker: CreateMarker(hub: HubID("h"), item: ItemID("other"))) == nil)
        #expect(try await c.fetch(id)?.contact.normalized() == kept(ada, by: c))
    }

    public static func updatesNeedTheCurrentVersion(_ c: any SpokeConnector) async throws {
        guard case .created(let id, let v1) = try await c.write([.create(ada, marker)]).first else { return }
        var edited = ada
        edited.title = "Countess"
        let out = try await c.write([.update(id, v1, edited)])
        guard case .updated(let v2) = out.first else { Issue.record("\(out)"); return }
        #expect(v2 != v1)
        #expect(try await c.fetch(id)?.contact.title == "Countess")
        // The old version is stale now: both writes are refused, and nothing changes.
        #expect(try await c.write([.update(id, v1, ada), .delete(id, v1)]) == [.conflict, .conflict])
        #expect(try await c.fetch(id)?.contact.title == "Countess")
        #expect(try await c.write([.delete(id, v2)]) == [.deleted])
        #expect(try await c.fetch(id) == nil)
        #expect(try await c.write([.update(id, v2, ada), .delete(id, v2)]) == [.notFound, .notFound])
        #expect(try await listAll(c).isEmpty)
    }

    public static func pagesCoverEveryItemOnce(_ c: any SpokeConnector) async throws {
        let ops = (0..<10).map { i in
            WriteOp.create(
                Contact(givenName: "P\(i)", familyName: "Q", emails: [LabeledValue("p\(i)@x.org")]),
                CreateMarker(hub: HubID("h"), item: ItemID("i\(i)")))
        }
        let out = try await c.write(ops)
        #expect(out.allSatisfy { if case .created = $0 { true } else { false } })
        let all = try await listAll(c)
        #expect(all.count == 10)
        #expect(Set(all.map(\.id)).count == 10)
        #expect(Set(all.compactMap(\.contact.givenName)) == Set((0..<10).map { "P\($0)" }))
    }

    public static func everyFieldSurvives(_ c: any SpokeConnector) async throws {
        var full = ada
        full.namePrefix = "Lady"
        full.middleName = "King"
        full.nameSuffix = "FRS"
        full.nickname = "Enchantress"
        full.department = "Research"
        full.title = "Countess"
        full.birthday = PartialDate(year: 1815, month: 12, day: 10)
        full.anniversary = PartialDate(year: nil, month: 7, day: 8)
        full.notes = "First programmer;\nwrote notes, on the engine"
        full.addresses = [PostalAddress(
            label: .home, street: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "UK")]
        full.websites = [LabeledValue("https://example.org/ada", label: .work)]
        full.ims = [LabeledValue("xmpp:ada@example.org", label: .other)]
        full.categories = ["Customers", "VIP"]
        full.photo = Photo(data: Data([0xFF, 0xD8, 0xFF, 0x00, 0x01]), mediaType: "image/jpeg")
        full.custom = ["X-REGION": "EMEA"]
        guard case .created(let id, _) = try await c.write([.create(full, marker)]).first else { return }
        let got = try await c.fetch(id)?.contact
        #expect(got?.normalized() == kept(full, by: c))
    }

    /// A contact with every kind of label detail: custom label text, preferred values, IM
    /// services (said by the scheme, by a service the scheme can carry, by one it cannot) and
    /// every kind of fax.
    public static let labelled = Contact(
        givenName: "Ada", familyName: "Labels",
        emails: [LabeledValue("ada@home.example", label: .home, preferred: true),
                 LabeledValue("ada@assist.example", customLabel: "Assistant")],
        phones: [LabeledValue("+44 20 7946 0100", label: .workFax), LabeledValue("+44 20 7946 0101", label: .homeFax),
                 LabeledValue("+44 20 7946 0102", label: .fax),
                 LabeledValue("+44 20 7946 0103", label: .mobile, customLabel: "Cottage")],
        addresses: [PostalAddress(label: .home, street: "1 Lane", city: "Ockham", customLabel: "Summer house")],
        websites: [LabeledValue("https://ada.example/blog", customLabel: "Blog")],
        ims: [LabeledValue("ada.lovelace", label: .home, service: "skype"),
              LabeledValue("xmpp:ada@jabber.example", label: .work), LabeledValue("ada.signal", service: "Signal")])

    /// What the source keeps of label details is exactly what its `fit` says (so what did not fit
    /// is never read as an edit), on a create and on an update that changes only details.
    /// Returns what the source held after the create, for the connector's own checks.
    @discardableResult
    public static func labelDetailsSurvive(_ c: any SpokeConnector) async throws -> Contact? {
        guard case .created(let id, let v1) = try await c.write([.create(labelled, marker)]).first else {
            Issue.record("no create")
            return nil
        }
        let got = try await c.fetch(id)?.contact.normalized()
        #expect(got == kept(labelled, by: c))
        var edited = labelled
        edited.phones[3].customLabel = "Boat"
        edited.emails[0].preferred = false
        edited.emails[1].preferred = true
        edited.phones[0].label = .homeFax
        edited.phones[1].label = .workFax
        edited.ims[2].service = "Threema"
        guard case .updated = try await c.write([.update(id, v1, edited)]).first else {
            Issue.record("no update")
            return got
        }
        // (An update may keep values where the source had them: Exchange's slots.)
        let after = try await c.fetch(id)?.contact.normalized()
        #expect(after.map(inAnyOrder) == inAnyOrder(kept(edited, by: c)))
        return got
    }

    static func inAnyOrder(_ c: Contact) -> Contact {
        var c = c
        c.emails.sort { $0.value < $1.value }
        c.phones.sort { $0.value < $1.value }
        c.ims.sort { $0.value < $1.value }
        return c
    }
}
