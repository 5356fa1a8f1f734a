import Foundation
import Loopback
import Mail
import HubServer
import Logging
import SyncModel
import SyncStore
import SyncStoreSQLite
import Testing
import TestSupport
@testable import HubCLI

/// `hubsync invite`: the link printed once, the mail through a real SMTP server (Python's
/// aiosmtpd, delivering into a maildir) or a sendmail command, the list, and revocation.
@Suite(.serialized) struct InviteCLITests {
    /// aiosmtpd on loopback, each message a file of `directory/maildir/new`.
    static func smtpServer() async throws -> ServerProcess {
        try OutsideTools.require(.aiosmtpd)
        return try await ServerProcess("python3") { port, dir in
            ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", dir.appendingPathComponent("maildir").path]
        }
    }

    static func delivered(_ server: ServerProcess) -> [String] {
        let dir = server.directory.appendingPathComponent("maildir/new")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.sorted().compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
    }

    static func link(in output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("link") }.flatMap { $0.split(separator: " ").last.map(String.init) }
    }

    @Test func createMailsTheLinkListsAndRevokes() async throws {
        let smtp = try await Self.smtpServer()
        defer { smtp.stop() }
        let cli = try CLI()
        let made = await cli.run([
            "invite", "create", "--email", "pat@example.com", "--public-url", "https://hub.example.org/",
            "--smtp-url", "smtp://127.0.0.1:\(smtp.port)", "--organisation", "Example Ltd", "--mail-from", "HubSync <hub@example.org>",
        ])
        #expect(made.error == nil, "\(String(describing: made.error))")
        let link = try #require(Self.link(in: made.output))
        #expect(link.hasPrefix("https://hub.example.org/invite/") && link.count == "https://hub.example.org/invite/".count + 43)
        #expect(made.output.contains("mailed to pat@example.com through smtp://127.0.0.1:\(smtp.port)"))

        // The mail arrived, addressed to the invitee, in plain words, with the link.
        let mails = Self.delivered(smtp)
        try #require(mails.count == 1, "\(mails.count) mails; server log: \(smtp.output())")
        let mail = mails[0]
        #expect(mail.contains("To: pat@example.com"))
        #expect(mail.contains("From: HubSync <hub@example.org>"))
        #expect(mail.contains("Subject: Example Ltd asks for access to your Google contacts"))
        #expect(mail.contains("read and change the contacts of your Google account pat@example.com"))
        #expect(mail.contains("\n\(link)\n") || mail.contains("\n\(link)\r\n"))

        // Only the token's hash is in the database.
        let store = try SQLiteStore(path: cli.db)
        let stored = try #require(try store.invitations().first)
        let token = String(link.split(separator: "/").last!)
        #expect(stored.tokenHash != token && stored.state == .pending && stored.organisation == "Example Ltd")
        let raw = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        #expect(raw.range(of: Data(token.utf8)) == nil)

        let listed = await cli.run(["invite", "list"])
        #expect(listed.output.contains(stored.id) && listed.output.contains("pending") && !listed.output.contains(token))

        let revoked = await cli.run(["invite", "revoke", stored.id])
        #expect(revoked.error == nil && revoked.output.contains("invitation \(stored.id) for pat@example.com revoked"))
        #expect(await cli.run(["invite", "list"]).output.contains("revoked"))
        #expect(await cli.run(["invite", "revoke", "nope"]).exitCode != 0)
    }

    @Test func withoutMailTheLinkIsShownAndBadInputIsRefused() async throws {
        let cli = try CLI()
        let made = await cli.run(["invite", "create", "--email", "pat@example.com", "--expires-in", "12h"])
        #expect(made.error == nil)
        #expect(Self.link(in: made.output)?.hasPrefix("http://127.0.0.1:8080/invite/") == true)
        #expect(made.output.contains("not mailed"))
        let store = try SQLiteStore(path: cli.db)
        let i = try #require(try store.invitations().first)
        #expect(i.expiresAt.timeIntervalSince(i.createdAt) == 12 * 3600)

        #expect(await cli.run(["invite", "create", "--email", "not an address"]).exitCode != 0)
        #expect(await cli.run(["invite", "create", "--email", "p@e.com", "--expires-in", "soon"]).exitCode != 0)
        #expect(await cli.run(["invite", "create", "--email", "p@e.com", "--kind", "yahoo"]).exitCode != 0)
        #expect(await cli.run(["invite", "create", "--email", "p@e.com", "--smtp-url", "http://x"]).exitCode != 0)
        #expect(await cli.run(["invite", "create", "--email", "p@e.com", "--smtp-url", "smtp://u:p@x"]).exitCode != 0)
        #expect(try store.invitations().count == 1)

        // A mail server that is not there: the invitation exists, the admin is told to send it.
        let closed = try Loopback.freePort()
        let failed = await cli.run(["invite", "create", "--email", "sam@example.com", "--smtp-url", "smtp://127.0.0.1:\(closed)"])
        #expect(failed.exitCode != 0 && String(describing: failed.error!).contains("send the link yourself"))
        #expect(Self.link(in: failed.output) != nil)
    }

    @Test func sendmailGetsTheMessageOnItsInput() async throws {
        let cli = try CLI()
        let out = cli.dir.appendingPathComponent("sent.eml")
        let script = cli.dir.appendingPathComponent("fake-sendmail")
        try "#!/bin/sh\n[ \"$1\" = \"-t\" ] || exit 3\ncat > '\(out.path)'\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
        let made = await cli.run(["invite", "create", "--email", "pat@example.com", "--sendmail", "\(script.path) -t"])
        #expect(made.error == nil, "\(String(describing: made.error))")
        let sent = try String(contentsOf: out, encoding: .utf8)
        let link = try #require(Self.link(in: made.output))
        #expect(sent.contains("To: pat@example.com\n") && sent.contains(link))
        let failing = await cli.run(["invite", "create", "--email", "pat@example.com", "--sendmail", "\(script.path) -x"])
        #expect((failing.error.map { String(describing: $0) } ?? "").contains("exit status 3"))
    }

    /// The SMTP client alone: dot-stuffing, and a non-ASCII message in base64.
    @Test func smtpClientStuffsDotsAndEncodesText() async throws {
        let smtp = try await Self.smtpServer()
        defer { smtp.stop() }
        let body = "Bonjour,\n.\n.hidden line\nà bientôt"
        try await MailTransport.smtp(host: "127.0.0.1", port: smtp.port).send(
            MailMessage(from: "hub@example.org", to: "marie@example.fr", subject: "Accès demandé", body: body))
        try await MailTransport.smtp(host: "127.0.0.1", port: smtp.port).send(
            MailMessage(from: "hub@example.org", to: "marie@example.fr", subject: "plain", body: "one\n.two\n..three"))
        let mails = Self.delivered(smtp)
        try #require(mails.count == 2)
        let encoded = try #require(mails.first { $0.contains("base64") })
        let b64 = encoded.components(separatedBy: "\n\n").dropFirst().joined().replacingOccurrences(of: "\n", with: "")
        #expect(String(decoding: Data(base64Encoded: b64) ?? Data(), as: UTF8.self) == body.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(encoded.contains("Subject: =?UTF-8?B?"))
        let plain = try #require(mails.first { $0.contains("Subject: plain") })
        #expect(plain.hasSuffix("one\n.two\n..three\n"))
    }

    /// `serve` takes the same mail options (and the organisation's name).
    @Test func serveTakesTheMailOptions() throws {
        let serve = try #require(try HubSyncCommand.parseAsRoot([
            "serve", "--smtp-url", "smtp://mail.example.org:2525", "--organisation", "Example Ltd", "--mail-from", "hub@example.org",
        ]) as? Serve)
        #expect(try serve.mail.transport() == .smtp(host: "mail.example.org", port: 2525))
        #expect(serve.mail.organisation == "Example Ltd" && serve.mail.mailFrom == "hub@example.org")
        let sendmail = try #require(try HubSyncCommand.parseAsRoot(["serve", "--sendmail", "/usr/sbin/sendmail -t"]) as? Serve)
        #expect(try sendmail.mail.transport() == .sendmail(["/usr/sbin/sendmail", "-t"]))
        let both = try #require(try HubSyncCommand.parseAsRoot(["serve", "--sendmail", "/x", "--smtp-url", "smtp://y"]) as? Serve)
        #expect(throws: CLIError.self) { try both.mail.transport() }
    }

    /// Revoking an accepted invitation pauses the spoke using its account and drops its token.
    @Test func revokePausesTheSpokeUsingTheAccount() async throws {
        let cli = try CLI()
        let store = try SQLiteStore(path: cli.db)
        let service = InvitationService(store: store)
        let (invitation, _) = try service.create(kind: .google, email: "pat@example.com", organisation: "E", by: "admin")
        _ = try service.accept(id: invitation.id, account: "pat@example.com", settings: ["google.refreshToken": "enc:v1:x"])
        let hub = HubID("team")
        try store.saveHub(HubConfig(id: hub, name: "Team"))
        try store.saveSpoke(SpokeConfig(
            id: SpokeID("pat"), hub: hub, name: "Pat", kind: .google, position: 0,
            settings: ["google.refreshToken": "enc:v1:x", InvitationService.spokeKey: invitation.id]))
        // Revoked but not yet paused (say its hub was busy): the source does not run all the same.
        _ = try service.revoke(id: invitation.id, by: .invitee)
        let ctx = Context(store: store, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, secrets: { throw CLIError("no key here") })
        let unpaused = try #require(try store.spokes(hub: hub).first)
        #expect(unpaused.settings[InvitationService.pausedKey] == nil)
        let page = try await ctx.connector(for: unpaused).pull(since: nil, page: nil)
        #expect(page.changes.isEmpty)
        let out = await cli.run(["invite", "revoke", invitation.id])
        #expect(out.error == nil && out.output.contains("spoke pat of hub team paused"))
        let spoke = try #require(try store.spokes(hub: hub).first)
        #expect(spoke.settings["google.refreshToken"] == nil && spoke.settings[InvitationService.pausedKey] != nil)
        #expect(try store.invitation(id: invitation.id)?.settings == nil)
    }
}

