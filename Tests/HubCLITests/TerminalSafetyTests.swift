import Foundation
import Testing
import Secrets
import SyncModel
import SyncStore
@testable import HubCLI

/// Issue 14: what the CLI prints cannot drive the terminal, and what it stores only its owner reads.
@Suite struct TerminalSafetyTests {
    static let unsafe: [Character] = ["\u{1B}", "\u{7}", "\u{202E}", "\u{0}", "\u{9B}"]

    @Test func contactTextAndNamesAreNeutralisedInListsAndHistory() async throws {
        let cli = try CLI()
        #expect(await cli.run("hub create Sales").error == nil)
        let office = try cli.folder("office")
        #expect(await cli.run(["spoke", "add", "sales", "--name", "Office", "--path", office.path]).error == nil)
        // Names from elsewhere (an older database, a source): stored as they came.
        let store = try GlobalOptions.parse(["--db", cli.db]).openStore()
        var hub = try #require(try store.hub("sales"))
        hub.name = "Sales\u{1B}]0;owned\u{7}"
        try store.saveHub(hub)
        try writeCard(Contact(givenName: "Mallory\u{1B}[2J", familyName: "\u{202E}gnp.exe", organization: "Evil\u{9B}31m"), "m", in: office)
        #expect(await cli.run("sync sales").error == nil)

        for command in ["hub list", "hub show sales", "history sales", "export sales"] {
            let r = await cli.run(command, terminal: true)
            #expect(r.error == nil, "\(command)")
            #expect(!r.output.contains { Self.unsafe.contains($0) }, "\(command): \(r.output.debugDescription)")
        }
        // Shown, not dropped (when the source kept the escape at all).
        if try store.liveItems(hub: "sales").contains(where: { $0.contact.givenName?.contains("\u{1B}") == true }) {
            #expect(await cli.run("history sales").output.contains("Mallory\u{FFFD}[2J"))
            // A pipe gets the export as it is: the file is the data.
            #expect(await cli.run("export sales", terminal: false).output.contains("Mallory\u{1B}[2J"))
        }
    }

    @Test func namesTypedWithControlCharactersAreRefused() async throws {
        let cli = try CLI()
        for name in ["Sales\u{1B}[2J", "abc\u{202E}def", String(repeating: "x", count: 101)] {
            let r = await cli.run(["hub", "create", name])
            #expect(r.error != nil, "\(name.debugDescription)")
        }
        #expect(await cli.run(["hub", "create", "Sales"]).error == nil)
        let r = await cli.run(["spoke", "add", "sales", "--name", "Off\u{202E}ice", "--path", try cli.folder("a").path])
        #expect("\(r.error.map { "\($0)" } ?? "")".contains("control or text-direction"))
    }

    @Test func servePrintsTheSetupCodeAndURLUntilThereIsAnAdmin() {
        let lines = Serve.banner(url: "http://127.0.0.1:8080/", database: "/d/hub.sqlite", setupCode: "abcd-efgh-jkmn")
        #expect(lines.contains("  http://127.0.0.1:8080/setup?code=abcd-efgh-jkmn"))
        #expect(lines.contains { $0.contains("setup code abcd-efgh-jkmn") })
        #expect(Serve.banner(url: "http://127.0.0.1:8080/", database: "/d/hub.sqlite", setupCode: nil).count == 1)
    }

    @Test func databaseWALSHMKeyAndTheirDirectoryAreTheOwners() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-perm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let db = root.appendingPathComponent("data/hub.sqlite").path
        let options = try GlobalOptions.parse(["--db", db])
        let store = try options.openStore()
        try store.saveHub(HubConfig(id: "h", name: "H"))  // the WAL and SHM files exist while it is open
        _ = try SecretBox.load(keyFile: options.keyFile, environment: [:])
        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue & 0o777
        }
        #expect(try mode(root.appendingPathComponent("data").path) == 0o700)
        for file in [db, db + "-wal", db + "-shm", options.keyFile.path] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file)")
            let m = try mode(file)
            #expect(m == 0o600, "\(file): \(String(m, radix: 8))")
        }
        #expect(readableByOthers(db) == nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db)
        #expect(readableByOthers(db)?.contains("mode 644") == true)
        withExtendedLifetime(store) {}
    }
}
