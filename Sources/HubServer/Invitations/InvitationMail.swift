import Foundation
import Mail
import SyncModel
import SyncStore

/// The invitation mail, in the admin's language (the server's catalogs).
public enum InvitationMail {
    static let languages = PageLanguage(root: Bundle.module.resourceURL!.appendingPathComponent("Web"))

    public static func message(
        _ invitation: Invitation, link: String, from: String, language: String = "en", timeZone: TimeZone = .current
    ) -> MailMessage {
        let values = [
            "organisation": invitation.organisation, "provider": invitation.kind.providerName, "email": invitation.email,
            "link": link, "date": InvitationPages.date(invitation.expiresAt, language, timeZone: timeZone),
        ]
        return MailMessage(
            from: from, to: invitation.email,
            subject: APIWords.fill(languages.text(InvitationWords.mailSubject, language), values),
            body: APIWords.fill(languages.text(InvitationWords.mailBody, language), values))
    }
}

extension InvitationKind {
    /// The provider the invitee signs in with, as people name it (the same in every language).
    public var providerName: String {
        switch self {
        case .google: "Google"
        case .microsoft: "Microsoft"
        }
    }

    /// The spoke kind whose sign-in this invitation uses.
    public var spokeKind: SpokeKind {
        switch self {
        case .google: .google
        case .microsoft: .graph
        }
    }
}
