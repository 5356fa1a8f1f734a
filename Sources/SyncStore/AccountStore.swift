import Foundation

/// A person who may sign in to the web UI. Only the bcrypt hash of the password is kept.
public struct AdminAccount: Hashable, Sendable {
    public var name: String
    public var passwordHash: String
    public var createdAt: Date
    public init(name: String, passwordHash: String, createdAt: Date) {
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// The web UI's accounts, kept with the hubs (the same database, so a backup holds both).
/// Not keyed by hub: an admin manages every hub of the installation. Invitations live with them.
public protocol AccountStore: InvitationStore {
    func account(named name: String) throws -> AdminAccount?
    func accountCount() throws -> Int
    /// Inserts or replaces (by name).
    func saveAccount(_ account: AdminAccount) throws
    /// Inserts only when there is no account at all: the first-run admin, raced safely.
    /// False when an account exists already.
    func createFirstAccount(_ account: AdminAccount) throws -> Bool
}
