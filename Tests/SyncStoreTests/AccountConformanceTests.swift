import Foundation
import Synchronization
import SyncStore
import Testing

struct AccountConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func firstAccountOnlyOnce(kind: StoreKind) throws {
        try kind.with { store in
            let accounts = try #require(store as? any AccountStore)
            #expect(try accounts.accountCount() == 0)
            #expect(try accounts.account(named: "admin") == nil)
            let admin = AdminAccount(name: "admin", passwordHash: "$2b$04$x", createdAt: at(1))
            #expect(try accounts.createFirstAccount(admin))
            #expect(try !accounts.createFirstAccount(AdminAccount(name: "mallory", passwordHash: "h", createdAt: at(2))))
            #expect(try accounts.account(named: "admin") == admin)
            #expect(try accounts.account(named: "mallory") == nil)
            #expect(try accounts.accountCount() == 1)

            var changed = admin
            changed.passwordHash = "$2b$04$y"
            try accounts.saveAccount(changed)
            try accounts.saveAccount(AdminAccount(name: "second", passwordHash: "h2", createdAt: at(3)))
            #expect(try accounts.account(named: "admin")?.passwordHash == "$2b$04$y")
            #expect(try accounts.accountCount() == 2)
        }
    }

    /// Eight first-run sign-ups at once (several connections with PostgreSQL): exactly one wins.
    @Test(arguments: StoreKind.allCases)
    func firstAccountRacedOnce(kind: StoreKind) throws {
        try kind.with { store in
            let accounts = try #require(store as? any AccountStore)
            // Connections opened first, so the sign-ups meet in the database, not at the connect.
            DispatchQueue.concurrentPerform(iterations: 8) { _ in _ = try? accounts.accountCount() }
            let won = Mutex(0)
            DispatchQueue.concurrentPerform(iterations: 8) { n in
                let account = AdminAccount(name: "admin\(n)", passwordHash: "h", createdAt: at(Double(n)))
                if (try? accounts.createFirstAccount(account)) == true { won.withLock { $0 += 1 } }
            }
            #expect(won.withLock { $0 } == 1)
            #expect(try accounts.accountCount() == 1)
        }
    }
}
