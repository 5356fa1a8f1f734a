import Foundation
import GRDB
import SyncModel
import SyncStore
@testable import SyncStoreSQLite
import Testing

/// The entries that settled a conflict: found among many (`JournalQuery.conflicts`, paging
/// backwards) and counted exactly, in every store; SQLite answers both from a partial index.
struct ConflictConformanceTests {
    func entry(_ n: Int, conflicts: [ContactField] = [], new: Contact? = person("p")) -> JournalEntry {
        JournalEntry(hub: hubA, run: "r", item: ItemID("i\(n % 7)"), source: .spoke(spoke1), at: at(Double(n)),
                     kind: conflicts.isEmpty ? .updated : .conflict, old: person("o"), new: new, conflicts: conflicts)
    }

    @Test(arguments: StoreKind.allCases)
    func conflictsAreFoundAndCountedAmongManyEntries(kind: StoreKind) throws {
        try kind.with { s in
            try makeHub(s)
            try makeHub(s, hubB)
            #expect(try s.conflictCount(hub: hubA) == 0)
            // 3,000 entries, every 250th a conflict (12), one more with conflicts but no item after it.
            try s.commit(hub: hubA, batch {
                $0.journal = (1...3_000).map { n in n % 250 == 0 ? entry(n, conflicts: [.text(.organization)]) : entry(n) }
                $0.journal.append(entry(3_001, conflicts: [.emails], new: nil))
            })
            try s.commit(hub: hubB, batch { $0.journal = [entry(1, conflicts: [.emails])] })
            #expect(try s.conflictCount(hub: hubA) == 12)
            #expect(try s.conflictCount(hub: hubB) == 1)
            let newest = try s.journal(hub: hubA, JournalQuery(limit: 5, conflicts: true))
            #expect(newest.map(\.seq) == [3_000, 2_750, 2_500, 2_250, 2_000])
            #expect(newest.allSatisfy { $0.conflicts == [.text(.organization)] && $0.new != nil })
            var seqs: [Int64] = [], before: Int64? = nil
            while true {
                let page = try s.journal(hub: hubA, JournalQuery(before: before, limit: 5, conflicts: true))
                guard let last = page.last else { break }
                seqs += page.map(\.seq)
                before = last.seq
            }
            #expect(seqs == stride(from: 3_000, through: 250, by: -250).map(Int64.init))
            // With the other filters.
            #expect(try s.journal(hub: hubA, JournalQuery(item: "i1", conflicts: true)).map(\.seq) == [2_500, 750])
            #expect(throws: StoreError.self) { try s.conflictCount(hub: "nowhere") }
        }
    }

    @Test func sqliteCountsAndListsConflictsFromThePartialIndex() throws {
        let s = try SQLiteStore.inMemory()
        func plan(_ sql: String) throws -> String {
            try s.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        let count = try plan("SELECT COUNT(*) FROM journal WHERE hub_id = 'h' AND \(SQLiteStore.settlesConflict)")
        #expect(count.contains("journal_conflicts"), "\(count)")
        let list = try plan(
            "SELECT \(Rows.journalColumns) FROM journal WHERE hub_id = 'h' AND \(SQLiteStore.settlesConflict) ORDER BY seq DESC LIMIT 50")
        #expect(list.contains("journal_conflicts"), "\(list)")
        #expect(!list.contains("TEMP B-TREE"), "\(list)")
    }
}
