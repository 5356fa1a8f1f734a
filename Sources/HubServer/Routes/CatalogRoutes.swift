import Foundation
import Hummingbird
import SyncModel

/// What the wizard offers and checks: objects, spoke kinds, live validation, OAuth sign-in,
/// and the static files and API document.
extension HubApp {
    func addCatalogRoutes(_ router: Router<WebContext>) {
        router.get("/static/:file") { _, context in try self.pages.file(context.parameters.require("file")) }
        router.get("/api/openapi.json") { _, _ in try self.pages.file("openapi.json") }

        router.get("/api/objects") { _, _ in Self.objects }
        router.get("/api/spoke-kinds") { _, _ in self.provider.kinds }
        router.get("/api/fields") { _, _ in StandardFields(text: TextField.allCases.map(\.rawValue)) }

        router.post("/api/spoke-kinds/:kind/discover") { request, context in
            let kind = try self.kind(context)
            let session = try context.requireSession()
            let form = try self.resolved(try await request.json(SpokeForm.self, context: context), session: session)
            return try await Self.setup { try await self.provider.discover(kind, form) }
        }

        router.post("/api/spoke-kinds/:kind/sign-in") { request, context in
            let kind = try self.kind(context)
            let session = try context.requireSession()
            guard self.provider.kinds.first(where: { $0.kind == kind })?.signIn != nil else {
                throw APIError(.badRequest, words: APIWords.noSignInKind, ["kind": kind.rawValue])
            }
            let redirect = try self.callbackURL(kind)
            // The id is the OAuth state: made first, so the URL can carry it.
            var entry = SignIns.Entry(kind: kind, session: SignIns.owner(session), verifier: "", redirectURI: redirect, startedAt: self.clock())
            let id = try self.signIns.begin(entry)
            let (url, verifier) = try Self.setupSync { try self.provider.beginSignIn(kind, redirectURI: redirect, state: id) }
            entry.verifier = verifier
            try self.signIns.update(id, entry)
            return SignInStart(id: id, url: url.absoluteString)
        }
        router.get("/api/sign-ins/:id") { _, context in
            let session = try context.requireSession()
            let id = try context.parameters.require("id")
            guard let e = try self.signIns.entry(id, session: session) else { throw APIError.notFound("sign-in \(id)") }
            return SignInStatus(id: id, status: e.status.rawValue, account: e.account, error: e.error)
        }
        router.get("/oauth/:kind/callback") { request, context in
            let q = request.uri.queryParameters
            let id = q["state"].map(String.init) ?? ""
            guard let entry = try self.signIns.pending(id) else {
                if id.hasPrefix(Self.invitationSignIn) {
                    return try InvitationPages(pages: self.pages, language: PageLanguage.of(request)).lateSignIn()
                }
                throw APIError(.badRequest, words: APIWords.signInUnknown)
            }
            if entry.invitation != nil { return try await self.finishInvitationSignIn(id, entry, request) }
            if let error = q["error"] {
                try self.signIns.fail(id, error == "access_denied" ? "access was not allowed"
                    : "sign-in failed: \(DisplayText.neutralised(String(error.prefix(100)), allowLayout: false))")
            } else if let code = q["code"] {
                do {
                    let r = try await self.provider.finishSignIn(entry.kind, code: String(code), verifier: entry.verifier, redirectURI: entry.redirectURI)
                    try self.signIns.finish(id, settings: r.settings, account: r.account)
                } catch {
                    // In words for the wizard; the details (never a token) for the log.
                    self.logger.warning("sign-in failed", metadata: ["kind": "\(entry.kind.rawValue)", "error": "\(DisplayText.neutralised(String(describing: error)))"])
                    try self.signIns.fail(id, APIError.mapping(error)?.message ?? "the sign-in could not be finished; the server's log says why")
                }
            } else {
                try self.signIns.fail(id, "the answer carried no code")
            }
            // A page of ours, not a redirect: the session cookie is SameSite=Strict, so only a
            // navigation started on this site carries it back into the wizard.
            return try self.pages.page("signed-in.html", language: PageLanguage.of(request), ["next": "/#/wizard/signed-in/\(id)"])
        }
    }

    func kind(_ context: WebContext) throws -> SpokeKind {
        let raw = try context.parameters.require("kind")
        guard let kind = SpokeKind(rawValue: raw), provider.kinds.contains(where: { $0.kind == kind && $0.available })
        else { throw APIError.notFound("source type \(raw)") }
        return kind
    }

    /// The form with a finished sign-in's sealed settings in place of its id.
    func resolved(_ form: SpokeForm, session: Session) throws -> SpokeForm {
        var f = form
        f.signedIn = nil
        if let id = form.signIn {
            guard let e = try signIns.entry(id, session: session), e.status == .done else {
                throw APIError(.unprocessableContent, words: APIWords.signInFirst, field: "signIn")
            }
            f.signedIn = e.settings
        } else if let invitation = form.invitation {
            f.signedIn = try invitationSettings(invitation)
        }
        return f
    }

    /// From configuration only (`callbackBase`), never from the request.
    func callbackURL(_ kind: SpokeKind) throws -> URL {
        guard let url = URL(string: try callbackBase() + "/oauth/\(kind.rawValue)/callback") else {
            throw APIError(.unprocessableContent, words: APIWords.noAddress)
        }
        return url
    }

    /// Runs a provider step: its `SetupError` becomes a 422 naming the field.
    static func setup<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as SetupError {
            throw APIError(setup: e)
        }
    }

    static func setupSync<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SetupError {
            throw APIError(setup: e)
        }
    }
}

extension String {
    func trimmingSuffix(_ s: String) -> String { hasSuffix(s) ? String(dropLast(s.count)) : self }
}
