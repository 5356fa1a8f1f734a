import Foundation
import Hummingbird

/// Signing in and out: the HTML forms (which work without JavaScript) and the JSON API.
extension HubApp {
    struct LoginForm: Decodable {
        var user: String?
        var password: String?
        var password2: String?
        var csrf: String?
        var setupToken: String?
    }

    func addAuthRoutes(_ router: Router<WebContext>) {
        router.get("/") { request, context in
            guard let session = context.session else {
                return Pages.redirect(self.accounts.needsSetup ? "/setup" : "/login")
            }
            return try self.pages.page("index.html", language: PageLanguage.of(request), ["csrf": session.csrf, "user": session.user])
        }
        router.get("/login") { request, context in
            if self.accounts.needsSetup { return Pages.redirect("/setup") }
            return try self.formPage("login.html", request)
        }
        router.post("/login") { request, context in
            let form = try await self.form(request, context)
            do {
                let user = try self.accounts.verify(user: form.user ?? "", password: form.password ?? "", peer: context.peer)
                return try self.signedIn(user, Pages.redirect("/"))
            } catch let e as APIError {
                // The user name stays in the form: only the password is typed again.
                var page = try self.formPage(
                    "login.html", request, status: e.status, error: e.text ?? e.message, errorValues: e.values ?? [:],
                    values: ["user": String((form.user ?? "").prefix(64))])
                if let wait = e.retryAfter { page.headers[.retryAfter] = "\(wait)" }
                return page
            }
        }
        router.get("/setup") { request, context in
            guard self.accounts.needsSetup else { return Pages.redirect("/login") }
            // The one-time setup URL `serve` prints carries the code.
            let code = request.uri.queryParameters["code"].map { String($0.prefix(64)) } ?? ""
            return try self.formPage("setup.html", request, values: ["setupToken": code])
        }
        router.post("/setup") { request, context in
            let form = try await self.form(request, context)
            guard form.password == form.password2 else {
                return try self.formPage(
                    "setup.html", request, status: .badRequest, error: "The two passwords differ.", values: ["setupToken": form.setupToken ?? ""])
            }
            do {
                let user = try self.accounts.createFirst(
                    user: form.user ?? "", password: form.password ?? "", token: form.setupToken)
                return try self.signedIn(user, Pages.redirect("/"))
            } catch let e as APIError {
                return try self.formPage(
                    "setup.html", request, status: e.status, error: e.text ?? e.message, errorValues: e.values ?? [:],
                    values: ["setupToken": form.setupToken ?? ""])
            }
        }
        router.post("/logout") { request, context in
            let form = try await self.form(request, context)
            if let session = context.session {
                guard Token.equal(form.csrf ?? "", session.csrf) else { throw APIError(.forbidden, words: APIWords.reloadAndRetry) }
                try self.sessions.remove(session.id)
            }
            var r = Pages.redirect("/login")
            r.setCookie(Cookies.make(Cookies.session, "", secure: self.settings.secureCookies, maxAge: 0))
            return r
        }

        router.get("/api/setup") { _, _ in SetupNeeded(needed: self.accounts.needsSetup) }
        router.post("/api/setup") { request, context in
            let c = try await request.json(Credentials.self, context: context)
            let user = try self.accounts.createFirst(user: c.user, password: c.password, token: c.setupToken)
            return try self.signedIn(user, status: .created)
        }
        router.get("/api/session") { _, context in
            let s = try context.requireSession()
            return SessionInfo(user: s.user, csrf: s.csrf)
        }
        router.post("/api/session") { request, context in
            let c = try await request.json(Credentials.self, context: context)
            return try self.signedIn(try self.accounts.verify(user: c.user, password: c.password, peer: context.peer), status: .ok)
        }
        router.delete("/api/session") { _, context in
            if let s = context.session, s.apiScope == nil { try self.sessions.remove(s.id) }
            var r = Response(status: .noContent)
            r.setCookie(Cookies.make(Cookies.session, "", secure: self.settings.secureCookies, maxAge: 0))
            return r
        }
    }

    /// A new session: its cookie on `response`.
    private func signedIn(_ user: String, _ response: Response) throws -> Response {
        var r = response
        let s = try sessions.create(user: user)
        r.setCookie(Cookies.make(Cookies.session, s.id, secure: settings.secureCookies))
        return r
    }

    /// A new session, answered as JSON (the API's sign-in).
    private func signedIn(_ user: String, status: HTTPResponse.Status) throws -> Response {
        let s = try sessions.create(user: user)
        let body = (try? JSONEncoder().encode(SessionInfo(user: s.user, csrf: s.csrf))) ?? Data()
        var r = Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        r.setCookie(Cookies.make(Cookies.session, s.id, secure: settings.secureCookies))
        return r
    }

    /// The login or first-run form with a fresh form token (cookie and hidden field).
    private func formPage(
        _ name: String, _ request: Request, status: HTTPResponse.Status = .ok, error: String = "",
        errorValues: [String: String] = [:], values: [String: String] = [:]
    ) throws -> Response {
        let token = request.cookies[Cookies.formToken]?.value ?? Token.random()
        let language = PageLanguage.of(request)
        // The errors people read on these pages go through the same catalogs.
        // (An APIWords template with its values, or a text of PageLanguage.formErrors.)
        let shown = error.isEmpty ? "" : APIWords.fill(pages.languages.text(error, language.code), errorValues)
        var page = try pages.page(name, status: status, language: language, values.merging(["csrf": token, "error": shown, "setupToken": ""]) { a, _ in a })
        page.setCookie(Cookies.make(Cookies.formToken, token, secure: settings.secureCookies))
        return page
    }

    /// A posted form; its token must match the form cookie (or the session's, for sign-out).
    private func form(_ request: Request, _ context: WebContext) async throws -> LoginForm {
        let body = try await request.body.collect(upTo: 64 * 1024)
        let form = try URLEncodedFormDecoder().decode(LoginForm.self, from: String(buffer: body))
        let expected = context.session?.csrf ?? request.cookies[Cookies.formToken]?.value
        let formToken = request.cookies[Cookies.formToken]?.value
        guard let given = form.csrf, [expected, formToken].contains(where: { $0.map { Token.equal($0, given) } ?? false })
        else { throw APIError(.forbidden, words: APIWords.formExpired) }
        return form
    }
}
