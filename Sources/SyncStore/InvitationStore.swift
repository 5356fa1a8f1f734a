import Foundation

/// Whose sign-in an invitation asks for: the provider the invited person signs in with.
public enum InvitationKind: String, Codable, Sendable, CaseIterable {
    case google, microsoft
}

/// Where an invitation stands. `expired` is never stored: a pending invitation past its
/// expiry reads as expired (`Invitation.status(at:)`).
public enum InvitationStatus: String, Codable, Sendable, CaseIterable {
    case pending, accepted, expired, revoked
}

/// Who ended an invitation.
public enum InvitationRevoker: String, Codable, Sendable {
    case admin, invitee
}

/// A link an admin sent a person so they sign in with their own account and let HubSync at its
/// contacts. The link's token is kept only as its SHA-256; the account it brings is kept sealed
/// (the `SecretBox` of the composition root), like every spoke secret.
public struct Invitation: Hashable, Sendable {
    /// Short and random; names the invitation in the admin's list and commands (not the link).
    public var id: String
    public var kind: InvitationKind
    /// The address invited, as the admin typed it (trimmed); compared without case.
    public var email: String
    /// Hex SHA-256 of the link's token.
    public var tokenHash: String
    /// The organisation the invitee's page and mail name.
    public var organisation: String
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    /// pending, accepted or revoked (never `expired`: see `status(at:)`).
    public var state: InvitationStatus
    public var acceptedAt: Date?
    public var revokedAt: Date?
    public var revokedBy: InvitationRevoker?
    /// The account the invitee signed in with.
    public var account: String?
    /// The sealed settings the sign-in produced (refresh token included); nil once revoked.
    public var settings: [String: String]?

    public init(
        id: String, kind: InvitationKind, email: String, tokenHash: String, organisation: String, createdBy: String,
        createdAt: Date, expiresAt: Date, state: InvitationStatus = .pending, acceptedAt: Date? = nil,
        revokedAt: Date? = nil, revokedBy: InvitationRevoker? = nil, account: String? = nil, settings: [String: String]? = nil
    ) {
        self.id = id
        self.kind = kind
        self.email = email
        self.tokenHash = tokenHash
        self.organisation = organisation
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.state = state
        self.acceptedAt = acceptedAt
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
        self.account = account
        self.settings = settings
    }

    /// The status at `now`: a pending invitation past its expiry is expired.
    public func status(at now: Date) -> InvitationStatus {
        switch state {
        case .pending: now >= expiresAt ? .expired : .pending
        case .accepted, .expired, .revoked: state
        }
    }
}

/// Invitations, kept with the web accounts (not keyed by hub: an accepted invitation's account
/// may become a spoke of any hub).
public protocol InvitationStore: Sendable {
    /// Newest first.
    func invitations() throws -> [Invitation]
    func invitation(id: String) throws -> Invitation?
    func invitation(tokenHash: String) throws -> Invitation?
    /// Inserts a new invitation; fails when the id or token hash exists.
    func insertInvitation(_ invitation: Invitation) throws
    /// Replaces the stored invitation only while its stored state is still `expected` (so two
    /// acceptances of one link cannot both win); false when it is not (or is gone).
    func replaceInvitation(_ invitation: Invitation, ifState expected: InvitationStatus) throws -> Bool
}
