/// The invitations' words for people: API refusals (translated by the page, like `APIWords`),
/// the invitee's pages and the invitation mail (translated by the server from the catalogs).
/// English text with `{name}` values; the catalogs key them by this text.
enum InvitationWords {
    // Refusals of the admin's API.
    static let badEmail = "enter one email address, like ann@example.com"
    static let lifetime = "an invitation lasts 5 minutes to 90 days (7d, 12h, 30m)"
    static let noInvitation = "no invitation {id}"
    static let notAccepted = "this invitation has not been accepted (it is {status}): its account cannot be added yet"
    static let noProvider = "this server cannot sign in with {provider}: start it with its client id (see hubsync serve --help)"

    // The invitee's pages.
    static let asks = "{organisation} asks for access to your {provider} contacts"
    static let pendingLead = "{organisation} uses HubSync to keep its address books in sync. It invites {email} to connect the contacts of that {provider} account."
    static let access = "HubSync will be able to read and change your contacts, and nothing else (not your mail, files or calendar)."
    static let signInAs = "Sign in with {provider} as {email}"
    static let expires = "This link works once and expires on {date}."
    static let grantedHeading = "Access granted"
    static let grantedLead = "You let {organisation} keep the {provider} contacts of {account} in sync, on {date}."
    static let revokeLead = "You can take this access back at any time: HubSync then deletes what lets it in and stops reading or changing your contacts."
    static let revokeButton = "Revoke access"
    static let revokedHeading = "Access revoked"
    static let revokedLead = "HubSync no longer has access to your contacts: what let it in is deleted. {organisation} was told."
    static let endedHeading = "This invitation was revoked"
    static let endedLead = "Ask {organisation} for a new invitation if you still want to connect your contacts."
    static let expiredHeading = "This invitation has expired"
    static let expiredLead = "Invitation links last a few days. Ask {organisation} for a new one."
    static let unknownHeading = "This invitation link is not valid"
    static let unknownLead = "Check that you opened the whole link from the message, or ask for a new invitation."
    static let usedHeading = "This invitation was used already"
    static let usedLead = "An invitation link works once. Ask {organisation} for a new one if you need to sign in again."
    static let wrongHeading = "Wrong account"
    static let wrongLead = "You signed in as {account}, but this invitation is for {email}. Nothing was stored. Sign in again with {email}."
    static let wrongUnknownLead = "{provider} did not say which account signed in, so it cannot be checked against {email}. Nothing was stored."
    static let tryAgain = "Try again"
    static let lateHeading = "This sign-in took too long"
    static let lateLead = "Nothing was stored. Open the invitation link from your message again to sign in."
    static let deniedHeading = "Access not granted"
    static let deniedLead = "The sign-in ended without access ({problem}). Nothing was stored. You can try again with the same link."

    // The mail.
    static let mailSubject = "{organisation} asks for access to your {provider} contacts"
    static let mailBody = """
        Hello,

        {organisation} uses HubSync to keep its address books in sync, and asks you to let it read and change \
        the contacts of your {provider} account {email} (nothing else: not your mail, files or calendar).

        To agree, open this link and sign in with {email}:

        {link}

        The link works once and expires on {date}. You can take the access back later from the same link.
        If you did not expect this message, ignore it: nothing happens without your sign-in.
        """

    static let texts: [String] = [
        badEmail, lifetime, noInvitation, notAccepted, noProvider, asks, pendingLead, access, signInAs, expires,
        grantedHeading, grantedLead, revokeLead, revokeButton, revokedHeading, revokedLead, endedHeading, endedLead,
        expiredHeading, expiredLead, unknownHeading, unknownLead, usedHeading, usedLead, wrongHeading, wrongLead,
        wrongUnknownLead, tryAgain, lateHeading, lateLead, deniedHeading, deniedLead, mailSubject, mailBody,
    ]
}
