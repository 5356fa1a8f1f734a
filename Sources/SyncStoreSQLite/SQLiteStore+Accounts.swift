import Foundation
import GRDB
import SyncStore

extension SQLiteStore: AccountStore {
    public func account(named name: String) throws -> AdminAccount? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT name, password_hash, created_at FROM accounts WHERE name = ?", arguments: [name])
                .map(Self.account)
        }
    }

    public func accountCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts") ?? 0 }
    }

    public func saveAccount(_ account: AdminAccount) throws {
        try write { db in try Self.insert(db, account, orReplace: true) }
    }

    public func createFirstAccount(_ account: AdminAccount) throws -> Bool {
        try write { db in
            // One write transaction at a time (SQLite), so check-then-insert cannot race.
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM accounts") == 0 else { return false }
            try Self.insert(db, account, orReplace: false)
            return true
        }
    }

    private static func insert(_ db: Database, _ a: AdminAccount, orReplace: Bool) throws {
        try db.execute(
            sql: "INSERT \(orReplace ? "OR REPLACE " : "")INTO accounts (name, password_hash, created_at) VALUES (?, ?, ?)",
            arguments: [a.name, a.passwordHash, a.createdAt.timeIntervalSinceReferenceDate])
    }

    private static func account(_ row: Row) -> AdminAccount {
        AdminAccount(
            name: row["name"], passwordHash: row["password_hash"],
            createdAt: Date(timeIntervalSinceReferenceDate: row["created_at"]))
    }
}

extension SQLiteStore {
    /// Every account, by name (`hubsync migrate` copies them; the web UI never lists them).
    public func accounts() throws -> [AdminAccount] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, password_hash, created_at FROM accounts ORDER BY name").map(Self.account)
        }
    }
}
