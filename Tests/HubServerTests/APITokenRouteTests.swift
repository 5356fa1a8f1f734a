import Foundation
import Hummingbird
import HummingbirdTesting
@testable import HubServer
import SyncStore
import SyncStoreSQLite
import Testing

/// API tokens over HTTP: made in the admin's session (shown once), sent as a bearer token with
/// no cookie and no CSRF header; a read token only reads, an admin token does what the admin
/// does; revoked or unknown is 401. The secret is in no log line and not in the database file.
struct APITokenRouteTests {
    @Test func scopesRevocationAndSecrecy() async throws {
        try await WebFleetTests.withFile { path in
            let clock = TestClock()
            let log = InvitationRouteTests.LogBook()
            let app = HubApp(
                store: try SQLiteStore(path: path), provider: TestProvider(),
                settings: .init(bcryptCost: 4, scheduler: false, setupToken: Fixture.setupCode), clock: clock.clock, sleep: { _ in },
                logger: log.logger)
            let secrets: [String] = try await Application(router: app.router(), logger: log.logger).test(.router) { client in
                let admin = Client(client)
                try await admin.setUp()
                let made = try await admin.call(.post, "/api/tokens", json: ["name": "monitoring", "scope": "read"])
                #expect(made.status == .created, "\(made.body)")
                let reader = try #require(made.object["secret"] as? String)
                let readID = try #require((made.object["token"] as? [String: Any])?["id"] as? String)
                #expect(reader.hasPrefix("hubsync_") && reader.count == "hubsync_".count + 43)
                clock.advance(1)
                let writer = try #require(
                    try await admin.call(.post, "/api/tokens", json: ["name": "deploy", "scope": "admin"]).object["secret"] as? String)
                #expect(try await admin.call(.post, "/api/tokens", json: ["name": "x", "scope": "root"]).status == .badRequest)
                #expect(try await admin.call(.post, "/api/tokens", json: ["name": " ", "scope": "read"]).status == .badRequest)

                // A script: no cookie, no CSRF header.
                let script = Client(client)
                let bearer = { (s: String) -> HTTPFields in [.authorization: "Bearer \(s)"] }
                #expect(try await script.call(.get, "/api/hubs").status == .unauthorized)
                #expect(try await script.call(.get, "/api/hubs", headers: bearer(reader)).status == .ok)
                let refused = try await script.call(.post, "/api/hubs", json: ["name": "Team"], headers: bearer(reader))
                #expect(refused.status == .forbidden && refused.object["error"] as? String == TokenWords.readOnly)
                #expect(try await script.call(.post, "/api/hubs", json: ["name": "Team"], headers: bearer(writer)).status == .created)
                // A read token cannot make itself an admin one.
                #expect(try await script.call(.post, "/api/tokens", json: ["name": "y", "scope": "admin"], headers: bearer(reader)).status == .forbidden)

                // Listed without secrets, with when each was last used.
                let list = try await admin.call(.get, "/api/tokens")
                #expect(list.array.map { $0["name"] as? String } == ["deploy", "monitoring"])
                #expect(list.array.allSatisfy { $0["lastUsed"] != nil && $0["secret"] == nil })
                #expect(!list.body.contains(reader) && !list.body.contains(writer))

                // Revoked: 401 at once. Unknown: 401.
                #expect(try await admin.call(.delete, "/api/tokens/\(readID)").status == .noContent)
                #expect(try await admin.call(.delete, "/api/tokens/\(readID)").status == .notFound)
                let revoked = try await script.call(.get, "/api/hubs", headers: bearer(reader))
                #expect(revoked.status == .unauthorized && revoked.object["error"] as? String == TokenWords.invalid)
                #expect(try await script.call(.get, "/api/hubs", headers: bearer("hubsync_made-up")).status == .unauthorized)
                // A wrong token is refused even next to a good cookie.
                #expect(try await admin.call(.get, "/api/hubs", headers: bearer("hubsync_made-up")).status == .unauthorized)
                return [reader, writer]
            }
            #expect(!log.text.isEmpty)
            let bytes = WebFleetTests.fileBytes(path)
            for secret in secrets {
                #expect(!log.text.contains(secret))
                #expect(!log.text.contains(String(secret.dropFirst("hubsync_".count))))
                #expect(!bytes.contains(Data(secret.utf8)))
            }
        }
    }

    @Test func lastUsedIsWrittenAtMostOnceAMinute() async throws {
        let store = MemoryStore()
        let clock = TestClock()
        let service = APITokenService(store: store, clock: clock.clock)
        let (token, secret) = try service.create(name: "probe", scope: .read, by: "admin")
        #expect(try service.authenticate(secret)?.id == token.id)
        let first = try #require(try store.apiToken(hash: token.tokenHash)?.lastUsed)
        clock.advance(30)
        _ = try service.authenticate(secret)
        #expect(try store.apiToken(hash: token.tokenHash)?.lastUsed == first)
        clock.advance(30)
        _ = try service.authenticate(secret)
        #expect(try store.apiToken(hash: token.tokenHash)?.lastUsed == clock.now)
        #expect(try service.authenticate("hubsync_" + secret.dropFirst(9)) == nil)
        #expect(try service.authenticate(String(secret.dropFirst("hubsync_".count))) == nil)
    }
}
