import Foundation
import Testing
import SyncModel
import TestSupport
@testable import HubCLI

/// `discover`, `spoke add --kind carddav` and `sync` against a real Radicale.
@Suite struct CardDAVCLITests {
    func radicale() async throws -> ServerProcess {
        try OutsideTools.require(.radicale)
        return try await ServerProcess.radicale(user: "alice", password: "s3cret-pw")
    }

    @Test func addACardDAVSpokeFromTheServerURLAndSync() async throws {
        let server = try await radicale()
        defer { server.stop() }
        let cli = try CLI()
        let base = "http://127.0.0.1:\(server.port)/"
        let auth = ["--user", "alice", "--password", "s3cret-pw"]
        // A user with no address book yet: discovery says so plainly.
        var r = await cli.run(["discover", "--url", base] + auth)
        #expect(r.error != nil)

        // Two books: `spoke add` with the server URL asks which one.
        for name in ["family", "work"] { try await mkcol(base + "alice/\(name)/", server.port) }
        r = await cli.run(["discover", "--url", base] + auth)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("/alice/family/") && r.output.contains("/alice/work/"))
        #expect(r.output.contains("sync-collection"))
        _ = await cli.run("hub create Team")
        r = await cli.run(["spoke", "add", "team", "--name", "Work", "--kind", "carddav", "--url", base] + auth)
        #expect(r.error.map { "\($0)" }?.contains("2 address books found") == true)
        r = await cli.run(["spoke", "add", "team", "--name", "Work", "--kind", "carddav", "--url", base + "alice/work/"] + auth)
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        // A wrong password is caught when the spoke is added, not at its first sync.
        r = await cli.run(["spoke", "add", "team", "--name", "Family", "--kind", "carddav", "--url", base + "alice/family/",
                           "--user", "alice", "--password", "wrong"])
        let refused = r.error.map { "\($0)" } ?? ""
        #expect(refused.hasPrefix("the server at http://127.0.0.1:\(server.port) (PROPFIND /alice/family/): "
            + "the server rejected the user name or password"), "\(refused)")

        let folder = try cli.folder("office")
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: folder)
        r = await cli.run(["spoke", "add", "team", "--name", "Office", "--path", folder.path])
        r = await cli.run("sync team")
        #expect(r.error == nil, "\(r.output)")
        r = await cli.run("spoke list team")
        #expect(r.output.contains("carddav"))
        // A changed password: the spoke fails (and says why) until it is set right.
        _ = await cli.run(["spoke", "set", "team", "work", "--password", "old-one"])
        r = await cli.run("sync team")
        #expect(r.exitCode == 2)
        #expect(r.output.contains("the server at http://127.0.0.1:\(server.port) ("), "\(r.output)")
        #expect(r.output.contains("): the server rejected the user name or password"), "\(r.output)")
        r = await cli.run(["spoke", "set", "team", "work", "--password", "s3cret-pw"])
        #expect(r.output.contains("password changed"))
        #expect(await cli.run("sync team").exitCode == 0)

        // The password is sealed in the database; the key lives beside it, mode 0600.
        let db = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        #expect(db.range(of: Data("s3cret-pw".utf8)) == nil)
        let key = cli.dir.appendingPathComponent("hubsync.key").path
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // What reached the server, read with curl-like plain requests.
        let list = try await plainPropfind(base + "alice/work/", server.port)
        #expect(list.contains(".vcf"))
    }

    private func mkcol(_ url: String, _ port: Int) async throws {
        let body = #"<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"#
        try curl(["-X", "MKCOL", "-u", "alice:s3cret-pw", "-H", "Content-Type: application/xml", "--data", body, url])
    }

    private func plainPropfind(_ url: String, _ port: Int) async throws -> String {
        try curl(["-X", "PROPFIND", "-u", "alice:s3cret-pw", "-H", "Depth: 1", url])
    }

    @discardableResult
    private func curl(_ args: [String]) throws -> String {
        try OutsideTools.require(.curl)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-sS", "--fail"] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ServerError("curl \(args.joined(separator: " ")) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
