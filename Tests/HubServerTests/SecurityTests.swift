import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import SyncEngine
import SyncModel
import SyncStore
@testable import HubServer

/// The probes of the security review (issue 14), each one an answer that must not come back.
struct SecurityTests {
    static let json: HTTPFields = [.contentType: "application/json"]

    /// A raw request: headers as given, the body as text.
    static func raw(_ c: Client, _ method: HTTPRequest.Method, _ path: String, _ body: String, _ headers: HTTPFields) async throws -> Answer {
        var h = headers
        if !c.cookies.isEmpty { h[.cookie] = c.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let r = try await c.client.execute(uri: path, method: method, headers: h, body: ByteBuffer(string: body))
        return Answer(status: r.status, headers: r.headers, body: String(buffer: r.body))
    }

    static let setup = #"{"user":"eve","password":"0123456789","setupToken":"test-code-2345"}"#

    // 1. A page elsewhere (a text/plain form, a foreign Origin, DNS rebinding) cannot make the admin.
    @Test func setupFromAnotherSiteIsRefused() async throws {
        let fx = Fixture()
        try await fx.run { c in
            let plain = try await Self.raw(c, .post, "/api/setup", Self.setup, [.contentType: "text/plain"])
            #expect(plain.status == .unsupportedMediaType)
            let foreign = try await Self.raw(c, .post, "/api/setup", Self.setup, Self.json.merging([.origin: "http://evil.example"]))
            #expect(foreign.status == .forbidden)
            let crossSite = try await Self.raw(c, .post, "/api/setup", Self.setup, Self.json.merging([HTTPFields.Element.Name("Sec-Fetch-Site")!: "cross-site"]))
            #expect(crossSite.status == .forbidden)
            let rebound = try await Self.raw(c, .post, "/api/setup", Self.setup, Self.json.merging([HTTPFields.Element.Name("Host")!: "evil.example:8080"]))
            #expect(rebound.status == .misdirectedRequest)
            // Even a read: a rebinding page must not talk to the server under its own name.
            #expect(try await Self.raw(c, .get, "/api/setup", "", [HTTPFields.Element.Name("Host")!: "evil.example"]).status == .misdirectedRequest)
            let form = try await Self.raw(c, .post, "/setup", "user=eve&password=0123456789&password2=0123456789&setupToken=test-code-2345",
                                          [.contentType: "application/x-www-form-urlencoded", .origin: "http://evil.example"])
            #expect(form.status == .forbidden)
            #expect(try fx.store.accountCount() == 0)
            // From the server's own page: made.
            let own = try await Self.raw(c, .post, "/api/setup", Self.setup, Self.json.merging([
                .origin: "http://localhost", HTTPFields.Element.Name("Sec-Fetch-Site")!: "same-origin"]))
            #expect(own.status == .created)
        }
    }

    // 2. Login CSRF: another site cannot sign a browser in (to the attacker's account or any).
    @Test func signInFromAnotherSiteIsRefused() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            let guest = fx.newClient(like: c)
            let login = #"{"user":"admin","password":"correct horse"}"#
            let plain = try await Self.raw(guest, .post, "/api/session", login, [.contentType: "text/plain"])
            #expect(plain.status == .unsupportedMediaType && plain.headers[values: .setCookie].isEmpty)
            let foreign = try await Self.raw(guest, .post, "/api/session", login, Self.json.merging([.origin: "https://evil.example"]))
            #expect(foreign.status == .forbidden && foreign.headers[values: .setCookie].isEmpty)
            // Another port on the same machine is another site too.
            let otherPort = try await Self.raw(guest, .post, "/api/session", login, Self.json.merging([.origin: "http://localhost:3000"]))
            #expect(otherPort.status == .forbidden)
            #expect(try await Self.raw(guest, .post, "/api/session", login, Self.json).status == .ok)  // a script: no Origin
        }
    }

    // 3. The OAuth redirect URI comes from configuration, never from the Host header.
    @Test func oauthRedirectComesFromConfigurationOnly() async throws {
        func redirect(_ settings: HubApp.Settings, host: String?) async throws -> String? {
            let app = HubApp(store: MemoryStore(), provider: TestProvider(), settings: settings)
            return try await Application(router: app.router()).test(.router) { client in
                let c = Client(client)
                try await c.setUp()
                let r = try await c.call(.post, "/api/spoke-kinds/google/sign-in", headers: host.map { [HTTPFields.Element.Name("Host")!: $0] } ?? [:])
                let url = (r.object["url"] as? String).flatMap(URLComponents.init(string:))
                return url?.queryItems?.first { $0.name == "redirect_uri" }?.value
            }
        }
        let base = HubApp.Settings(host: "127.0.0.1", port: 8080, bcryptCost: 4, scheduler: false, setupToken: Fixture.setupCode,
                                   allowedHosts: ["hub.lan"])
        #expect(try await redirect(base, host: "hub.lan") == "http://127.0.0.1:8080/oauth/google/callback")
        var proxied = base
        proxied.publicURL = URL(string: "https://hubsync.example.com/")
        #expect(try await redirect(proxied, host: "hub.lan") == "https://hubsync.example.com/oauth/google/callback")
        var everywhere = base
        everywhere.host = "0.0.0.0"
        #expect(try await redirect(everywhere, host: "hub.lan") == nil)  // asks for --public-url instead
    }

    // 6. Every answer carries the security headers, errors included; 9. one error shape.
    @Test func errorsCarryTheHeadersAndOneShape() async throws {
        let fx = Fixture()
        try await fx.run { c in
            var answers = [try await c.call(.get, "/api/hubs")]  // 401
            try await c.setUp()
            answers.append(try await c.call(.get, "/api/hubs/nope"))  // 404
            answers.append(try await c.call(.get, "/no/such/page"))  // router miss
            answers.append(try await c.call(.post, "/api/hubs", json: ["name": ""]))  // 400
            _ = try await c.call(.post, "/api/hubs", json: ["name": "Sales"])
            answers.append(try await c.call(.post, "/api/hubs", json: ["name": "Sales"]))  // 409
            answers.append(try await c.call(.post, "/api/spoke-kinds/carddav/discover", json: ["password": "nope"]))  // 422
            c.sendCSRF = false
            answers.append(try await c.call(.post, "/api/hubs", json: ["name": "X"]))  // 403
            #expect(Set(answers.map(\.status.code)) == [401, 404, 400, 409, 422, 403])
            for a in answers {
                #expect(a.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(a.status)")
                #expect(a.headers[HTTPFields.Element.Name("X-Content-Type-Options")!] == "nosniff", "\(a.status)")
                #expect(a.headers[HTTPFields.Element.Name("X-Frame-Options")!] == "DENY", "\(a.status)")
                #expect(a.object["error"] is String, "\(a.status): \(a.body)")
            }
        }
    }

    // 9. Bad input is answered in words, never with Swift type names; names have clear limits.
    @Test func badInputIsAnsweredInWords() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            let wrongType = try await c.call(.post, "/api/hubs", json: ["name": 5])
            #expect(wrongType.status == .badRequest && wrongType.object["error"] as? String == "name should be text")
            #expect(wrongType.object["field"] as? String == "name")
            let missing = try await c.call(.post, "/api/hubs", json: ["schedule": 5])
            #expect(missing.object["error"] as? String == "name is missing")
            let broken = try await SecurityTests.raw(c, .post, "/api/hubs", "{\"name\": ", Self.json.merging([
                HTTPFields.Element.Name("X-CSRF-Token")!: c.csrf!]))
            #expect(broken.status == .badRequest && broken.object["error"] as? String == "the request is not valid JSON")
            let huge = try await c.call(.post, "/api/hubs", json: ["name": String(repeating: "x", count: 1_000_000)])
            #expect(huge.status == .badRequest && (huge.object["error"] as? String)?.contains("at most 100 characters") == true)
            let tooLarge = try await c.call(.post, "/api/hubs", json: ["name": String(repeating: "x", count: 2_000_000)])
            #expect(tooLarge.status == .contentTooLarge && tooLarge.object["error"] is String)
            _ = try await c.call(.post, "/api/hubs", json: ["name": "Sales"])
            let overflow = try await SecurityTests.raw(c, .patch, "/api/hubs/sales", #"{"scheduleMinutes": 9223372036854775808}"#,
                                                       Self.json.merging([HTTPFields.Element.Name("X-CSRF-Token")!: c.csrf!]))
            #expect(overflow.status == .badRequest && overflow.object["field"] as? String == "scheduleMinutes")
            for a in [wrongType, missing, broken, huge, tooLarge, overflow] {
                let text = a.body
                for leak in ["Swift", "String", "Int", "Decod", "Optional", "Coding", "[object"] {
                    #expect(!text.contains(leak), "\(text)")
                }
            }
        }
    }

    // 7. Control and bidi characters are refused in names the admin types.
    @Test func namesRefuseControlAndDirectionCharacters() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            for name in ["Sales\u{1B}[2J", "Sales\u{0}", "abc\u{202E}fdp.exe", "two\nlines", "bell\u{7}", "csi\u{9B}x"] {
                let r = try await c.call(.post, "/api/hubs", json: ["name": name])
                #expect(r.status == .badRequest && r.object["field"] as? String == "name", "\(name.unicodeScalars.map(\.value))")
            }
            #expect(try fx.store.hubs().isEmpty)
            #expect(try await c.call(.post, "/api/hubs", json: ["name": "Ventes été – 東京"]).status == .created)
            #expect(try await c.call(.post, "/api/hubs", json: ["name": "Plain"]).status == .created)
            #expect(try await c.call(.patch, "/api/hubs/plain", json: ["name": "x\u{2066}y"]).status == .badRequest)
            let spoke = try await c.call(.post, "/api/hubs/plain/spokes", json: [
                "name": "Book\u{202E}", "kind": "carddav", "form": ["password": "secret"]])
            #expect(spoke.status == .badRequest && spoke.object["field"] as? String == "name")
        }
        #expect(DisplayText.neutralised("a\u{1B}[31mb\u{202E}c\td\ne") == "a\u{FFFD}[31mb\u{FFFD}c\td\ne")
        #expect(DisplayText.neutralised("a\tb\nc", allowLayout: false) == "a\u{FFFD}b\u{FFFD}c")
    }

    // Engine and store refusals by kind: 404, 409, 422, 423 (no longer every one a 409).
    @Test func refusalsAnswerByKind() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await c.setUp()
            _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
            #expect(try await c.call(.post, "/api/hubs/h/journal/9999/undo").status == .notFound)
            #expect(try await c.call(.post, "/api/hubs/h/runs/nope/undo").status == .notFound)
        }
        #expect(APIError(engine: .init("held", kind: .busy)).status.code == 423)
        #expect(APIError(engine: .init("bad", kind: .invalid)).status.code == 422)
        #expect(APIError(engine: .init("taken", kind: .conflict)).status.code == 409)
        #expect(APIError.mapping(StoreError(.busy, "locked"))?.status.code == 423)
        #expect(APIError.mapping(StoreError(.notFound, "no hub"))?.status.code == 404)
        #expect(APIError.mapping(StoreError(.io, "disk")) == nil)  // a 500, logged
    }

    @Test func hostsAndOriginsPure() {
        let loopback = RequestPolicy(listen: "127.0.0.1", publicURL: nil, allowed: [])
        #expect(loopback.allowsHost("127.0.0.1:8080") && loopback.allowsHost("localhost") && loopback.allowsHost("[::1]:8080"))
        #expect(!loopback.allowsHost("evil.example") && !loopback.allowsHost("192.168.1.5:8080"))
        let lan = RequestPolicy(listen: "0.0.0.0", publicURL: URL(string: "https://Hub.Example.com"), allowed: ["hub.lan"])
        #expect(lan.allowsHost("192.168.1.5:8080") && lan.allowsHost("hub.lan:8080") && lan.allowsHost("hub.example.com."))
        #expect(!lan.allowsHost("rebind.evil.example:8080"))
        // Behind the proxy the Host may be the proxy's, the Origin the public one.
        #expect(lan.refusal(method: .post, path: "/api/session", host: "127.0.0.1:8080", origin: "https://hub.example.com",
                            fetchSite: "same-origin", contentType: "application/json", signedIn: false) == nil)
        #expect(lan.refusal(method: .post, path: "/api/session", host: "127.0.0.1:8080", origin: "null",
                            fetchSite: nil, contentType: "application/json", signedIn: false)?.status == .forbidden)
        #expect(lan.refusal(method: .post, path: "/api/session", host: "hub.lan", origin: nil, fetchSite: "same-site",
                            contentType: "application/json", signedIn: false)?.status == .forbidden)
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var all = self
        for field in other { all[field.name] = field.value }
        return all
    }
}
