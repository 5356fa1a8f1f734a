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

            let short = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "short"])
            #expect(short.status == .badRequest && short.object["field"] as? String == "password")
            let made = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse"])
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

    @Test func failedSignInsAreRateLimited() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            let guest = fx.newClient(like: c)
            for _ in 0..<5 {
                #expect(try await guest.call(.post, "/api/session", json: ["user": "admin", "password": "guess"]).status == .unauthorized)
            }
            // Locked now, even with the right password: a guesser cannot tell when it found it.
            let locked = try await guest.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"])
            #expect(locked.status == .tooManyRequests)
            let wait = try #require(locked.headers[.retryAfter].flatMap { Int($0) })
            #expect(wait > 0 && wait <= 15 * 60)
            fx.clock.advance(15 * 60)
            #expect(try await guest.call(.post, "/api/session", json: ["user": "admin", "password": "correct horse"]).status == .ok)
        }
    }

    @Test func throttlePure() {
        var t = LoginThrottle(limit: 2, window: 60)
        let t0 = Date(timeIntervalSinceReferenceDate: 0)
        t.failed(["peer:1", "user:a"], now: t0)
        #expect(t.retryAfter(["peer:1", "user:a"], now: t0) == nil)
        t.failed(["peer:1", "user:a"], now: t0.addingTimeInterval(10))
        #expect(t.retryAfter(["peer:2", "user:a"], now: t0.addingTimeInterval(20)) == 40)  // by user, from another address
        #expect(t.retryAfter(["peer:1", "user:b"], now: t0.addingTimeInterval(20)) == 40)  // by address, another user
        t.succeeded(user: "a")
        #expect(t.retryAfter(["peer:2", "user:a"], now: t0.addingTimeInterval(20)) == nil)
        #expect(t.retryAfter(["peer:1", "user:b"], now: t0.addingTimeInterval(61)) == nil)
    }
}

struct SetupCodeTests {
    @Test func aServerStartedWithASetupCodeAsksForIt() async throws {
        let store = MemoryStore()
        let app = HubApp(
            store: store, provider: TestProvider(), settings: .init(bcryptCost: 4, scheduler: false, setupToken: "abcd-efgh-jkmn"))
        try await Application(router: app.router()).test(.router) { client in
            let c = Client(client)
            let page = try await c.call(.get, "/setup")
            #expect(page.body.contains("Setup code") && !page.body.contains("<div class=\"field\" hidden>"))
            let without = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse"])
            #expect(without.status == .forbidden && without.object["field"] as? String == "setupToken")
            let form = try await c.call(.post, "/setup", form: [
                ("user", "admin"), ("password", "correct horse"), ("password2", "correct horse"),
                ("csrf", c.cookies["hubsync_form"]!), ("setupToken", "wrong")])
            #expect(form.status == .forbidden && form.body.contains("setup code"))
            #expect(try store.accountCount() == 0)
            let with = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "correct horse", "setupToken": " ABCD-efgh-jkmn "])
            #expect(with.status == .created)
        }
        // Without one, the field is not shown.
        let plain = try await Fixture().run { c in try await c.call(.get, "/setup").body }
        #expect(plain.contains("<div class=\"field\" hidden>"))
        #expect(HubApp.newSetupToken().wholeMatch(of: /[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}/) != nil)
    }
}
