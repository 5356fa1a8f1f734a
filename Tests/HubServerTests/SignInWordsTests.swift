import Foundation
import Hummingbird
import Testing
@testable import HubServer

/// The first-run and sign-in pages' refusals in the page's language: a short password, a user
/// name that failed just before (with its wait), as the server renders them and as the API
/// sends them (template and values).
struct SignInWordsTests {
    static let french: HTTPFields = [.acceptLanguage: "fr-FR,fr;q=0.9"]

    @Test func theSetupAndSignInRefusalsAreFrench() async throws {
        let fx = Fixture(proxied: true)
        try await fx.run { c in
            c.peer = "192.0.2.1"
            _ = try await c.call(.get, "/setup", headers: Self.french)
            let short = try await c.call(.post, "/setup", form: [
                ("user", "admin"), ("password", "court"), ("password2", "court"),
                ("csrf", c.cookies["hubsync_form"] ?? ""), ("setupToken", Fixture.setupCode)], headers: Self.french)
            #expect(short.status == .badRequest)
            #expect(short.body.contains("le mot de passe doit compter au moins 10 caractères"), "\(short.body.prefix(2000))")
            let api = try await c.call(.post, "/api/setup", json: ["user": "admin", "password": "court", "setupToken": Fixture.setupCode])
            #expect(api.object["text"] as? String == APIWords.passwordShort)
            #expect((api.object["values"] as? [String: String])?["n"] == "10")

            try await c.setUp()
            // From an address that never signed in: a few free failures, then a wait.
            let other = fx.newClient(like: c)
            other.peer = "192.0.2.2"
            _ = try await other.call(.get, "/login", headers: Self.french)
            let token = other.cookies["hubsync_form"] ?? ""
            var again = try await other.call(.post, "/login", form: [("user", "admin"), ("password", "nope"), ("csrf", token)], headers: Self.french)
            for _ in 0..<6 where again.status == .unauthorized {
                again = try await other.call(.post, "/login", form: [("user", "admin"), ("password", "nope"), ("csrf", token)], headers: Self.french)
            }
            #expect(again.status == .tooManyRequests && again.headers[.retryAfter] != nil)
            #expect(again.body.contains("ce nom d&#39;utilisateur a eu des connexions échouées ; attendez 1 s et réessayez")
                        || again.body.contains("ce nom d'utilisateur a eu des connexions échouées ; attendez 1 s et réessayez"),
                    "\(again.body.prefix(3000))")
        }
    }
}
