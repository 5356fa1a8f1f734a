import Emulators
import Foundation
import HubServer
import SyncModel
import Testing
import TestSupport
@testable import HubCLI

/// The web wizard's CardDAV (a real Radicale), folder and Google (the People emulator) steps.
@Suite struct ProviderSourcesTests {
    @Test func cardDAVAddressBooksAndSettings() async throws {
        try OutsideTools.require(.radicale)
        let server = try await ServerProcess.radicale(user: "alice", password: "s3cret-pw")
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)/"
        for name in ["family", "work"] { try curl(["-X", "MKCOL", "-u", "alice:s3cret-pw", "-H", "Content-Type: application/xml",
                                                   "--data", mkcol, base + "alice/\(name)/"]) }
        let cli = try CLI()
        let provider = try cli.provider()
        let form = SpokeForm(url: base, user: "alice", password: "s3cret-pw")

        let found = try await provider.discover(.carddav, form)
        #expect(found.folders.map { URL(string: $0.id)!.lastPathComponent }.sorted() == ["family", "work"])
        #expect(found.folders.allSatisfy { !$0.isDefault })
        // Several books and none chosen: the admin picks one.
        #expect(await blamedField { _ = try await provider.settings(.carddav, form, folder: nil) } == "folder")
        #expect(await blamedField { _ = try await provider.settings(.carddav, form, folder: base + "bob/x/") } == "folder")
        let work = try #require(found.folders.first { $0.id.hasSuffix("/work/") })
        let made = try await provider.settings(.carddav, form, folder: work.id)

        _ = await cli.run("hub create Team")
        let r = await cli.run(["spoke", "add", "team", "--name", "Work", "--kind", "carddav", "--url", base + "alice/work/",
                               "--user", "alice", "--password", "s3cret-pw"])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        try expectSameSettings(made, try cli.storedSettings(hub: "team", spoke: "work"), secrets: try cli.secrets())
        // An address book's own URL: that book, the default.
        let one = try await provider.discover(.carddav, SpokeForm(url: work.id, user: "alice", password: "s3cret-pw"))
        #expect(one.folders.map(\.isDefault) == [true])
        let spoke = SpokeConfig(id: SpokeID("w"), hub: HubID("team"), name: "W", kind: .carddav, position: 3, settings: made)
        #expect(provider.describe(spoke) == ["url": work.id, "user": "alice", "folder": "work"])

        let wrong = SpokeForm(url: base, user: "alice", password: "wrong")
        #expect(await blamedField { _ = try await provider.discover(.carddav, wrong) } == "password")
        let closed = SpokeForm(url: "http://127.0.0.1:\(try closedPort())/", user: "alice", password: "s3cret-pw")
        #expect(await blamedField { _ = try await provider.discover(.carddav, closed) } == "url")
        #expect(await blamedField { _ = try await provider.discover(.carddav, SpokeForm(user: "alice", password: "x")) } == "url")
    }

    @Test func folderSettings() async throws {
        let cli = try CLI()
        let provider = try cli.provider()
        let dir = cli.dir.appendingPathComponent("export")
        #expect(await blamedField { _ = try await provider.discover(.folder, SpokeForm(path: "relative/dir")) } == "path")
        #expect(await blamedField { _ = try await provider.discover(.folder, SpokeForm(path: " ")) } == "path")
        var found = try await provider.discover(.folder, SpokeForm(path: dir.path))
        #expect(found.folders.first?.count == nil)  // not there yet
        let made = try await provider.settings(.folder, SpokeForm(path: dir.path), folder: nil)
        try writeCard(person("Ada", "Lovelace", "ada@example.com"), "ada", in: dir)
        found = try await provider.discover(.folder, SpokeForm(path: dir.path))
        #expect(found.folders.first?.count == 1)
        try Data().write(to: cli.dir.appendingPathComponent("file"))
        let file = SpokeForm(path: cli.dir.appendingPathComponent("file").path)
        #expect(await blamedField { _ = try await provider.settings(.folder, file, folder: nil) } == "path")

        _ = await cli.run("hub create Team")
        _ = await cli.run(["spoke", "add", "team", "--name", "Export", "--path", dir.path])
        #expect(made == (try cli.storedSettings(hub: "team", spoke: "export")))
    }

    @Test func signInWithGoogle() async throws {
        let google = PeopleEmulator()
        google.addAccount(email: "ann@example.com", clientID: "web-test", clientSecret: "web-secret")
        let base = try await google.start()
        _ = try google.createContact(in: "ann@example.com", givenName: "Gus", familyName: "Gray", emailAddress: "gus@example.com")
        let cli = try CLI()
        let provider = try cli.provider(googleClientID: "web-test", googleClientSecret: "web-secret", googleEndpoint: base)
        #expect(await blamedField { _ = try await provider.discover(.google, SpokeForm()) } == "signIn")

        // The browser's part: the emulator approves at once and redirects back with a code.
        let redirect = URL(string: "http://127.0.0.1:9/oauth/google/callback")!
        let (url, verifier) = try provider.beginSignIn(.google, redirectURI: redirect, state: "state-1")
        #expect(url.absoluteString.contains("code_challenge="))
        let location = try curl(["-o", "/dev/null", "-w", "%{redirect_url}", url.absoluteString])
        let query = Dictionary(
            (URLComponents(string: location)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(location.hasPrefix(redirect.absoluteString))
        #expect(query["state"] == "state-1")
        let code = try #require(query["code"])

        let (settings, account) = try await provider.finishSignIn(.google, code: code, verifier: verifier, redirectURI: redirect)
        #expect(account == "ann@example.com")
        #expect(settings["google.account"] == "ann@example.com")
        #expect(settings["google.refreshToken"]?.hasPrefix("enc:") == true)
        #expect(settings["google.clientSecret"]?.hasPrefix("enc:") == true)
        // A code is good once.
        #expect(await blamedField {
            _ = try await provider.finishSignIn(.google, code: code, verifier: verifier, redirectURI: redirect)
        } == "signIn")

        let form = SpokeForm(signedIn: settings)
        #expect(try await provider.discover(.google, form).account == "ann@example.com")
        let made = try await provider.settings(.google, form, folder: nil)
        #expect(made == settings)
        let spoke = SpokeConfig(id: SpokeID("g"), hub: HubID("team"), name: "G", kind: .google, position: 0, settings: made)
        #expect(provider.describe(spoke) == ["account": "ann@example.com"])
        let page = try await provider.connector(for: spoke).pull(since: nil, page: nil)
        #expect(page.changes.count == 1)

        // The same keys as a spoke `spoke add --kind google` signs in.
        _ = await cli.run("hub create Team")
        let r = await cli.run(["spoke", "add", "team", "--name", "Google", "--kind", "google", "--client-id", "web-test",
                               "--client-secret", "web-secret", "--google-endpoint", base.absoluteString,
                               "--open-with", "curl -sSL -o /dev/null"])
        #expect(r.output.contains("signed in to Google as ann@example.com"), "\(r.output) \(r.error.map { "\($0)" } ?? "")")
        #expect(Set(try cli.storedSettings(hub: "team", spoke: "google").keys) == Set(made.keys))
        await google.stop()
    }
}

let mkcol = #"<?xml version="1.0"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype></D:prop></D:set></D:mkcol>"#

/// curl with `args`, its standard output; throws when it fails.
@discardableResult
func curl(_ args: [String]) throws -> String {
    try OutsideTools.require(.curl)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    p.arguments = ["-sS"] + args
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw ServerError("curl \(args.joined(separator: " ")) failed") }
    return String(decoding: data, as: UTF8.self)
}
