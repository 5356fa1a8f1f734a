import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
@testable import HubServer
import SyncModel
import SyncStore
import Testing

/// Both sides over HTTP, with the test provider's sign-in (it signs in pat@example.com): the
/// admin invites, the invitee (no HubSync account) opens the link and signs in, the admin adds
/// the account as a source, the invitee revokes, the source pauses. And every failure's page.
struct InvitationRouteTests {
    /// Everything logged, to check that no link token is.
    final class LogBook: @unchecked Sendable {
        let lines = Mutex<[String]>([])
        struct Handler: LogHandler {
            let book: LogBook
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
                let all = metadata.merging(extra ?? [:]) { $1 }
                book.lines.withLock { $0.append("\(message) \(all)") }
            }
        }
        var logger: Logger { Logger(label: "test") { _ in Handler(book: self) } }
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    let store = MemoryStore()
    let provider = TestProvider()
    let clock = TestClock()
    let log = LogBook()

    func run(_ body: @Sendable (Client, Client) async throws -> Void) async throws {
        var settings = HubApp.Settings(bcryptCost: 4, scheduler: false, setupToken: Fixture.setupCode)
        settings.organisation = "Example Ltd"
        let app = HubApp(store: store, provider: provider, settings: settings, clock: clock.clock, sleep: { _ in }, logger: log.logger)
        try await Application(router: app.router(), logger: log.logger).test(.router) { client in
            let admin = Client(client)
            try await admin.setUp()
            try await body(admin, Client(client))
        }
    }

    /// The admin's new invitation: its id and link's path.
    func invite(_ admin: Client, _ email: String) async throws -> (id: String, path: String) {
        let r = try await admin.call(.post, "/api/invitations", json: ["kind": "google", "email": email])
        try #require(r.status == .created, "\(r.body)")
        let link = try #require(r.object["link"] as? String)
        #expect(link.hasPrefix("http://127.0.0.1:8080/invite/"))
        #expect(r.object["mailed"] as? Bool == false)
        let invitation = try #require(r.object["invitation"] as? [String: Any])
        #expect(invitation["status"] as? String == "pending" && invitation["email"] as? String == email)
        return (invitation["id"] as! String, String(link.dropFirst("http://127.0.0.1:8080".count)))
    }

    /// The invitee's trip through the provider: the state the sign-in link sends it.
    func signIn(_ invitee: Client, _ path: String, code: String = "good") async throws -> Answer {
        let start = try await invitee.call(.get, path + "/sign-in")
        try #require(start.status == .seeOther, "\(start.body)")
        let location = try #require(start.headers[.location])
        #expect(location.hasPrefix("https://accounts.example/auth") && location.contains("/oauth/google/callback"))
        let state = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "state" }?.value)
        #expect(!location.contains(path.dropFirst("/invite/".count)))  // the link's token never leaves
        return try await invitee.call(.get, "/oauth/google/callback?state=\(state)&code=\(code)")
    }

    @Test func bothSidesFromInvitationToRevocation() async throws {
        try await run { admin, invitee in
            let (id, path) = try await invite(admin, "pat@example.com")
            let page = try await invitee.call(.get, path)
            #expect(page.status == .ok)
            #expect(page.body.contains("Example Ltd asks for access to your Google contacts"))
            #expect(page.body.contains("pat@example.com") && page.body.contains("read and change your contacts"))
            #expect(page.headers[.contentSecurityPolicy] != nil)

            let granted = try await signIn(invitee, path)
            #expect(granted.status == .ok && granted.body.contains("Access granted"), "\(granted.body)")
            #expect(granted.body.contains("action=\"\(path)/revoke\""))
            // The link now shows what was granted; signing in again is refused.
            #expect(try await invitee.call(.get, path).body.contains("Access granted"))
            #expect(try await invitee.call(.get, path + "/sign-in").status == .conflict)

            let listed = try await admin.call(.get, "/api/invitations").array
            #expect(listed.first?["status"] as? String == "accepted" && listed.first?["account"] as? String == "pat@example.com")
            #expect(try await invitee.call(.get, "/api/invitations").status == .unauthorized)

            // The admin adds the account as a source: the invitation's sealed settings go with it.
            let hub = try await admin.call(.post, "/api/hubs", json: ["name": "Team"])
            #expect(hub.status == .created)
            let checked = try await admin.call(.post, "/api/spoke-kinds/google/discover", json: ["invitation": id])
            #expect(checked.object["account"] as? String == "pat@example.com", "\(checked.body)")
            let spoke = try await admin.call(.post, "/api/hubs/team/spokes", json: [
                "name": "Pat", "kind": "google", "form": ["invitation": id]])
            #expect(spoke.status == .created, "\(spoke.body)")
            let saved = try #require(try store.spokes(hub: HubID("team")).first)
            #expect(saved.settings["token"] == "sealed-refresh" && saved.settings[InvitationService.spokeKey] == id)
            #expect(((try await admin.call(.get, "/api/invitations").array.first?["sources"]) as? [[String: Any]])?.first?["spoke"] as? String == "pat")

            // The invitee takes the access back from the same link.
            let revoked = try await invitee.call(.post, path + "/revoke")
            #expect(revoked.status == .ok && revoked.body.contains("Access revoked"), "\(revoked.body)")
            #expect(try store.invitation(id: id)?.settings == nil)
            let paused = try #require(try store.spokes(hub: HubID("team")).first)
            #expect(paused.settings[InvitationService.pausedKey]?.contains("revoked the access") == true)
            let shown = try await admin.call(.get, "/api/hubs/team/spokes/pat").object
            #expect(shown["direction"] as? String == "paused")
            #expect(try await admin.call(.get, "/api/invitations").array.first?["status"] as? String == "revoked")
            #expect(try await invitee.call(.get, path).status == .gone)
            // A revoked invitation's account cannot be added again.
            #expect(try await admin.call(.post, "/api/spoke-kinds/google/discover", json: ["invitation": id]).status == .unprocessableContent)

            // No log line holds the link's token.
            let token = String(path.dropFirst("/invite/".count))
            #expect(!log.text.contains(token))
            #expect(log.text.contains("invitation"))
        }
    }

    @Test func everyFailureHasItsPage() async throws {
        try await run { admin, invitee in
            // Another account signs in: nothing stored, the invitation still pending.
            let (id, path) = try await invite(admin, "someone@example.org")
            let wrong = try await signIn(invitee, path)
            #expect(wrong.status == .forbidden && wrong.body.contains("Wrong account"))
            #expect(wrong.body.contains("pat@example.com") && wrong.body.contains("someone@example.org"))
            #expect(try store.invitation(id: id)?.state == .pending && store.invitation(id: id)?.settings == nil)

            // Denied at the provider.
            let start = try await invitee.call(.get, path + "/sign-in")
            let state = URLComponents(string: start.headers[.location]!)!.queryItems!.first { $0.name == "state" }!.value!
            let denied = try await invitee.call(.get, "/oauth/google/callback?state=\(state)&error=access_denied")
            #expect(denied.body.contains("Access not granted") && denied.body.contains("access was not allowed"))

            // An answer after the sign-in was forgotten: still the invitee's page.
            let tooLate = try await invitee.call(.get, "/oauth/google/callback?state=invite-forgotten&code=good")
            #expect(tooLate.status == .badRequest && tooLate.body.contains("This sign-in took too long"))
            #expect(try await invitee.call(.get, "/oauth/google/callback?state=forgotten&code=good").body.contains("\"error\""))

            // Unknown, revoked by the admin, expired.
            let unknown = try await invitee.call(.get, "/invite/" + String(repeating: "A", count: 43))
            #expect(unknown.status == .notFound && unknown.body.contains("This invitation link is not valid"))
            #expect(try await invitee.call(.get, "/invite/short").status == .notFound)
            #expect(try await admin.call(.post, "/api/invitations/\(id)/revoke").object["status"] as? String == "revoked")
            let ended = try await invitee.call(.get, path)
            #expect(ended.status == .gone && ended.body.contains("This invitation was revoked"))
            #expect(try await invitee.call(.get, path + "/sign-in").status == .gone)

            let (_, late) = try await invite(admin, "late@example.com")
            clock.advance(7 * 86400)
            // A week later the admin's session is gone too.
            try #require(try await admin.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"]).status == .ok)
            let expired = try await invitee.call(.get, late)
            #expect(expired.status == .gone && expired.body.contains("This invitation has expired"))
            #expect(try await invitee.call(.get, late + "/sign-in").status == .gone)
            // (Both made at the same instant of the test's clock: in either order.)
            #expect(Set(try await admin.call(.get, "/api/invitations").array.compactMap { $0["status"] as? String }) == ["expired", "revoked"])

            // French, from the catalogs.
            let (_, fr) = try await invite(admin, "marie@example.fr")
            let french = try await invitee.call(.get, fr, headers: [.acceptLanguage: "fr-FR,fr;q=0.9"])
            #expect(french.body.contains("Example Ltd demande l’accès à vos contacts Google"), "\(french.body)")

            // Refusals.
            #expect(try await admin.call(.post, "/api/invitations", json: ["email": "not an address"]).status == .badRequest)
            #expect(try await admin.call(.post, "/api/invitations", json: ["email": "a@b.co", "expiresIn": "never"]).status == .badRequest)
            #expect(try await admin.call(.post, "/api/invitations", json: ["email": "a@b.co", "kind": "microsoft"]).status == .unprocessableContent)
            #expect(try await admin.call(.post, "/api/invitations/nope/revoke").status == .notFound)
        }
    }
}
