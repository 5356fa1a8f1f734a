import ConnectorKit

/// Exchange's refusals to open a mailbox or folder, in words that say what to change.
enum AccessWords {
    /// The error for a refusal code, nil when `code` is not one.
    static func refusal(_ code: String, _ text: String, source: EWSSource?) -> ConnectorError? {
        let whose = source?.address.map { "the mailbox \($0)" } ?? (source == .publicFolder ? "the public folders" : "the mailbox")
        let words: String
        switch code {
        case "ErrorImpersonateUserDenied":
            words = "the account may not act as \(whose): an administrator must give it the ApplicationImpersonation role, "
                + "or choose delegate access"
        case "ErrorNonExistentMailbox":
            words = "Exchange has no mailbox at \(source?.address ?? "this address"); check the address"
        case "ErrorAccessDenied":
            words = source == .publicFolder
                ? "the account has no permission on this public folder; ask for a folder permission"
                : "the account has no access to \(whose): give it Full Access to the mailbox, or a permission on its contacts folder"
        case "ErrorMailboxMoveInProgress":
            words = "\(whose) is being moved to another database; try again later"
        default:
            return nil
        }
        return ConnectorError(code == "ErrorMailboxMoveInProgress" ? .unavailable : .unauthorized, "\(words) (\(code))")
    }

    /// A write the folder's permissions refused: one item's error, the rest of the sync goes on.
    static func writeRefused(_ m: ResponseMessage) -> String? {
        guard m.code == "ErrorAccessDenied" else { return nil }
        return "Exchange refused the change: the account may only read this folder (ErrorAccessDenied)"
    }
}
