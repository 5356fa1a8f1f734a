import Foundation
import Testing
import PIMFormats
import SyncModel
import SyncStoreSQLite
@testable import HubCLI

func writeCard(_ c: Contact, _ name: String, in dir: URL) throws {
    try Data(VCardWriter.write(VCard(uid: name, contact: c)).utf8).write(to: dir.appendingPathComponent(name + ".vcf"))
}

func readCards(_ dir: URL) throws -> [Contact] {
    try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".vcf") }.sorted().map {
        try VCardParser.parse(data: try Data(contentsOf: dir.appendingPathComponent($0))).contact
    }
}

func person(_ given: String, _ family: String, _ email: String) -> Contact {
    Contact(givenName: given, familyName: family, emails: [LabeledValue(email, label: .work)])
}

@Suite struct CLITests {
    @Test func createHubAndSpokesWithOptions() async throws {
        let cli = try CLI()
        var r = await cli.run("hub create Sales")
        #expect(r.error == nil)
        #expect(r.output.contains("created hub sales"))
        let a = try cli.folder("a").path
        r = await cli.run(["spoke", "add", "sales", "--name", "Office", "--path", a, "--categorize", "HubSync",
                           "--filter-domain", "example.com", "--require-phone", "--map", "title=JobCode"])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        r = await cli.run(["spoke", "add", "Sales", "--name", "CRM", "--path", try cli.folder("b").path, "--one-way"])
        #expect(r.error == nil)
        r = await cli.run("spoke set sales office --no-categorize --clear-filters --filter-category VIP")
        #expect(r.error == nil)
        #expect(r.output.contains("filter: category in [VIP]"))
        #expect(!r.output.contains("category 'HubSync'"))
        #expect(r.output.contains("maps spoke title ↔ hub custom.JobCode"))
        r = await cli.run("hub show sales")
        #expect(r.output.contains("spoke office (Office), folder"))
        #expect(r.output.contains("one-way: feeds the hub only"))
        r = await cli.run("spoke list sales")
        #expect(r.output.contains("crm") && r.output.contains("one-way"))
        r = await cli.run("hub list")
        #expect(r.output.contains("sales") && r.output.contains("Sales"))
    }

    @Test func clearErrors() async throws {
        let cli = try CLI()
        var r = await cli.run("sync nosuchhub")
        #expect(r.error.map { "\($0)" }?.contains("no hub 'nosuchhub'") == true)
        _ = await cli.run("hub create H")
        r = await cli.run("spoke add h --name X --path /tmp/x --map nofield=Y")
        #expect(r.exitCode != 0)
        r = await cli.run("spoke add h --name X --kind ews")
        #expect(r.error.map { "\($0)" }?.contains("needs the server's address, or the mailbox's email address") == true)
        r = await cli.run("spoke add h --name X --kind ews --url http://")
        #expect(r.error.map { "\($0)" }?.contains("is not a web address (like https://server.example.com). (--url)") == true)
        r = await cli.run("spoke add h --name X --kind google")
        #expect(r.error.map { "\($0)" }?.contains("needs --client-id") == true)
        r = await cli.run("spoke add h --name X --kind m365")
        #expect(r.error.map { "\($0)" }?.contains("needs the app's client id") == true)
        r = await cli.run("spoke add h --name X --kind m365 --client-id c --mailbox ann@contoso.example")
        #expect(r.error.map { "\($0)" }?.contains("needs the tenant") == true)
        r = await cli.run("restore h")
        #expect(r.exitCode != 0)
    }

    @Test func syncHistoryAndRestore() async throws {
        let cli = try CLI()
        let a = try cli.folder("a"), b = try cli.folder("b")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: a)
        try writeCard(person("Alan", "Turing", "alan@example.com"), "alan", in: a)
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        _ = await cli.run(["spoke", "add", "team", "--name", "B", "--path", b.path])
        var r = await cli.run("sync team")
        #expect(r.error == nil)
        #expect(r.output.contains("push B: 2 items"))
        #expect(!r.output.contains("\r"))
        #expect(Set(try readCards(b).compactMap(\.givenName)) == ["Ada", "Alan"])

        // An edit in B reaches A, and the journal says who and what.
        let adaInB = try FileManager.default.contentsOfDirectory(atPath: b.path).sorted()
            .first { try! readCardsFile(b.appendingPathComponent($0)).givenName == "Ada" }!
        var card = try VCardParser.parse(data: Data(contentsOf: b.appendingPathComponent(adaInB)))
        card.contact.title = "Countess"
        try Data(VCardWriter.write(card).utf8).write(to: b.appendingPathComponent(adaInB))
        r = await cli.run("sync team")
        #expect(try readCards(a).first { $0.givenName == "Ada" }?.title == "Countess")
        r = await cli.run("history team --limit 1")
        #expect(r.output.contains("updated  Ada Lovelace"))
        #expect(r.output.contains("from B"))
        #expect(r.output.contains("title: ∅ → 'Countess'"))
        let seq = r.output.split(separator: " ").first!.dropFirst()

        // Undo it: the next sync takes the title away everywhere.
        r = await cli.run("restore team --entry \(seq)")
        #expect(r.output.contains("put back: Ada Lovelace"))
        _ = await cli.run("sync team")
        #expect(try readCards(a).first { $0.givenName == "Ada" }?.title == nil)
        #expect(try readCards(b).first { $0.givenName == "Ada" }?.title == nil)
    }

    @Test func undoAWholeRun() async throws {
        let cli = try CLI()
        let a = try cli.folder("a"), b = try cli.folder("b")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: a)
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        _ = await cli.run(["spoke", "add", "team", "--name", "B", "--path", b.path])
        _ = await cli.run("sync team")
        try writeCard(person("Grace", "Hopper", "grace@example.com"), "grace", in: a)
        try writeCard(person("Edsger", "Dijkstra", "ewd@example.com"), "ewd", in: a)
        let r = await cli.run("sync team")
        let run = r.output.split(separator: "\n").last { $0.hasPrefix("run ") }!.split(separator: " ")[1].dropLast()
        let undo = await cli.run("restore team --run \(run)")
        #expect(undo.error == nil)
        #expect(undo.output.contains("deleted again: Grace Hopper"))
        _ = await cli.run("sync team")
        #expect(try readCards(b).compactMap(\.givenName) == ["Ada"])
    }

    @Test func massDeletionIsHeldUntilApproved() async throws {
        let cli = try CLI()
        let a = try cli.folder("a"), b = try cli.folder("b")
        for i in 0..<10 { try writeCard(person("P\(i)", "Q", "p\(i)@example.com"), "p\(i)", in: a) }
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        _ = await cli.run(["spoke", "add", "team", "--name", "B", "--path", b.path])
        _ = await cli.run("sync team")
        for i in 0..<6 { try FileManager.default.removeItem(at: a.appendingPathComponent("p\(i).vcf")) }
        var r = await cli.run("sync team")
        #expect(r.exitCode == 2)
        #expect(r.output.contains("deletions were held back"))
        #expect(try readCards(b).count == 10)
        r = await cli.run("holds team")
        #expect(r.output.contains("spoke a: 6 deletions held"))
        r = await cli.run("holds approve team a")
        #expect(r.error == nil)
        r = await cli.run("sync team")
        #expect(r.exitCode == 0)
        #expect(try readCards(b).count == 4)
        r = await cli.run("holds team")
        #expect(r.output.contains("no deletions held"))
    }

}

func readCardsFile(_ url: URL) throws -> Contact {
    try VCardParser.parse(data: try Data(contentsOf: url)).contact
}

@Suite struct SpokeSetTests {
    /// A new filter applies to the items already synced, not only to those that change next.
    @Test func changedOptionsReachExistingItems() async throws {
        let cli = try CLI()
        let a = try cli.folder("a"), b = try cli.folder("b")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: a)
        try writeCard(Contact(givenName: "Alan", familyName: "Turing"), "alan", in: a)
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        _ = await cli.run(["spoke", "add", "team", "--name", "B", "--path", b.path])
        _ = await cli.run("sync team")
        #expect(try readCards(b).count == 2)
        _ = await cli.run("spoke set team b --require-email")
        _ = await cli.run("sync team")
        #expect(try readCards(b).compactMap(\.givenName) == ["Ada"])
        #expect(try readCards(a).count == 2)
    }
}

@Suite struct ExportTests {
    @Test func exportWritesEveryLiveContactAsAVCard() async throws {
        let cli = try CLI()
        let a = try cli.folder("a")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: a)
        try writeCard(person("Alan", "Turing", "alan@example.com"), "alan", in: a)
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        _ = await cli.run("sync team")
        let file = cli.dir.appendingPathComponent("backup.vcf").path
        let r = await cli.run(["export", "team", "--out", file, "--vcard", "4.0"])
        #expect(r.output.contains("wrote 2 contacts"))
        let cards = VCardParser.parseAll(data: try Data(contentsOf: URL(fileURLWithPath: file)))
        let names = try cards.map { try $0.get().contact.givenName ?? "" }
        #expect(names.sorted() == ["Ada", "Alan"])
        #expect(try cards.allSatisfy { try $0.get().version == .v4 })
        let stdout = await cli.run("export team")
        #expect(stdout.output.components(separatedBy: "BEGIN:VCARD").count == 3)
    }
}

@Suite struct HubLockTests {
    @Test func oneSyncOfAHubAtATime() async throws {
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", try cli.folder("a").path])
        var held = try HubLock(database: cli.db, hub: "team")
        #expect(held != nil)
        let busy = await cli.run("sync team")
        #expect("\(busy.error.map { "\($0)" } ?? "")".contains("being synced by another process"))
        held = nil
        #expect(await cli.run("sync team").exitCode == 0)
    }

    /// `sync --all` skips a hub another process is syncing, says so, and syncs the others.
    @Test func syncAllGoesOnPastABusyHub() async throws {
        let cli = try CLI()
        let b = try cli.folder("b")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: b)
        for (hub, folder) in [("Team", "a"), ("Zed", "b")] {
            _ = await cli.run(["hub", "create", hub])
            _ = await cli.run(["spoke", "add", hub.lowercased(), "--name", "F", "--path", try cli.folder(folder).path])
            _ = await cli.run(["spoke", "add", hub.lowercased(), "--name", "G", "--path", try cli.folder(folder + "2").path])
        }
        let held = try HubLock(database: cli.db, hub: "team")
        let r = await cli.run("sync --all")
        #expect(r.output.contains("skipping hub team: another process is syncing it"), "\(r.output)")
        #expect(r.exitCode == 2)
        #expect(try SQLiteStore(path: cli.db).liveItemCount(hub: HubID("zed")) == 1)
        withExtendedLifetime(held) {}
    }
}

@Suite struct PruneTests {
    @Test func pruneKeepsRecentHistory() async throws {
        let cli = try CLI()
        let a = try cli.folder("a")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: a)
        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "A", "--path", a.path])
        _ = await cli.run("sync team")
        let r = await cli.run("prune team --keep-days 30")
        #expect(r.output.contains("forgotten"))
        // Today's change is younger than 30 days: still there.
        #expect(await cli.run("history team").output.contains("created  Ada Lovelace"))
        #expect(await cli.run("prune team --keep-days 0").exitCode != 0)
    }
}
