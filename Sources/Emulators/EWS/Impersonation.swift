import Foundation

/// Which mailbox a request acts on, and with whose rights, as Exchange decides it: the
/// `ExchangeImpersonation` header changes who the caller is (ApplicationImpersonation role
/// needed); a `Mailbox` in a DistinguishedFolderId, `publicfoldersroot`, or the mailbox GUID an
/// id carries changes where the request goes; delegate rights are then checked folder by folder.
extension EWSEmulator {
    struct Route {
        var target: String
        var rights: CallerRights
    }

    func route(_ op: XNode, header: XNode?, caller: String) throws -> Route {
        var identity = caller.lowercased()
        if let sid = header?.child("ExchangeImpersonation")?.child("ConnectingSID") {
            guard let who = sid.childText("PrimarySmtpAddress") ?? sid.childText("SmtpAddress")
                ?? sid.childText("PrincipalName"), !who.isEmpty
            else { throw SOAPFault(code: "ErrorInvalidRequest", message: "ConnectingSID names nobody.") }
            guard store.with(caller, { $0.access.canImpersonate }) == true else {
                throw SOAPFault(code: "ErrorImpersonateUserDenied",
                                message: "The account does not have permission to impersonate the requested user.")
            }
            guard store.with(who, { !$0.isPublicStore }) == true else {
                throw SOAPFault(code: "ErrorNonExistentMailbox", message: EWSError.nonExistentMailbox.text)
            }
            identity = who.lowercased()
        }
        let target = try Self.target(of: op, store: store) ?? identity
        if target.lowercased() == identity { return Route(target: identity, rights: .owner) }
        if target == Self.publicFolders, !store.contains(target) { store.add(.publicStore(email: target)) }
        let full = store.with(target) { $0.access.fullAccess.contains(identity) } ?? false
        return Route(target: target, rights: full ? .owner : .delegate(identity))
    }

    /// The mailbox the first folder, item or attachment reference of a request names; nil: the
    /// caller's own.
    static func target(of op: XNode, store: EWSStore) throws -> String? {
        var stack = [op]
        var seen = 0
        while let node = stack.popLast(), seen < 10_000 {
            seen += 1
            switch node.name {
            case "DistinguishedFolderId":
                if node.attr("Id")?.lowercased() == "publicfoldersroot" { return publicFolders }
                if let address = node.path("Mailbox", "EmailAddress")?.text, !address.isEmpty {
                    guard store.with(address, { !$0.isPublicStore }) == true else {
                        throw SOAPFault(code: "ErrorNonExistentMailbox", message: EWSError.nonExistentMailbox.text)
                    }
                    return address.lowercased()
                }
                return nil
            case "FolderId", "ItemId", "ParentItemId", "AttachmentId":
                // Ids carry their mailbox's GUID (EWSIds); an unknown one is left to the operation.
                guard let id = node.attr("Id"), let data = Data(base64Encoded: id), data.count >= 20 else { return nil }
                return store.email(ofGuid: [UInt8](data[4..<20]))?.lowercased()
            default:
                stack += node.children.reversed()
            }
        }
        return nil
    }
}
