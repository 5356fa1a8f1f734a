import Foundation

extension MemoryStore: InvitationStore {
    public func invitations() throws -> [Invitation] {
        invitationRows.withLock { $0.values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) } }
    }

    public func invitation(id: String) throws -> Invitation? { invitationRows.withLock { $0[id] } }

    public func invitation(tokenHash: String) throws -> Invitation? {
        invitationRows.withLock { $0.values.first { $0.tokenHash == tokenHash } }
    }

    public func insertInvitation(_ invitation: Invitation) throws {
        try invitationRows.withLock { all in
            guard all[invitation.id] == nil, !all.values.contains(where: { $0.tokenHash == invitation.tokenHash }) else {
                throw StoreError(.conflict, "invitation \(invitation.id) exists already")
            }
            all[invitation.id] = invitation
        }
    }

    public func replaceInvitation(_ invitation: Invitation, ifState expected: InvitationStatus) throws -> Bool {
        invitationRows.withLock { all in
            guard let old = all[invitation.id], old.state == expected else { return false }
            all[invitation.id] = invitation
            return true
        }
    }
}
