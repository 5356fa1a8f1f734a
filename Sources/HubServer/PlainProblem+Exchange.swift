/// Exchange's refusals to open another user's mailbox or a public folder, and a write a folder's
/// permission refused, in words that say what to change (the connector's messages carry the
/// EWS code in parentheses).
extension PlainProblem {
    static let impersonationDenied = "This account may not act as other users: an administrator must give it the "
        + "ApplicationImpersonation role, or choose Full Access or delegate."
    static let noSuchMailbox = "Exchange has no mailbox at this address. Check the address of the mailbox to open."
    static let mailboxDenied = "This account has no access to that mailbox: its owner or an administrator must give it "
        + "Full Access, or a permission on its contacts folder."
    static let publicFolderDenied = "This account has no permission on that public folder. Ask for a folder permission, or choose another folder."
    static let readOnlyFolder = "Exchange refused this change: the account may only read the folder. The other changes went on."
    static let exchangeTexts = [impersonationDenied, noSuchMailbox, mailboxDenied, publicFolderDenied, readOnlyFolder]

    /// `text` lowercased.
    static func exchangeAccess(_ text: String) -> String? {
        if text.contains("(errorimpersonateuserdenied)") { return impersonationDenied }
        if text.contains("(errornonexistentmailbox)") { return noSuchMailbox }
        if text.contains("may only read this folder (erroraccessdenied)") { return readOnlyFolder }
        if text.contains("public folder") && text.contains("(erroraccessdenied)") { return publicFolderDenied }
        if text.contains("(erroraccessdenied)") { return mailboxDenied }
        return nil
    }
}
