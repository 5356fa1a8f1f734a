import Foundation
import PostgresNIO
import SyncStore

// Accounts and invitations are reference tables (not keyed by hub): an admin manages every hub.
extension PostgresStore: AccountStore {
    public func account(named name: String) throws -> AdminAccount? {
        try pool.with { s in
            try s.rows("SELECT name, password_hash, created_at FROM accounts WHERE name = \(name)").first.map(Self.account)
        }
    }

    public func accountCount() throws -> Int {
        try pool.with { s in Int(try s.one("SELECT COUNT(*) FROM accounts", as: Int64.self) ?? 0) }
    }

    public func saveAccount(_ account: AdminAccount) throws {
        try pool.transaction(durable: true) { s in
            try s.execute("""
                INSERT INTO accounts (name, password_hash, created_at)
                VALUES (\(account.name), \(account.passwordHash), \(account.createdAt.storeValue))
                ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, created_at = excluded.created_at
                """)
        }
    }

    public func createFirstAccount(_ account: AdminAccount) throws -> Bool {
        try pool.transaction(durable: true) { s in
            // Two first-run sign-ups at once: the table lock makes the second wait and then see
            // the first's account (a plain check-then-insert would let both in).
            try s.execute("LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE")
            guard try s.one("SELECT COUNT(*) FROM accounts", as: Int64.self) == 0 else { return false }
            try s.execute("""
                INSERT INTO accounts (name, password_hash, created_at)
                VALUES (\(account.name), \(account.passwordHash), \(account.createdAt.storeValue))
                """)
            return true
        }
    }

    private static func account(_ row: PostgresRandomAccessRow) throws -> AdminAccount {
        AdminAccount(name: try row.get(0), passwordHash: try row.get(1), createdAt: Date(storeValue: try row.get(2)))
    }
}

extension PostgresStore: InvitationStore {
    private static let columns = """
        invitation_id, kind, email, token_hash, organisation, created_by, created_at, expires_at, state, accepted_at,
        revoked_at, revoked_by, account, settings
        """

    public func invitations() throws -> [Invitation] {
        try pool.with { s in
            try s.rows("""
                SELECT \(unescaped: Self.columns) FROM invitations ORDER BY created_at DESC, invitation_id COLLATE "C" DESC
                """).map(Self.invitation)
        }
    }

    public func invitation(id: String) throws -> Invitation? {
        try pool.with { s in
            try s.rows("SELECT \(unescaped: Self.columns) FROM invitations WHERE invitation_id = \(id)").first.map(Self.invitation)
        }
    }

    public func invitation(tokenHash: String) throws -> Invitation? {
        try pool.with { s in
            try s.rows("SELECT \(unescaped: Self.columns) FROM invitations WHERE token_hash = \(tokenHash)").first
                .map(Self.invitation)
        }
    }

    public func insertInvitation(_ i: Invitation) throws {
        let settings = try Self.settingsText(i)
        do {
            try pool.transaction(durable: true) { s in
                try s.execute("""
                    INSERT INTO invitations (\(unescaped: Self.columns))
                    VALUES (\(i.id), \(i.kind.rawValue), \(i.email), \(i.tokenHash), \(i.organisation), \(i.createdBy),
                            \(i.createdAt.storeValue), \(i.expiresAt.storeValue), \(i.state.rawValue), \(i.acceptedAt?.storeValue),
                            \(i.revokedAt?.storeValue), \(i.revokedBy?.rawValue), \(i.account), \(settings))
                    """)
            }
        } catch let e as StoreError where e.kind == .conflict {
            throw StoreError(.conflict, "invitation \(i.id) exists already")
        }
    }

    public func replaceInvitation(_ i: Invitation, ifState expected: InvitationStatus) throws -> Bool {
        let settings = try Self.settingsText(i)
        return try pool.transaction(durable: true) { s in
            try s.execute("""
                UPDATE invitations SET kind = \(i.kind.rawValue), email = \(i.email), token_hash = \(i.tokenHash),
                    organisation = \(i.organisation), created_by = \(i.createdBy), created_at = \(i.createdAt.storeValue),
                    expires_at = \(i.expiresAt.storeValue), state = \(i.state.rawValue), accepted_at = \(i.acceptedAt?.storeValue),
                    revoked_at = \(i.revokedAt?.storeValue), revoked_by = \(i.revokedBy?.rawValue), account = \(i.account),
                    settings = \(settings)
                WHERE invitation_id = \(i.id) AND state = \(expected.rawValue)
                """) == 1
        }
    }

    private static func settingsText(_ i: Invitation) throws -> String? {
        try i.settings.map { try JSON.encode($0) }
    }

    private static func invitation(_ row: PostgresRandomAccessRow) throws -> Invitation {
        let id = try row.get(0, String.self)
        let rawKind = try row.get(1, String.self), rawState = try row.get(8, String.self)
        guard let kind = InvitationKind(rawValue: rawKind), let state = InvitationStatus(rawValue: rawState) else {
            throw StoreError(.corrupt, "invitation \(id) has an unknown kind or state")
        }
        return Invitation(
            id: id, kind: kind, email: try row.get(2), tokenHash: try row.get(3), organisation: try row.get(4),
            createdBy: try row.get(5), createdAt: Date(storeValue: try row.get(6)), expiresAt: Date(storeValue: try row.get(7)),
            state: state, acceptedAt: try row.get(9, Double?.self).map { Date(storeValue: $0) },
            revokedAt: try row.get(10, Double?.self).map { Date(storeValue: $0) },
            revokedBy: try row.get(11, String?.self).flatMap(InvitationRevoker.init(rawValue:)), account: try row.get(12),
            settings: try row.get(13, String?.self).map { try JSON.decode([String: String].self, $0, "settings of invitation \(id)") })
    }
}
