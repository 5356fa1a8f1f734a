import Foundation
import Hummingbird
import HummingbirdTesting
import HubServer
import SyncStore
import SyncStoreSQLite
import Testing

/// Two `serve` processes behind a load balancer: two HubApps on one SQLite file. Whatever one
/// knows of a browser (its session, its failed sign-ins, its OAuth sign-in under way, the setup
/// code) the other knows too, and so does a restarted one.
struct WebFleetTests {
    /// A fresh database file; removed afterwards.
    static func withFile<T>(_ body: (String) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appending(path: "fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try await body(dir.appending(path: "hub.sqlite").path)
    }

    static func server(_ path: String, clock: TestClock, setupToken: String? = Fixture.setupCode) throws -> HubApp {
        HubApp(
            store: try SQLiteStore(path: path), provider: TestProvider(),
            settings: .init(bcryptCost: 4, scheduler: false, setupToken: setupToken), clock: clock.clock, sleep: { _ in })
    }

    /// Runs `body` with a client of each server.
    static func both(_ a: HubApp, _ b: HubApp, _ body: @Sendable (Client, Client) async throws -> Void) async throws {
        try await Application(router: a.router()).test(.router) { ca in
            try await Application(router: b.router()).test(.router) { cb in try await body(Client(ca), Client(cb)) }
        }
    }

    @Test func aSessionBegunOnOneServerWorksOnTheOtherAndEndsOnBoth() async throws {
        try await Self.withFile { path in
            let clock = TestClock()
            let a = try Self.server(path, clock: clock), b = try Self.server(path, clock: clock)
            try await Self.both(a, b) { onA, onB in
                try await onA.setUp()
                onB.take(onA)
                let me = try await onB.call(.get, "/api/session")
                #expect(me.status == .ok && me.object["user"] as? String == "admin")
                // The CSRF token A handed out is the one B checks.
                #expect(try await onB.call(.post, "/api/hubs", json: ["name": "Team"]).status == .created)
                onB.sendCSRF = false
                #expect(try await onB.call(.post, "/api/hubs", json: ["name": "Other"]).status == .forbidden)
                onB.sendCSRF = true
                // Idle past a minute: a read on B touches the session, so A keeps it past the
                // idle timeout counted from the sign-in.
                clock.advance(11 * 3600)
                #expect(try await onB.call(.get, "/api/session").status == .ok)
                clock.advance(2 * 3600)
                #expect(try await onA.call(.get, "/api/session").status == .ok)
                // Signed out on A: signed out on B.
                #expect(try await onA.call(.delete, "/api/session").status == .noContent)
                #expect(try await onB.call(.get, "/api/session").status == .unauthorized)
            }
        }
    }

    @Test func aRestartSignsNobodyOut() async throws {
        try await Self.withFile { path in
            let clock = TestClock()
            let first = try Self.server(path, clock: clock)
            let cookie: [String: String] = try await Application(router: first.router()).test(.router) { client in
                let c = Client(client)
                try await c.setUp()
                return c.cookies
            }
            let restarted = try Self.server(path, clock: clock)
            try await Application(router: restarted.router()).test(.router) { (client) async throws in
                let c = Client(client)
                c.cookies = cookie
                #expect(try await c.call(.get, "/api/session").object["user"] as? String == "admin")
                // Idle too long: gone, here as anywhere.
                clock.advance(12 * 3600 + 1)
                #expect(try await c.call(.get, "/api/session").status == .unauthorized)
            }
            // Only the session id's hash is in the database.
            let id = try #require(cookie["hubsync_session"])
            #expect(!Self.fileBytes(path).contains(Data(id.utf8)))
        }
    }

    @Test func failedSignInsCountAcrossServers() async throws {
        try await Self.withFile { path in
            let clock = TestClock()
            let a = try Self.server(path, clock: clock), b = try Self.server(path, clock: clock)
            try await Self.both(a, b) { onA, onB in
                try await onA.setUp()
                let wrong = ["user": "admin", "password": "wrong password"]
                // Three failures in a row, two here and one there: the fourth try waits, on either.
                #expect(try await onA.call(.post, "/api/session", json: wrong).status == .unauthorized)
                #expect(try await onB.call(.post, "/api/session", json: wrong).status == .unauthorized)
                #expect(try await onA.call(.post, "/api/session", json: wrong).status == .unauthorized)
                let waiting = try await onB.call(.post, "/api/session", json: wrong)
                #expect(waiting.status == .tooManyRequests && waiting.headers[.retryAfter] == "1")
                clock.advance(1)
                #expect(try await onB.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"]).status == .ok)
            }
        }
    }

    @Test func anOAuthSignInBegunOnOneServerFinishesOnTheOther() async throws {
        try await Self.withFile { path in
            let clock = TestClock()
            let a = try Self.server(path, clock: clock), b = try Self.server(path, clock: clock)
            try await Self.both(a, b) { onA, onB in
                try await onA.setUp()
                onB.take(onA)
                let id = try #require(try await onA.call(.post, "/api/spoke-kinds/google/sign-in").object["id"] as? String)
                // The provider sends the browser back to B.
                let back = try await onB.call(.get, "/oauth/google/callback?state=\(id)&code=good")
                #expect(back.status == .ok && back.body.contains("/#/wizard/signed-in/\(id)"))
                // Once, whichever server the second answer reaches.
                #expect(try await onA.call(.get, "/oauth/google/callback?state=\(id)&code=good").status == .badRequest)
                let done = try await onA.call(.get, "/api/sign-ins/\(id)").object
                #expect(done["status"] as? String == "done" && done["account"] as? String == "pat@example.com")
                let found = try await onB.call(.post, "/api/spoke-kinds/google/discover", json: ["signIn": id])
                #expect(found.status == .ok && found.object["account"] as? String == "pat@example.com")
                // Neither the state nor the verifier the provider was given is in the database.
                let bytes = Self.fileBytes(path)
                #expect(!bytes.contains(Data(id.utf8)) && !bytes.contains(Data("verifier-".utf8)))
                #expect(!bytes.contains(Data("sealed-refresh".utf8)))
            }
        }
    }

    @Test func everyServerShowsTheSameSetupCode() async throws {
        try await Self.withFile { path in
            let clock = TestClock()
            // No code given: each makes its own candidate; the first stored wins for both.
            let a = try Self.server(path, clock: clock, setupToken: nil), b = try Self.server(path, clock: clock, setupToken: nil)
            let code = try #require(a.setupCode)
            #expect(b.setupCode == code)
            #expect(try Self.server(path, clock: clock, setupToken: nil).setupCode == code)
            try await Self.both(a, b) { onA, onB in
                // Typed on B, the code A printed works.
                let made = try await onB.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse", "setupToken": code])
                #expect(made.status == .created)
                #expect(try await onA.call(.get, "/api/setup").object["needed"] as? Bool == false)
            }
            #expect(a.setupCode == nil && b.setupCode == nil)
        }
    }

    /// The database file and its write-ahead log.
    static func fileBytes(_ path: String) -> Data {
        [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }.reduce(Data(), +)
    }
}

extension Client {
    /// The browser's next request goes to this server (a load balancer): its cookies and token go too.
    func take(_ other: Client) {
        cookies = other.cookies
        csrf = other.csrf
    }
}
