import Foundation
import Hummingbird
import SyncStore

/// The invitee's pages (no HubSync account needed): what the invitation asks, the sign-in, the
/// access granted and its revocation, and one clear page for each way a link can fail.
struct InvitationPages: Sendable {
    let pages: Pages
    let language: (code: String, chosen: Bool)

    /// Why an invitee's page is not the invitation's: each has its own heading and lead.
    enum Problem {
        case unknown, expired, revoked, used
        case wrongAccount(String?)
        case denied(String)

        init?(_ acceptance: InvitationService.Acceptance) {
            switch acceptance {
            case .accepted: return nil
            case .unknown: self = .unknown
            case .expired: self = .expired
            case .revoked: self = .revoked
            case .used: self = .used
            case .wrongAccount(let account): self = .wrongAccount(account)
            }
        }
    }

    func text(_ key: String, _ values: [String: String]) -> String {
        APIWords.fill(pages.languages.text(key, language.code), values)
    }

    func values(_ i: Invitation) -> [String: String] {
        ["organisation": i.organisation, "provider": i.kind.providerName, "email": i.email, "account": i.account ?? i.email]
    }

    /// The invitation itself: who asks for what, and the sign-in button.
    func pending(_ i: Invitation, token: String) throws -> Response {
        var v = values(i)
        v["date"] = Self.date(i.expiresAt, language.code)
        return try pages.page("invite.html", language: language, [
            "heading": text(InvitationWords.asks, v), "lead": text(InvitationWords.pendingLead, v),
            "access": text(InvitationWords.access, v), "expires": text(InvitationWords.expires, v),
            "signIn": "/invite/\(token)/sign-in", "button": text(InvitationWords.signInAs, v),
        ])
    }

    /// Accepted: what was granted, and the way to take it back.
    func granted(_ i: Invitation, token: String) throws -> Response {
        var v = values(i)
        v["date"] = Self.date(i.acceptedAt ?? i.createdAt, language.code)
        return try pages.page("invite-granted.html", language: language, [
            "heading": text(InvitationWords.grantedHeading, v), "lead": text(InvitationWords.grantedLead, v),
            "revokeLead": text(InvitationWords.revokeLead, v), "revoke": "/invite/\(token)/revoke",
        ])
    }

    /// The provider's answer came after the sign-in was forgotten (30 minutes).
    func lateSignIn() throws -> Response {
        try end(heading: InvitationWords.lateHeading, lead: InvitationWords.lateLead, [:], again: nil, status: .badRequest)
    }

    /// Revoked by the invitee just now.
    func revokedNow(_ i: Invitation) throws -> Response {
        try end(heading: InvitationWords.revokedHeading, lead: InvitationWords.revokedLead, values(i), again: nil, status: .ok)
    }

    func problem(_ p: Problem, _ i: Invitation?, token: String) throws -> Response {
        var v = i.map(values) ?? [:]
        v["organisation"] = v["organisation"] ?? "HubSync"
        let again = i.map { _ in "/invite/\(token)" }
        switch p {
        case .unknown: return try end(heading: InvitationWords.unknownHeading, lead: InvitationWords.unknownLead, v, again: nil, status: .notFound)
        case .expired: return try end(heading: InvitationWords.expiredHeading, lead: InvitationWords.expiredLead, v, again: nil, status: .gone)
        case .revoked:
            return try end(heading: InvitationWords.endedHeading, lead: InvitationWords.endedLead, v, again: nil, status: .gone)
        case .used: return try end(heading: InvitationWords.usedHeading, lead: InvitationWords.usedLead, v, again: nil, status: .conflict)
        case .wrongAccount(let account):
            v["account"] = account ?? ""
            return try end(heading: InvitationWords.wrongHeading,
                           lead: account == nil ? InvitationWords.wrongUnknownLead : InvitationWords.wrongLead, v, again: again,
                           status: .forbidden)
        case .denied(let why):
            v["problem"] = why
            return try end(heading: InvitationWords.deniedHeading, lead: InvitationWords.deniedLead, v, again: again, status: .forbidden)
        }
    }

    private func end(heading: String, lead: String, _ v: [String: String], again: String?, status: HTTPResponse.Status) throws -> Response {
        try pages.page("invite-end.html", status: status, language: language, [
            "heading": text(heading, v), "lead": text(lead, v), "again": again ?? "", "againHidden": again == nil ? "hidden" : "",
        ])
    }

    /// "14 December 2026 at 18:30" / "14 décembre 2026 à 18:30", in the server's time zone.
    static func date(_ date: Date, _ language: String, timeZone: TimeZone = .current) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: language == "fr" ? "fr_FR" : "en_GB")
        f.timeZone = timeZone
        f.dateStyle = .long
        f.timeStyle = .short
        return f.string(from: date)
    }
}
