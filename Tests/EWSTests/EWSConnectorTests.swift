import ConnectorEWS
import ConnectorHTTP
import ConnectorKit
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// The EWS spoke against the emulator: the shared conformance checks, then EWS specifics.
@Suite struct EWSConnectorTests {
    func with(_ body: (Exchange) async throws -> Void) async throws {
        let x = try await Exchange.start()
        do { try await body(x) } catch { await x.stop(); throw error }
        await x.stop()
    }

    @Test func conformanceCreateListFind() async throws {
        try await with { try await ConnectorConformance.createThenListAndFind($0.spoke()) }
    }
    @Test func conformanceVersions() async throws {
        try await with { try await ConnectorConformance.updatesNeedTheCurrentVersion($0.spoke()) }
    }
    @Test func conformancePages() async throws {
        try await with { try await ConnectorConformance.pagesCoverEveryItemOnce($0.spoke(pageSize: 3, batch: 4)) }
    }
    @Test func conformanceFields() async throws {
        try await with { try await ConnectorConformance.everyFieldSurvives($0.spoke()) }
    }

    /// Exchange has a slot per kind of fax and no label text, preference or IM service: its fit
    /// says so, and what it holds is exactly that.
    @Test func labelDetailsSurvive() async throws {
        try await with { x in
            let got = try await ConnectorConformance.labelDetailsSurvive(x.spoke())
            #expect(got?.phones.map(\.label) == [.mobile, .workFax, .homeFax, .fax])
            #expect(got?.phones.allSatisfy { !$0.hasLabelDetails } == true)
            #expect(got?.emails.allSatisfy { !$0.hasLabelDetails } == true)
            #expect(got?.ims.map(\.value) == ["ada.lovelace", "xmpp:ada@jabber.example", "ada.signal"])
        }
    }

    @Test func incrementalPullsSeeOnlyWhatChangedAndReadOnlyThat() async throws {
        try await with { x in
            let spoke = x.spoke()
            let a = try x.add("Ann"), b = try x.add("Ben")
            try x.add("Cat")
            let first = try await spoke.pull(since: nil, page: nil)
            #expect(first.mode == .full)
            #expect(first.changes.count == 3)
            let cursor = try #require(first.cursor)

            try x.edit(a.id) { $0.jobTitle = "Engineer" }
            try x.delete(b.id)
            try x.add("Dan")
            x.emulator.resetCounters()
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
            // One listing, one GetItem for both bodies.
            #expect(x.emulator.requestCount("SyncFolderItems") == 1)
            #expect(x.emulator.requestCount("GetItem") == 1)
            // Quiet: one request.
            x.emulator.resetCounters()
            let quiet = try await spoke.pull(since: try #require(next.cursor), page: nil)
            #expect(quiet.changes.isEmpty)
            #expect(x.emulator.requestCounts.values.reduce(0, +) == 1)
        }
    }

    @Test func aFullListingReadsOnlyTheBodiesThatMoved() async throws {
        try await with { x in
            let spoke = x.spoke()
            for i in 0..<5 { try x.add("P\(i)") }
            let first = try await spoke.pull(since: nil, page: nil)
            var held: [RemoteID: RemoteVersion] = [:]
            for case .upsert(let r) in first.changes { held[r.id] = r.version }
            try x.edit(try #require(try x.record("P2")).id) { $0.companyName = "New Co" }
            x.emulator.resetCounters()
            let known = held
            let again = try await spoke.pull(since: nil, page: nil, known: KnownVersions { ids in known.filter { ids.contains($0.key) } })
            #expect(again.unchanged.count == 4)
            #expect(again.changes.count == 1)
            #expect(x.emulator.requestCount("GetItem") == 1)
        }
    }

    @Test func anExpiredSyncStateListsEverythingAndDeletesNothing() async throws {
        try await with { x in
            let spoke = x.spoke()
            for i in 0..<3 { try x.add("P\(i)") }
            let cursor = try #require(try await spoke.pull(since: nil, page: nil).cursor)
            x.emulator.expireSyncStates()
            let after = try await spoke.pull(since: cursor, page: nil)
            #expect(after.mode == .full)
            #expect(after.changes.count == 3)
            #expect(after.cursor != nil)
        }
    }

    @Test func pagesKeepTheirModeToTheEnd() async throws {
        try await with { x in
            let spoke = x.spoke(pageSize: 2)
            for i in 0..<5 { try x.add("P\(i)") }
            var page: PageToken?
            var names: [String] = []
            var pages = 0
            repeat {
                let p = try await spoke.pull(since: nil, page: page)
                #expect(p.mode == .full)
                for case .upsert(let r) in p.changes { names.append(r.contact.givenName ?? "") }
                #expect((p.next == nil) == (p.cursor != nil))
                page = p.next
                pages += 1
            } while page != nil
            #expect(names.sorted() == ["P0", "P1", "P2", "P3", "P4"])
            #expect(pages == 3)
        }
    }

    @Test func busyAndThrottledAnswersAreWaitedOut() async throws {
        try await with { x in
            let sleeps = Sleeps()
            let spoke = x.spoke(sleeps: sleeps)
            try x.add("Ann")
            x.emulator.faults.inject(.serverBusy(backOffMilliseconds: 1500), count: 2, operation: "SyncFolderItems")
            x.emulator.faults.inject(.httpStatus(503, retryAfter: 7), count: 1, operation: "GetItem")
            x.emulator.faults.inject(.dropConnection, count: 1, operation: "GetItem")
            let page = try await spoke.pull(since: nil, page: nil)
            #expect(page.changes.count == 1)
            #expect(sleeps.all.prefix(3) == [.milliseconds(1500), .milliseconds(1500), .seconds(7)])
            #expect(sleeps.all.count == 4)
        }
    }

    @Test func aBackOffLongerThanWeWaitFailsTheSpokeForThisPass() async throws {
        try await with { x in
            x.emulator.faults.inject(.serverBusy(backOffMilliseconds: 600_000), count: 1)
            await #expect(throws: ConnectorError.self) { _ = try await x.spoke().pull(since: nil, page: nil) }
        }
    }

    @Test func anNTLMOnlyServerIsAnsweredWithNTLM() async throws {
        let x = try await Exchange.start(auth: .ntlm)
        let spoke = x.spoke(auth: .automatic(user: "EXAMPLE\\\(Exchange.user)", password: Exchange.password))
        do {
            try await ConnectorConformance.createThenListAndFind(spoke)
        } catch {
            await x.stop()
            throw error
        }
        #expect(x.emulator.authStats.ntlmSucceeded >= 1)
        #expect(x.emulator.authStats.basicSucceeded == 0)
        await x.stop()
    }

    @Test func anOAuthBearerTokenIsAccepted() async throws {
        try await with { x in
            x.emulator.addBearerToken("token-1", for: Exchange.email)
            let page = try await x.spoke(auth: .bearer { _ in "token-1" }).pull(since: nil, page: nil)
            #expect(page.changes.isEmpty)
            #expect(x.emulator.authStats.bearerSucceeded >= 1)
        }
    }

    @Test func aURLWithoutEWSOrWithoutAServerSaysSo() async throws {
        try await with { x in
            let sleeps = Sleeps()
            let client = x.client(sleeps: sleeps)
            let wrongPath = x.url.deletingLastPathComponent().appendingPathComponent("Nope.asmx")
            await #expect(throws: ConnectorError.self) {
                do {
                    _ = try await EWSMailbox.contactFolders(url: wrongPath, version: .exchange2016, http: client)
                } catch let e as ConnectorError {
                    #expect(e.kind == .misconfigured, "\(e)")
                    throw e
                }
            }
            let closed = URL(string: "http://127.0.0.1:\(try ServerProcess.freePort())/EWS/Exchange.asmx")!
            do {
                _ = try await EWSMailbox.contactFolders(url: closed, version: .exchange2016, http: client)
                Issue.record("no error")
            } catch let e as ConnectorError {
                #expect(e.kind == .unavailable)
                #expect(e.description.contains("the server at \(closed.scheme!)://127.0.0.1:\(closed.port!) (EWS GetFolder): could not reach the server"),
                        "\(e)")
            }
            #expect(sleeps.all.count == 4)  // retried with backoff, not slept for real
        }
    }

    @Test func aWrongPasswordIsUnauthorized() async throws {
        try await with { x in
            do {
                _ = try await x.spoke(auth: .basic(user: Exchange.user, password: "nope")).pull(since: nil, page: nil)
                Issue.record("no error")
            } catch let e as ConnectorError {
                #expect(e.kind == .unauthorized)
            }
        }
    }

    @Test func aVersionTheServerDoesNotSpeakIsMisconfigured() async throws {
        let x = try await Exchange.start(version: .exchange2013)
        defer { Task { await x.stop() } }
        do {
            _ = try await EWSMailbox.contactFolders(url: x.url, version: .exchange2016, http: x.client())
            Issue.record("no error")
        } catch let e as ConnectorError {
            #expect(e.kind == .misconfigured, "\(e)")
        }
        let folders = try await EWSMailbox.contactFolders(url: x.url, version: .exchange2013, http: x.client())
        #expect(folders.first?.isDefault == true)
        await x.stop()
    }

    @Test func foldersAndSubfoldersAreOffered() async throws {
        try await with { x in
            let customers = try x.emulator.addContactsFolder(named: "Customers", in: Exchange.email)
            _ = try x.emulator.addContactsFolder(named: "EMEA", in: Exchange.email, parent: customers.id)
            let folders = try await EWSMailbox.contactFolders(url: x.url, version: .exchange2016, http: x.client())
            #expect(folders.map(\.path) == ["Contacts", "Contacts/Customers", "Contacts/Customers/EMEA"])
            // A subfolder is a spoke of its own.
            let spoke = x.spoke(folder: folders[1].id)
            _ = try await spoke.write([.create(Contact(givenName: "Sub"), CreateMarker(hub: HubID("h"), item: ItemID("s")))])
            #expect(try x.emulator.contacts(in: Exchange.email, folder: customers.id).map(\.contact.givenName) == ["Sub"])
            #expect(try await listAll(x.spoke()).isEmpty)
        }
    }

    @Test func autodiscoverFindsTheEndpoint() async throws {
        try await with { x in
            let found = try await Autodiscover.ewsURL(
                email: Exchange.email, http: x.client(), endpoints: [try #require(x.emulator.autodiscoverURL)])
            #expect(found == x.url)
            await #expect(throws: ConnectorError.self) {
                _ = try await Autodiscover.ewsURL(
                    email: "nobody@example.com", http: x.client(), endpoints: [try #require(x.emulator.autodiscoverURL)])
            }
        }
    }

    @Test func photosSetElsewhereArePulledAndOursReplaceThem() async throws {
        try await with { x in
            let spoke = x.spoke()
            let rec = try x.add("Pic")
            _ = try x.emulator.setContactPhoto(id: rec.id, in: Exchange.email, data: Data([0xFF, 0xD8, 9]))
            let item = try #require(try await spoke.fetch(RemoteID(rec.id)))
            #expect(item.contact.photo?.data == Data([0xFF, 0xD8, 9]))
            var c = item.contact
            c.photo = Photo(data: Data([0xFF, 0xD8, 7]))
            guard case .updated(let v) = try await spoke.write([.update(item.id, item.version, c)]).first else {
                Issue.record("not updated"); return
            }
            let after = try #require(x.emulator.contact(id: rec.id, in: Exchange.email))
            #expect(after.attachments.filter(\.isContactPhoto).map(\.content) == [Data([0xFF, 0xD8, 7])])
            // Without the photo changing, an update leaves the attachment alone.
            c.title = "Painter"
            #expect(try await spoke.write([.update(item.id, v, c)]) .count == 1)
            #expect(try x.emulator.contact(id: rec.id, in: Exchange.email)?.attachments.map(\.id) == after.attachments.map(\.id))
        }
    }
}
