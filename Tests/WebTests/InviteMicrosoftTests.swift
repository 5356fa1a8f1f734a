import Emulators
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HubCLI
import HubServer
import Secrets
import SyncModel
import SyncStore
import SyncStoreSQLite
import Testing

/// The same invitations for Microsoft 365 (Sign in with Microsoft against the Graph emulator,
/// which approves at once): the link's sign-in stores the invited member's sealed tokens, and
/// they reach the mailbox as a Graph source would. No browser: the redirects are followed by
/// URLSession.
@Suite(.serialized) struct InviteMicrosoftTests {
    @Test func aMicrosoftInvitationConnectsTheInvitedMailbox() async throws {
        let graph = GraphEmulator()
        graph.addApp(clientID: "invite-m365", secret: "invite-m365-secret")
        let (members, _) = try graph.seedDemoTenant(contactsPerUser: 2)
        _ = try await graph.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-invite-m365-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: directory.appendingPathComponent("hub.sqlite").path)
        let secrets = try SecretBox.load(keyFile: directory.appendingPathComponent("hubsync.key"), environment: [:])
        let provider = try ConnectorProvider(
            store: store, secrets: secrets, m365ClientID: "invite-m365", m365ClientSecret: "invite-m365-secret",
            m365Authority: graph.authorityURL, m365Graph: graph.graphURL)
        let app = HubApp(store: store, provider: provider, settings: HubApp.Settings(host: "127.0.0.1", port: 0, bcryptCost: 4, scheduler: false))
        let port = try await app.start()
        defer {
            Task {
                await app.stop()
                await graph.stop()
                try? FileManager.default.removeItem(at: directory)
            }
        }
        let member = try #require(members.dropFirst().first)
        let (invitation, token) = try InvitationService(store: store).create(
            kind: .microsoft, email: member.upn, organisation: "Example Ltd", by: "admin")
        let link = InvitationService.link(base: "http://127.0.0.1:\(port)", token: token)

        let session = URLSession(configuration: .ephemeral)
        let (pageData, _) = try await session.data(from: URL(string: link)!)
        #expect(String(decoding: pageData, as: UTF8.self).contains("Example Ltd asks for access to your Microsoft contacts"))
        // The sign-in: to the emulator (login_hint: the invited member), approved, back to the callback.
        let (data, response) = try await session.data(from: URL(string: link + "/sign-in")!)
        let page = String(decoding: data, as: UTF8.self)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(page.contains("Access granted"), "\(page.prefix(2000))")

        let accepted = try #require(try store.invitation(id: invitation.id))
        #expect(accepted.state == .accepted && accepted.account?.lowercased() == member.upn.lowercased())
        let sealed = try #require(accepted.settings?["m365.refreshToken"])
        #expect(sealed.hasPrefix("enc:v1:"))
        // The sealed settings reach the member's mailbox, as the wizard's Microsoft 365 source uses them.
        let found = try await provider.discover(.graph, SpokeForm(signedIn: accepted.settings))
        #expect(found.account?.lowercased() == member.upn.lowercased() && !found.folders.isEmpty)
    }
}
