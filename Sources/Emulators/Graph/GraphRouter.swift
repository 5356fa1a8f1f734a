import Foundation

/// Whose mailbox or profile a `/me/…` or `/users/{id|upn}/…` URL names.
enum GraphPrincipal: Sendable, Equatable {
    case me
    case user(String)
}

/// A call inside one mailbox.
enum MailboxRoute: Sendable, Equatable {
    case contacts(folder: String?)
    case delta(folder: String?)
    case contact(String, folder: String?)
    case photo(String, value: Bool)
    case folders(parent: String?)
    case folder(String)
    case translateIds
}

/// Every Graph URL the emulator serves, parsed from the segments after `/v1.0`.
enum GraphRoute: Sendable, Equatable {
    case batch
    case mailbox(GraphPrincipal, MailboxRoute)
    case users, usersDelta
    case user(GraphPrincipal)
    case userPhoto(GraphPrincipal)
    case groups
    case group(String)
    /// `/members` (direct: users and nested groups) or `/transitiveMembers` (every user below,
    /// nested groups flattened), optionally cast to users (`/microsoft.graph.user`).
    case groupMembers(String, transitive: Bool, usersOnly: Bool)

    /// The three spellings of the delta function (msgraph-sdk sends `delta()`).
    static func isDelta(_ s: String) -> Bool {
        ["delta", "delta()", "microsoft.graph.delta", "microsoft.graph.delta()"].contains(s.lowercased())
    }

    static func parse(_ s: [String]) -> GraphRoute? {
        guard let first = s.first?.lowercased() else { return nil }
        switch first {
        case "$batch" where s.count == 1: return .batch
        case "groups":
            switch s.count {
            case 1: return .groups
            case 2: return .group(s[1])
            case 3, 4:
                let kind = s[2].lowercased()
                guard kind == "members" || kind == "transitivemembers" else { return nil }
                if s.count == 4 && s[3].lowercased() != "microsoft.graph.user" { return nil }
                return .groupMembers(s[1], transitive: kind == "transitivemembers", usersOnly: s.count == 4)
            default: return nil
            }
        case "me": return principal(.me, Array(s.dropFirst()))
        case "users":
            if s.count == 1 { return .users }
            if s.count == 2, isDelta(s[1]) { return .usersDelta }
            return principal(.user(s[1]), Array(s.dropFirst(2)))
        default: return nil
        }
    }

    static func principal(_ p: GraphPrincipal, _ rest: [String]) -> GraphRoute? {
        let lower = rest.map { $0.lowercased() }
        if rest.isEmpty { return .user(p) }
        if lower == ["photo", "$value"] { return .userPhoto(p) }
        return parseMailbox(rest).map { .mailbox(p, $0) }
    }

    static func parseMailbox(_ s: [String]) -> MailboxRoute? {
        let lower = s.map { $0.lowercased() }
        if lower == ["translateexchangeids"] { return .translateIds }
        if lower.first == "contacts" { return contactRoute(Array(s.dropFirst()), folder: nil) }
        guard lower.first == "contactfolders" else { return nil }
        if s.count == 1 { return .folders(parent: nil) }
        var folder = s[1], i = 2
        while i + 1 < s.count, lower[i] == "childfolders" { folder = s[i + 1]; i += 2 }
        let rest = Array(s[i...])
        switch rest.first?.lowercased() {
        case nil: return .folder(folder)
        case "childfolders" where rest.count == 1: return .folders(parent: folder)
        case "contacts": return contactRoute(Array(rest.dropFirst()), folder: folder)
        default: return nil
        }
    }

    /// What follows `…/contacts`.
    static func contactRoute(_ s: [String], folder: String?) -> MailboxRoute? {
        let lower = s.map { $0.lowercased() }
        switch s.count {
        case 0: return .contacts(folder: folder)
        case 1: return isDelta(s[0]) ? .delta(folder: folder) : .contact(s[0], folder: folder)
        case 2 where lower[1] == "photo": return .photo(s[0], value: false)
        case 3 where lower[1] == "photo" && lower[2] == "$value": return .photo(s[0], value: true)
        default: return nil
        }
    }

    /// The operation name used for counting and fault injection, e.g. `contacts.delta`.
    func operation(_ method: String) -> String {
        switch self {
        case .batch: return "batch"
        case .users: return "users.list"
        case .usersDelta: return "users.delta"
        case .user: return "users.get"
        case .userPhoto: return "users.photo"
        case .groups: return "groups.list"
        case .group: return "groups.get"
        case .groupMembers(_, let transitive, _): return transitive ? "groups.transitiveMembers" : "groups.members"
        case .mailbox(_, let m):
            switch (m, method) {
            case (.contacts, "POST"): return "contacts.create"
            case (.contacts, _): return "contacts.list"
            case (.delta, _): return "contacts.delta"
            case (.contact, "PATCH"): return "contacts.update"
            case (.contact, "DELETE"): return "contacts.delete"
            case (.contact, _): return "contacts.get"
            case (.photo, "GET"): return "contacts.photo.get"
            case (.photo, _): return "contacts.photo.put"
            case (.folders, "POST"): return "contactFolders.create"
            case (.folders, _): return "contactFolders.list"
            case (.folder, "DELETE"): return "contactFolders.delete"
            case (.folder, _): return "contactFolders.get"
            case (.translateIds, _): return "translateExchangeIds"
            }
        }
    }
}
