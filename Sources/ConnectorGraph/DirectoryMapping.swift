import Foundation
import SyncModel

/// A directory user (Graph `microsoft.graph.user`) ↔ Contact, pure: who belongs in the company
/// directory, and what of them a colleague's phone shows.
public enum DirectoryMapping {
    /// What `/users/delta` asks for: the fields mapped, and what deciding who is skipped needs.
    static let selected = [
        "id", "displayName", "givenName", "surname", "jobTitle", "department", "companyName", "officeLocation",
        "businessPhones", "mobilePhone", "mail", "userPrincipalName", "accountEnabled", "userType",
    ]

    /// The hub field a directory user's office lands in (the Graph contact's `officeLocation`
    /// under the same custom name, so a mailbox spoke mapping `custom.OfficeLocation` carries it on).
    public static let officeField = "OfficeLocation"

    /// Why a user is left out of the directory. Each is a deletion when a listed user turns into it.
    public enum Skip: String, Sendable, Hashable {
        /// A guest (`userType` Guest): someone of another organisation invited in, not a colleague;
        /// their address is their own organisation's.
        case guest
        /// `accountEnabled` false: someone who left (accounts are disabled before they are
        /// deleted), and shared, room and equipment mailboxes, whose accounts Exchange Online
        /// creates disabled. None of them is a person to call.
        case disabled
        /// No `mail`: no mailbox (service accounts, unlicensed admins), nothing a phone could use.
        case noMail
        /// On the admin's exclusion list (by mail, user principal name or id).
        case excluded
    }

    /// Why `o` is left out, or nil when it belongs in the directory.
    static func skip(_ o: JSONObject, excluding excluded: Set<String>) -> Skip? {
        if o["userType"]?.text?.lowercased() == "guest" { return .guest }
        if case .bool(false)? = o["accountEnabled"] { return .disabled }
        guard let mail = o["mail"]?.text else { return .noMail }
        let keys = [mail, o["userPrincipalName"]?.text, o["id"]?.text].compactMap { $0?.lowercased() }
        if keys.contains(where: excluded.contains) { return .excluded }
        return nil
    }

    /// The user as a contact: names, job title, department, company, office (custom
    /// `OfficeLocation`), the business phones and the mobile, the mail as a work address.
    static func contact(_ o: JSONObject) -> Contact {
        var c = Contact()
        c.givenName = o["givenName"]?.text
        c.familyName = o["surname"]?.text
        c.displayName = o["displayName"]?.text
        c.title = o["jobTitle"]?.text
        c.department = o["department"]?.text
        c.organization = o["companyName"]?.text
        c.emails = o["mail"]?.text.map { [LabeledValue($0, label: .work)] } ?? []
        c.phones = (o["businessPhones"]?.array ?? []).compactMap(\.text).map { LabeledValue($0, label: .work) }
            + (o["mobilePhone"]?.text.map { [LabeledValue($0, label: .mobile)] } ?? [])
        if let office = o["officeLocation"]?.text { c.custom[officeField] = office }
        return c.normalized()
    }

    /// The user's version: a hash of what the hub takes from them. Users have no etag, and delta
    /// sends a user again for changes to fields HubSync does not read; those then cost nothing.
    static func version(_ c: Contact) -> RemoteVersion { RemoteVersion("u" + c.contentHash.description) }
}
