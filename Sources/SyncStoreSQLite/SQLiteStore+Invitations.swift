import Foundation
import GRDB
import SyncStore

extension SQLiteStore: InvitationStore {
    private static let columns = """
        invitation_id, kind, email, token_hash, organisation, created_by, created_at, expires_at, state, accepted_at,
        revoked_at, revoked_by, account, settings
        """

    public func invitations() throws -> [Invitation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM invitations ORDER BY created_at DESC, invitation_id DESC")
                .map(Self.invitation)
        }
    }

    public func invitation(id: String) throws -> Invitation? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM invitations WHERE invitation_id = ?", arguments: [id])
                .map(Self.invitation)
        }
    }

    public func invitation(tokenHash: String) throws -> Invitation? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM invitations WHERE token_hash = ?", arguments: [tokenHash])
                .map(Self.invitation)
        }
    }

    public func insertInvitation(_ invitation: Invitation) throws {
        do {
            try write { db in
                try db.execute(
                    sql: "INSERT INTO invitations (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: StatementArguments(try Self.arguments(invitation)))
            }
        } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw StoreError(.conflict, "invitation \(invitation.id) exists already")
        }
    }

    public func replaceInvitation(_ invitation: Invitation, ifState expected: InvitationStatus) throws -> Bool {
        try write { db in
            let values = try Self.arguments(invitation)
            try db.execute(
                sql: """
                    UPDATE invitations SET kind = ?, email = ?, token_hash = ?, organisation = ?, created_by = ?, created_at = ?,
                        expires_at = ?, state = ?, accepted_at = ?, revoked_at = ?, revoked_by = ?, account = ?, settings = ?
                    WHERE invitation_id = ? AND state = ?
                    """,
                arguments: StatementArguments(Array(values.dropFirst()) + [invitation.id, expected.rawValue]))
            return db.changesCount == 1
        }
    }

    private static func arguments(_ i: Invitation) throws -> [(any DatabaseValueConvertible)?] {
        let settings = try i.settings.map { String(decoding: try JSONEncoder.sorted.encode($0), as: UTF8.self) }
        return [
            i.id, i.kind.rawValue, i.email, i.tokenHash, i.organisation, i.createdBy, i.createdAt.timeIntervalSinceReferenceDate,
            i.expiresAt.timeIntervalSinceReferenceDate, i.state.rawValue, i.acceptedAt?.timeIntervalSinceReferenceDate,
            i.revokedAt?.timeIntervalSinceReferenceDate, i.revokedBy?.rawValue, i.account, settings,
        ]
    }

    private static func invitation(_ row: Row) throws -> Invitation {
        func date(_ column: String) -> Date? {
            (row[column] as Double?).map { Date(timeIntervalSinceReferenceDate: $0) }
        }
        let rawKind: String = row["kind"], rawState: String = row["state"]
        guard let kind = InvitationKind(rawValue: rawKind), let state = InvitationStatus(rawValue: rawState) else {
            throw StoreError(.corrupt, "invitation \(row["invitation_id"] as String? ?? "?") has an unknown kind or state")
        }
        let settings = try (row["settings"] as String?).map { try JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        return Invitation(
            id: row["invitation_id"], kind: kind, email: row["email"], tokenHash: row["token_hash"],
            organisation: row["organisation"], createdBy: row["created_by"], createdAt: date("created_at")!,
            expiresAt: date("expires_at")!, state: state, acceptedAt: date("accepted_at"), revokedAt: date("revoked_at"),
            revokedBy: (row["revoked_by"] as String?).flatMap(InvitationRevoker.init(rawValue:)), account: row["account"],
            settings: settings)
    }
}

extension JSONEncoder {
    fileprivate static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }
}
