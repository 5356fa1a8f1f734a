/// A folder permission level, as Exchange's roles reduce for contacts: Reviewer reads, Editor
/// also creates, changes and deletes items.
public enum EWSPermission: String, Sendable, Hashable {
    case none, reviewer, editor
}

/// Who besides the owner may open a mailbox (or, for the public folder store, anyone's rights).
struct MailboxAccess: Sendable {
    /// Accounts with Full Access to the whole mailbox (lowercased addresses).
    var fullAccess: Set<String> = []
    /// Folder id → account (lowercased address, or "default" for everyone else) → level.
    var folderPermissions: [String: [String: EWSPermission]] = [:]
    /// This account holds the ApplicationImpersonation role: it may act as any mailbox.
    var canImpersonate = false
}

/// The rights of the account a request acts for, in the mailbox it targets.
enum CallerRights: Sendable {
    /// The mailbox's own user, an impersonator acting as them, or Full Access.
    case owner
    /// Folder by folder, as granted to this (lowercased) address.
    case delegate(String)
}

enum Need { case read, write }

extension MailboxState {
    /// Whether the current request may read or write in a folder.
    func may(_ need: Need, folder id: String) -> Bool {
        guard case .delegate(let who) = rights else { return true }
        let grants = access.folderPermissions[id] ?? [:]
        // The public hierarchy's own roots are visible to every user; their content is not.
        if isPublicStore, need == .read, folders[id]?.distinguished != nil { return true }
        switch grants[who] ?? grants["default"] ?? EWSPermission.none {
        case .none: return false
        case .reviewer: return need == .read
        case .editor: return true
        }
    }

    /// The folder of an item, checked for `need`: ErrorAccessDenied when not allowed.
    func check(_ need: Need, _ item: StoredItem) -> Result<StoredItem, EWSError> {
        may(need, folder: item.folderID) ? .success(item) : .failure(.accessDenied)
    }

    /// An empty store for the public folder tree: only its root.
    static func publicStore(email: String) -> MailboxState {
        var box = MailboxState(email: email, user: "", password: "", domain: "", displayName: "Public Folders")
        box.folders = [:]
        box.folderOrder = []
        box.isPublicStore = true
        box.addFolder(parent: nil, name: "IPM_SUBTREE", folderClass: nil, distinguished: "publicfoldersroot")
        return box
    }
}

/// Delegate grants, impersonation and the public folder tree, as a test sets them up.
extension EWSEmulator {
    /// The address under which the public folder store is inspected with `contacts(in:)`,
    /// `createContact(_:in:folder:)` and the other helpers. Nobody can sign in as it.
    public static let publicFolders = "public.folders@emulator.invalid"

    /// Gives `delegate` Full Access to `mailbox` (a shared mailbox's usual grant).
    public func grantFullAccess(to delegate: String, on mailbox: String) throws {
        try onMailbox(mailbox) { $0.access.fullAccess.insert(delegate.lowercased()) }
    }

    /// Sets one folder permission (folder: id or distinguished name; user: an address, or nil
    /// for Default, everyone without an entry of their own).
    public func setFolderPermission(_ level: EWSPermission, for user: String?, folder: String, in mailbox: String) throws {
        try onMailbox(mailbox) { box in
            let id = try Self.folderID(folder, box)
            box.access.folderPermissions[id, default: [:]][user?.lowercased() ?? "default"] = level
        }
    }

    /// Gives an account the ApplicationImpersonation role (over every mailbox).
    public func grantImpersonation(to account: String) throws {
        try onMailbox(account) { $0.access.canImpersonate = true }
    }

    /// Adds a public folder (below the root unless `parent`, a folder id, is given); a contacts
    /// folder unless `contacts` is false. `everyone` is its Default permission.
    @discardableResult
    public func addPublicFolder(named name: String, parent: String? = nil, contacts: Bool = true,
                                everyone: EWSPermission = .editor) throws -> EWSFolderRecord {
        if !store.contains(Self.publicFolders) { store.add(.publicStore(email: Self.publicFolders)) }
        return try onMailbox(Self.publicFolders) { box in
            let id = box.addFolder(parent: try Self.folderID(parent ?? "publicfoldersroot", box), name: name,
                                   folderClass: contacts ? "IPF.Contact" : "IPF.Note")
            box.access.folderPermissions[id] = ["default": everyone]
            return Self.folderRecord(box.folders[id]!, box)
        }
    }
}
