import Foundation
import Hummingbird
import Testing
import HummingbirdTesting
import SyncStore
@testable import HubServer

struct AuthTests {
    @Test func firstRunMakesTheAdminOnceThenSignsIn() async throws {
        let fx = Fixture()
        try await fx.run { c in
            #expect(try await c.call(.get, "/").headers[.location] == "/setup")
            #expect(try await c.call(.get, "/api/setup").object["needed"] as? Bool == true)
            #expect(try await c.call(.get, "/api/hubs").status == .unauthorized)

            let short = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "short", "setupToken": Fixture.setupCode])
            #expect(short.status == .badRequest && short.object["field"] as? String == "password")
            let made = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse", "setupToken": Fixture.setupCode])
            #expect(made.status == .created && made.object["user"] as? String == "admin")
            let cookie = try #require(made.setCookies.first { $0.hasPrefix("hubsync_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(try fx.store.account(named: "admin")?.passwordHash.hasPrefix("$2") == true)  // bcrypt, not the password

            let again = try await fx.newClient(like: c).call(.post, "/api/setup", json: ["user": "eve", "password": "0123456789"])
            #expect(again.status == .conflict)
            #expect(try await c.call(.get, "/api/setup").object["needed"] as? Bool == false)
            let session = try await c.call(.get, "/api/session")
            #expect(session.object["user"] as? String == "admin" && session.object["csrf"] as? String == c.csrf)

            let page = try await c.call(.get, "/")
            #expect(page.status == .ok && page.body.contains(c.csrf!))
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)

            #expect(try await c.call(.delete, "/api/session").status == .noContent)
            #expect(try await c.call(.get, "/api/hubs").status == .unauthorized)
            #expect(try await c.call(.get, "/").headers[.location] == "/login")
        }
    }

    @Test func stateChangingCallsNeedTheCSRFToken() async throws {
        try await Fixture().run { c in
            try await c.setUp()
            c.sendCSRF = false
            let none = try await c.call(.post, "/api/hubs", json: ["name": "Sales"])
            #expect(none.status == .forbidden)
            let wrong = try await c.call(.post, "/api/hubs", json: ["name": "Sales"], headers: [HTTPFields.Element.Name("X-CSRF-Token")!: "guess"])
            #expect(wrong.status == .forbidden)
            #expect(try await c.call(.get, "/api/hubs").status == .ok)  // reads need none
            c.sendCSRF = true
            #expect(try await c.call(.post, "/api/hubs", json: ["name": "Sales"]).status == .created)
        }
    }

    @Test func theLoginFormWorksWithoutScriptAndChecksItsToken() async throws {
        try await Fixture().run { c in
            try await c.setUp()
            _ = try await c.call(.delete, "/api/session")
            c.csrf = nil
            let page = try await c.call(.get, "/login")
            let token = try #require(c.cookies["hubsync_form"])
            #expect(page.status == .ok && page.body.contains("value=\"\(token)\""))

            let forged = try await c.call(.post, "/login", form: [("user", "admin"), ("password", "correct horse"), ("csrf", "forged")])
            #expect(forged.status == .forbidden && c.cookies["hubsync_session"] == nil)
            let wrong = try await c.call(.post, "/login", form: [("user", "admin"), ("password", "nope"), ("csrf", token)])
            #expect(wrong.status == .unauthorized && wrong.body.contains("wrong user name or password"))
            let ok = try await c.call(.post, "/login", form: [("user", "admin"), ("password", "correct horse"), ("csrf", token)])
            #expect(ok.status == .seeOther && ok.headers[.location] == "/" && c.cookies["hubsync_session"] != nil)
            let csrf = try #require(try await c.call(.get, "/api/session").object["csrf"] as? String)
            let out = try await c.call(.post, "/logout", form: [("csrf", csrf)])
            #expect(out.headers[.location] == "/login" && c.cookies["hubsync_session"] == nil)
        }
    }

    @Test func aStrangerSlowsGuessingButCannotLockTheAdminOut() async throws {
        let fx = Fixture(proxied: true)
        try await fx.run { c in
            try await c.setUp()
            // The admin signs in from their usual address once: it is trusted from then on.
            let admin = fx.newClient(like: c)
            admin.peer = "192.0.2.10"
            #expect(try await admin.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"]).status == .ok)

            // A stranger guesses: past three failures each try waits longer, never more than a minute,
            // and ten failures within 15 minutes lock the stranger's own address.
            let guest = fx.newClient(like: c)
            guest.peer = "198.51.100.66"
            var refused = 0
            for _ in 0..<40 {
                let r = try await guest.call(.post, "/api/session", json: ["user": "admin", "password": "guess"])
                if r.status == .tooManyRequests {
                    refused += 1
                    let wait = try #require(r.headers[.retryAfter].flatMap { Int($0) })
                    #expect(wait > 0 && wait <= 15 * 60)
                    #expect(r.headers[.contentSecurityPolicy] != nil, "error answers carry the security headers")
                } else {
                    #expect(r.status == .unauthorized)
                }
                fx.clock.advance(5)
            }
            #expect(refused > 25)
            // Locked, even with the right password: a guesser cannot tell when it found it.
            let locked = try await guest.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"])
            #expect(locked.status == .tooManyRequests && (locked.object["error"] as? String)?.contains("this address") == true)

            // The admin, from the usual address: straight in.
            #expect(try await admin.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"]).status == .ok)
            // From a new address: at most a short wait, never a lockout.
            let traveller = fx.newClient(like: c)
            traveller.peer = "203.0.113.7"
            let first = try await traveller.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"])
            if first.status == .tooManyRequests {
                let wait = try #require(first.headers[.retryAfter].flatMap { Int($0) })
                #expect(wait <= 60)
                fx.clock.advance(TimeInterval(wait))
                #expect(try await traveller.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"]).status == .ok)
            } else {
                #expect(first.status == .ok)
            }
            // The stranger's lock ends with its window.
            fx.clock.advance(15 * 60)
            #expect(try await guest.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"]).status == .ok)
        }
    }

    @Test func throttleRules() throws {
        let t = LoginThrottle(store: MemoryStore(), freeFailures: 2, maxDelay: 8, peerLimit: 4, window: 600)
        let t0 = Date(timeIntervalSinceReferenceDate: 0)
        func at(_ s: TimeInterval) -> Date { t0.addingTimeInterval(s) }
        try t.failed(user: "a", peer: "p1", now: at(0))
        #expect(try t.retryAfter(user: "a", peer: "p2", now: at(0)) == nil)
        try t.failed(user: "a", peer: "p1", now: at(0))
        // Growing delays per user name, for every address: 1, 2, 4, then at most 8 seconds.
        #expect(try t.retryAfter(user: "a", peer: "p2", now: at(0)) == .user(1))
        #expect(try t.retryAfter(user: "a", peer: "p2", now: at(1)) == nil)
        try t.failed(user: "a", peer: "p2", now: at(1))
        #expect(try t.retryAfter(user: "a", peer: "p3", now: at(1)) == .user(2))
        #expect(t.delay(afterFailures: 3) == 2 && t.delay(afterFailures: 4) == 4 && t.delay(afterFailures: 40) == 8)
        // Another user name is not slowed.
        #expect(try t.retryAfter(user: "b", peer: "p3", now: at(1)) == nil)
        // A hard lock only for the address that failed `peerLimit` times.
        try t.failed(user: "b", peer: "p1", now: at(2))
        try t.failed(user: "c", peer: "p1", now: at(3))
        #expect(try t.retryAfter(user: "z", peer: "p1", now: at(3)) == .peer(597))
        #expect(try t.retryAfter(user: "z", peer: "p2", now: at(3)) == nil)
        // An address that signed in before is not slowed by others' failures.
        try t.succeeded(user: "d", peer: "p9", now: at(4))
        try t.failed(user: "a", peer: "p2", now: at(5))
        #expect(try t.retryAfter(user: "a", peer: "p9", now: at(5)) == nil)
        #expect(try t.retryAfter(user: "a", peer: "p8", now: at(5)) == .user(4))
        // A success forgets the user name's failures; the window forgets the address's.
        try t.succeeded(user: "a", peer: "p9", now: at(6))
        #expect(try t.retryAfter(user: "a", peer: "p8", now: at(6)) == nil)
        #expect(try t.retryAfter(user: "z", peer: "p1", now: at(600)) == nil)
    }
}

struct SetupCodeTests {
    @Test func setupAsksForTheOneTimeCodeOnLoopbackToo() async throws {
        let store = MemoryStore()
        let app = HubApp(
            store: store, provider: TestProvider(), settings: .init(bcryptCost: 4, scheduler: false, setupToken: "abcd-efgh-jkmn"))
        try await Application(router: app.router()).test(.router) { client in
            let c = Client(client)
            let page = try await c.call(.get, "/setup")
            #expect(page.body.contains("Setup code") && page.body.contains(#"name="setupToken" value="""#))
            // The one-time setup URL fills it in (escaped).
            #expect(try await c.call(.get, "/setup?code=abcd%22x").body.contains(#"value="abcd&quot;x""#))
            let without = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse"])
            #expect(without.status == .forbidden && without.object["field"] as? String == "setupToken")
            let form = try await c.call(.post, "/setup", form: [
                ("user", "admin"), ("password", "correct horse"), ("password2", "correct horse"),
                ("csrf", c.cookies["hubsync_form"]!), ("setupToken", "wrong")])
            #expect(form.status == .forbidden && form.body.contains("setup code"))
            #expect(try store.accountCount() == 0)
            #expect(app.setupCode == "abcd-efgh-jkmn")
            let with = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse", "setupToken": " ABCD-efgh-jkmn "])
            #expect(with.status == .created)
            #expect(app.setupCode == nil)
        }
        // Started on loopback with no code given, the app makes one: nobody sets up without it.
        let plain = HubApp(store: MemoryStore(), provider: TestProvider(), settings: .init(host: "127.0.0.1", bcryptCost: 4, scheduler: false))
        let code = try #require(plain.setupCode)
        #expect(code.wholeMatch(of: /[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/) != nil)
        try await Application(router: plain.router()).test(.router) { client in
            let c = Client(client)
            let without = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse"])
            #expect(without.status == .forbidden)
            let with = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse", "setupToken": code])
            #expect(with.status == .created)
        }
        // The composition root's own admin (the demo's) needs none.
        let demo = HubApp(store: MemoryStore(), provider: TestProvider(), settings: .init(bcryptCost: 4, scheduler: false))
        try demo.createAdmin(user: "admin", password: "correct horse")
        #expect(demo.setupCode == nil)
    }
}
