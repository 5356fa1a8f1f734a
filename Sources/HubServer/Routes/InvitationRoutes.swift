import Foundation
import Hummingbird
import Mail
import SyncModel
import SyncStore

struct InvitationDTO: ResponseCodable {
    var id: String
    var kind: String
    var provider: String
    var email: String
    var status: String
    var organisation: String
    var createdBy: String
    var createdAt: Date
    var expiresAt: Date
    var acceptedAt: Date?
    var revokedAt: Date?
    var revokedBy: String?
    /// The account the invitee signed in with (once accepted).
    var account: String?
    /// The sources using the account: `hub/spoke` ids with their names.
    var sources: [InvitedSourceDTO]
}

struct InvitedSourceDTO: ResponseCodable { var hub: String; var spoke: String; var name: String; var paused: Bool }

struct NewInvitation: Decodable { var kind: String?; var email: String; var expiresIn: String? }

struct CreatedInvitation: ResponseCodable {
    var invitation: InvitationDTO
    /// The link to give the invitee: shown once, never stored.
    var link: String
    var mailed: Bool
    /// Why the mail was not sent, when outgoing mail is set up but failed.
    var mailError: String?
}

/// "Invite a user": the admin's API (signed in, like the rest of /api) and the invitee's pages
/// under /invite/<token>, open to anyone holding the link. The token is the only key to those
/// pages, so it goes in no log: the middleware's error log leaves /invite/ paths out.
extension HubApp {
    var invitations: InvitationService { InvitationService(store: store, clock: clock) }

    func addInvitationRoutes(_ router: Router<WebContext>) {
        router.get("/api/invitations") { _, _ in try self.invitations.list().map(self.invitationDTO) }
        router.post("/api/invitations") { request, context in
            let session = try context.requireSession()
            let new = try await request.json(NewInvitation.self, context: context)
            let created = try await self.createInvitation(new, by: session.user, language: PageLanguage.of(request).code)
            return EditedResponse(status: .created, response: created)
        }
        router.post("/api/invitations/:id/revoke") { _, context in
            let id = try context.pathParameter("id")
            guard let revoked = try self.invitations.revoke(id: id, by: .admin) else {
                throw APIError(.notFound, words: InvitationWords.noInvitation, ["id": id])
            }
            try await self.pauseSources(of: revoked)
            return try self.invitationDTO(revoked)
        }

        router.get("/invite/:token") { request, context in
            let token = try context.parameters.require("token")
            let pages = InvitationPages(pages: self.pages, language: PageLanguage.of(request))
            let found = try self.invitations.invitation(token: token)
            if let found, self.invitations.status(found) == .accepted { return try pages.granted(found, token: token) }
            if let refusal = self.invitations.refusal(found), let problem = InvitationPages.Problem(refusal) {
                return try pages.problem(problem, found, token: token)
            }
            return try pages.pending(found!, token: token)
        }
        router.get("/invite/:token/sign-in") { request, context in
            let token = try context.parameters.require("token")
            let pages = InvitationPages(pages: self.pages, language: PageLanguage.of(request))
            let found = try self.invitations.invitation(token: token)
            if let refusal = self.invitations.refusal(found), let problem = InvitationPages.Problem(refusal) {
                return try pages.problem(problem, found, token: token)
            }
            let invitation = found!
            let kind = invitation.kind.spokeKind
            let redirect = try self.callbackURL(kind)
            var entry = SignIns.Entry(
                kind: kind, session: "invitation " + Token.random(), verifier: "", redirectURI: redirect, startedAt: self.clock())
            entry.invitation = invitation.id
            entry.invitationToken = token
            let id = try self.signIns.begin(entry, prefix: Self.invitationSignIn)
            let url: URL
            do {
                (url, entry.verifier) = try self.provider.beginSignIn(kind, redirectURI: redirect, state: id)
            } catch {
                // A page, not JSON: the invitee reads it.
                try self.signIns.forget(id)
                let why = pages.text(InvitationWords.noProvider, ["provider": invitation.kind.providerName])
                return try pages.problem(.denied(why), invitation, token: token)
            }
            try self.signIns.update(id, entry)
            return Pages.redirect(Self.hinting(url, invitation.email).absoluteString)
        }
        router.post("/invite/:token/revoke") { request, context in
            let token = try context.parameters.require("token")
            let pages = InvitationPages(pages: self.pages, language: PageLanguage.of(request))
            guard let found = try self.invitations.invitation(token: token) else { return try pages.problem(.unknown, nil, token: token) }
            guard self.invitations.status(found) == .accepted, let revoked = try self.invitations.revoke(id: found.id, by: .invitee)
            else {
                let refusal = self.invitations.refusal(found) ?? .revoked
                return try pages.problem(InvitationPages.Problem(refusal) ?? .revoked, found, token: token)
            }
            self.logger.notice("an invitee revoked access", metadata: ["invitation": "\(revoked.id)"])
            // Revoked is revoked: a source not paused now (its hub busy in another process) does
            // not run anyway, as the composition root checks the invitation of a source.
            do { try await self.pauseSources(of: revoked) } catch {
                self.logger.warning("a source of a revoked invitation is not paused yet", metadata: [
                    "invitation": "\(revoked.id)", "error": "\(DisplayText.neutralised(String(describing: error)))"])
            }
            return try pages.revokedNow(revoked)
        }
    }

    /// The start of an invitee's sign-in id (the OAuth state): an answer that comes too late
    /// still gets the invitee's page.
    static let invitationSignIn = "invite-"

    /// The provider's answer to an invitee's sign-in (`/oauth/<kind>/callback`): the account is
    /// kept only when it is the invited one.
    func finishInvitationSignIn(_ id: String, _ entry: SignIns.Entry, _ request: Request) async throws -> Response {
        let pages = InvitationPages(pages: self.pages, language: PageLanguage.of(request))
        // Once answered, the sign-in is over whatever it brought.
        try signIns.forget(id)
        let token = entry.invitationToken ?? ""
        let invitation = try entry.invitation.flatMap { try invitations.invitation(id: $0) }
        let q = request.uri.queryParameters
        if let error = q["error"] {
            let why = error == "access_denied" ? "access was not allowed" : DisplayText.neutralised(String(error.prefix(100)), allowLayout: false)
            return try pages.problem(.denied(why), invitation, token: token)
        }
        guard let code = q["code"], let invitation else { return try pages.problem(.unknown, invitation, token: token) }
        let result: (settings: [String: String], account: String?)
        do {
            result = try await provider.finishSignIn(entry.kind, code: String(code), verifier: entry.verifier, redirectURI: entry.redirectURI)
        } catch {
            logger.warning("an invitee's sign-in failed", metadata: [
                "invitation": "\(invitation.id)", "error": "\(DisplayText.neutralised(String(describing: error)))"])
            return try pages.problem(.denied(APIError.mapping(error)?.message ?? "the sign-in could not be finished"), invitation, token: token)
        }
        let outcome = try invitations.accept(id: invitation.id, account: result.account, settings: result.settings)
        if case .accepted(let accepted) = outcome {
            logger.notice("an invitation was accepted", metadata: ["invitation": "\(accepted.id)"])
            return try pages.granted(accepted, token: token)
        }
        return try pages.problem(InvitationPages.Problem(outcome) ?? .unknown, invitation, token: token)
    }

    func createInvitation(_ new: NewInvitation, by admin: String, language: String) async throws -> CreatedInvitation {
        guard let kind = InvitationKind(rawValue: new.kind ?? "google") else {
            throw APIError(.badRequest, words: APIWords.kindUnavailable, ["kind": new.kind ?? ""], field: "kind")
        }
        guard provider.kinds.contains(where: { $0.kind == kind.spokeKind && $0.signIn != nil && $0.available }) else {
            throw APIError(.unprocessableContent, words: InvitationWords.noProvider, ["provider": kind.providerName], field: "kind")
        }
        let lifetime = try new.expiresIn.map { text in
            guard let t = InvitationService.lifetime(text) else { throw APIError(.badRequest, words: InvitationWords.lifetime, field: "expiresIn") }
            return t
        } ?? InvitationService.defaultLifetime
        let base = try callbackBase()
        let (invitation, token) = try Self.invitationWords {
            try invitations.create(kind: kind, email: new.email, organisation: organisation, by: admin, lifetime: lifetime)
        }
        let link = InvitationService.link(base: base, token: token)
        var mailed = false, mailError: String?
        if let mail = settings.mail {
            let message = InvitationMail.message(invitation, link: link, from: mailFrom, language: language)
            do {
                try await mail.send(message)
                mailed = true
            } catch {
                mailError = String(describing: error)
                logger.warning("the invitation mail was not sent", metadata: ["invitation": "\(invitation.id)", "error": "\(mailError!)"])
            }
        }
        logger.notice("invitation created", metadata: ["invitation": "\(invitation.id)", "kind": "\(kind.rawValue)"])
        return CreatedInvitation(invitation: try invitationDTO(invitation), link: link, mailed: mailed, mailError: mailError)
    }

    /// The organisation invitees read: the setting, else this server's name.
    var organisation: String {
        if let o = settings.organisation?.trimmingCharacters(in: .whitespaces), !o.isEmpty { return o }
        return settings.publicURL?.host ?? ProcessInfo.processInfo.hostName
    }

    var mailFrom: String {
        settings.mailFrom ?? "HubSync <hubsync@\(settings.publicURL?.host ?? "localhost")>"
    }

    /// Every source using a revoked invitation's account: paused, its tokens gone.
    func pauseSources(of invitation: Invitation) async throws {
        for hub in try store.hubs() {
            for spoke in try store.spokes(hub: hub.id) {
                guard let paused = InvitationService.paused(spoke, by: invitation) else { continue }
                try await runner.exclusive(hub.id) { try Self.engine { try self.runner.engine.saveSpoke(paused) } }
                logger.notice("source paused: its invitation was revoked", metadata: ["hub": "\(hub.id)", "spoke": "\(spoke.id)"])
            }
        }
    }

    /// An accepted invitation's sealed settings, for a new source (marked with the invitation, so
    /// a later revocation finds the source).
    func invitationSettings(_ id: String) throws -> [String: String] {
        guard let i = try invitations.invitation(id: id) else {
            throw APIError(.notFound, words: InvitationWords.noInvitation, ["id": id], field: "invitation")
        }
        let status = invitations.status(i)
        guard status == .accepted, var s = i.settings else {
            throw APIError(.unprocessableContent, words: InvitationWords.notAccepted, ["status": status.rawValue], field: "invitation")
        }
        s[InvitationService.spokeKey] = i.id
        return s
    }

    func invitationDTO(_ i: Invitation) throws -> InvitationDTO {
        var sources: [InvitedSourceDTO] = []
        for hub in try store.hubs() {
            for s in try store.spokes(hub: hub.id) where s.settings[InvitationService.spokeKey] == i.id {
                sources.append(InvitedSourceDTO(
                    hub: hub.id.rawValue, spoke: s.id.rawValue, name: s.name, paused: s.settings[InvitationService.pausedKey] != nil))
            }
        }
        return InvitationDTO(
            id: i.id, kind: i.kind.rawValue, provider: i.kind.providerName, email: i.email, status: invitations.status(i).rawValue,
            organisation: i.organisation, createdBy: i.createdBy, createdAt: i.createdAt, expiresAt: i.expiresAt,
            acceptedAt: i.acceptedAt, revokedAt: i.revokedAt, revokedBy: i.revokedBy?.rawValue, account: i.account, sources: sources)
    }

    /// The provider's sign-in page suggests the invited account (OAuth's `login_hint`, which
    /// Google and Microsoft both read); the check after the sign-in is what counts.
    static func hinting(_ url: URL, _ email: String) -> URL {
        guard var c = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        c.queryItems = (c.queryItems ?? []).filter { $0.name != "login_hint" } + [URLQueryItem(name: "login_hint", value: email)]
        return c.url ?? url
    }

    /// The service's refusals (an address, a lifetime) as translatable API errors.
    static func invitationWords<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SetupError {
            throw APIError(.badRequest, words: e.message, field: e.field)
        }
    }
}
