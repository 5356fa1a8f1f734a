import Emulators
import Foundation
import HubCLI
import HubServer
import Loopback
import Mail
import Secrets
import SyncModel
import SyncStore
import SyncStoreSQLite
import Testing
import TestSupport

/// "Invite a user" in headless Chromium (python/web_invite.py), both sides: the admin invites
/// from the wizard's Google step (the mail goes to a real SMTP server, aiosmtpd), the invitee
/// opens the link with no HubSync account, signs in at the People API emulator's consent page,
/// the admin sees the account connected and adds it as a source, a sync runs; then the invitee
/// revokes and the source pauses. And the pages of a wrong account, an expired, a revoked and
/// an unknown link.
@Suite(.serialized) struct InviteBrowserTests {
    static let clientID = "hubsync-invite-test.apps.googleusercontent.com", clientSecret = "invite-secret"
    static let invitee = "pat.example@gmail.example", other = "sam.other@gmail.example"
    static let admin = WebFixture.admin, adminPassword = WebFixture.adminPassword

    @Test(.timeLimit(.minutes(10)))
    func adminInvitesInviteeAcceptsSourceSyncsThenRevokes() async throws {
        try OutsideTools.require(BrowserTools.needed + [.aiosmtpd])
        let smtp = try await ServerProcess("python3") { port, dir in
            ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", dir.appendingPathComponent("maildir").path]
        }
        defer { smtp.stop() }
        let google = PeopleEmulator()
        // The first account of the client is someone else: a sign-in that ignores the hint lands there.
        google.addAccount(email: Self.other, clientID: Self.clientID, clientSecret: Self.clientSecret, displayName: "Sam Other")
        google.addAccount(email: Self.invitee, clientID: Self.clientID, clientSecret: Self.clientSecret, displayName: "Pat Example")
        google.consent = .consentPage
        for (given, family, email) in [("Grace", "Hopper", "grace@example.com"), ("Alan", "Turing", "alan@example.com")] {
            try google.createContact(in: Self.invitee, givenName: given, familyName: family, emailAddress: email)
        }
        let googleBase = try await google.start()
        google.faults.latency = .milliseconds(200)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-invite-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path)
        let secrets = try SecretBox.load(keyFile: directory.appendingPathComponent("hubsync.key"), environment: [:])
        let provider = try ConnectorProvider(
            store: store, secrets: secrets, googleClientID: Self.clientID, googleClientSecret: Self.clientSecret, googleEndpoint: googleBase)
        var settings = HubApp.Settings(host: "127.0.0.1", port: 0, bcryptCost: 4, scheduler: false)
        settings.organisation = "Example Ltd"
        settings.mail = .smtp(host: "127.0.0.1", port: smtp.port)
        settings.mailFrom = "HubSync <hubsync@example.org>"
        let app = HubApp(store: store, provider: provider, settings: settings)
        let port = try await app.start()
        defer {
            Task {
                await app.stop()
                await google.stop()
                try? FileManager.default.removeItem(at: directory)
            }
        }
        try app.createAdmin(user: Self.admin, password: Self.adminPassword)
        let hub = HubID("team")
        try store.saveHub(HubConfig(id: hub, name: "Team"))
        let url = "http://127.0.0.1:\(port)"

        // Links the browser cannot make itself: one that expired a week ago, one the admin revoked.
        let lastWeek = InvitationService(store: store, clock: { Date().addingTimeInterval(-8 * 86400) })
        let (_, expired) = try lastWeek.create(kind: .google, email: Self.invitee, organisation: "Example Ltd", by: "admin")
        let service = InvitationService(store: store)
        let (gone, revoked) = try service.create(kind: .google, email: Self.invitee, organisation: "Example Ltd", by: "admin")
        _ = try service.revoke(id: gone.id, by: .admin)

        try clearScreenshots(of: "invite")
        let out = try await PythonScript.run(
            "web_invite.py", in: BrowserTools.scripts,
            ["invite", "--url", url, "--shots", BrowserTools.screenshots.appendingPathComponent("invite").path,
             "--admin-user", Self.admin, "--admin-password", Self.adminPassword, "--hub", hub.rawValue,
             "--invitee", Self.invitee, "--stranger", "nobody@example.net", "--wrong-account", Self.other,
             "--expired", InvitationService.link(base: url, token: expired), "--revoked", InvitationService.link(base: url, token: revoked)],
            needs: BrowserTools.needed)
        print(out)
        #expect(out.contains("SUMMARY: invite all checks passed"))
        let shots = screenshots(of: "invite")
        for name in ["invite-created", "invite-page", "invite-consent", "invite-granted", "invite-wrong-account", "invite-expired",
                     "invite-revoked-link", "invite-unknown", "invite-connected", "invite-signed-in", "invite-synced", "invite-revoked",
                     "invite-paused"] {
            #expect(shots[name]?.isPNG == true, "no screenshot \(name)")
        }

        // The mails arrived, each with its link; the store kept hashes only.
        let maildir = smtp.directory.appendingPathComponent("maildir/new")
        let mails = try FileManager.default.contentsOfDirectory(atPath: maildir.path)
            .map { try String(contentsOf: maildir.appendingPathComponent($0), encoding: .utf8) }
        #expect(mails.count == 2)
        #expect(mails.contains { $0.contains("To: \(Self.invitee)") && $0.contains("Example Ltd asks for access to your Google contacts") })
        let invitations = try store.invitations()
        let accepted = try #require(invitations.first { $0.email == Self.invitee && $0.acceptedAt != nil })
        #expect(mails.allSatisfy { mail in invitations.allSatisfy { !mail.contains($0.tokenHash) } })

        // The sync brought the invitee's contacts into the hub; the revocation paused the source.
        await app.waitForSync(hub)
        #expect(try store.liveItemCount(hub: hub) == 2)
        let spoke = try #require(try store.spokes(hub: hub).first)
        #expect(spoke.settings[InvitationService.spokeKey] == accepted.id)
        #expect(spoke.settings["google.refreshToken"] == nil && spoke.settings[InvitationService.pausedKey] != nil)
        #expect(try store.invitation(id: accepted.id)?.state == .revoked && store.invitation(id: accepted.id)?.settings == nil)
    }
}
