import Foundation
import SyncModel

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

extension MemoryStore: HubLeaseStore {
    public func acquireLease(hub: HubID, worker: WorkerID, now: Date, until: Date) throws -> Bool {
        try leaseRows.withLock { all in
            guard try self.hub(hub) != nil else { throw StoreError(.notFound, "no hub \(hub)") }
            var row = all[hub] ?? HubLease(hub: hub)
            if row.isHeld(at: now), row.owner != worker { return false }
            row.owner = worker
            row.until = until
            all[hub] = row
            return true
        }
    }

    public func renewLease(hub: HubID, worker: WorkerID, until: Date) throws -> Bool {
        leaseRows.withLock { all in
            guard all[hub]?.owner == worker else { return false }
            all[hub]?.until = until
            return true
        }
    }

    public func releaseLease(hub: HubID, worker: WorkerID, served: Date?) throws {
        leaseRows.withLock { all in
            guard var row = all[hub], row.owner == worker else { return }
            row.owner = nil
            row.until = nil
            if let served, let asked = row.requestedAt, asked <= served { row.requestedAt = nil }
            all[hub] = row
        }
    }

    public func requestSync(hub: HubID, at: Date) throws {
        try leaseRows.withLock { all in
            guard try self.hub(hub) != nil else { throw StoreError(.notFound, "no hub \(hub)") }
            var row = all[hub] ?? HubLease(hub: hub)
            row.requestedAt = row.requestedAt ?? at
            all[hub] = row
        }
    }

    public func leases() throws -> [HubLease] { leaseRows.withLock { $0.values.sorted { $0.hub < $1.hub } } }
    public func lease(hub: HubID) throws -> HubLease? { leaseRows.withLock { $0[hub] } }
}
