import Foundation
import Hummingbird
import Testing
import SyncModel
import SyncStore
@testable import HubServer

/// Issue 17's last items through the API: the hub page's conflict count is exact however long
/// the history, the conflicts list pages back to the oldest, the history's contact filter is
/// the server's (so paging finds a contact's oldest change), and each source says which way
/// its changes go.
struct HubPageCountsAPITests {
    func hub(_ fx: Fixture, _ c: Client) async throws {
        try await c.setUp()
        _ = try await c.call(.post, "/api/hubs", json: ["name": "H"])
        _ = try await c.call(.post, "/api/hubs/h/spokes", json: ["name": "a", "kind": "carddav", "form": ["password": "secret"], "folder": "a"])
    }

    func entry(_ n: Int, item: String, conflict: Bool = false) -> JournalEntry {
        JournalEntry(hub: "h", run: "r", item: ItemID(item), source: .spoke("a"), at: Date(timeIntervalSinceReferenceDate: Double(n)),
                     kind: conflict ? .conflict : .updated, old: Contact(givenName: "Old \(n)"), new: Contact(givenName: "New \(n)"),
                     conflicts: conflict ? [.text(.givenName)] : [])
    }

    @Test func theConflictCountIsExactAndTheListPagesBackToTheOldest() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await hub(fx, c)
            // 2,500 changes, every 80th a conflict (31): most of them older than the newest 1,000.
            var b = WriteBatch()
            b.journal = (1...2_500).map { n in entry(n, item: "i\(n % 40)", conflict: n % 80 == 0) }
            try fx.store.commit(hub: "h", b)
            #expect(try await c.call(.get, "/api/hubs/h").object["conflictCount"] as? Int == 31)
            var seqs: [Int] = [], before: Int?
            while true {
                let page = try await c.call(.get, "/api/hubs/h/conflicts?limit=20" + (before.map { "&before=\($0)" } ?? "")).array
                guard let last = page.last?["seq"] as? Int else { break }
                #expect(page.count <= 20)
                seqs += page.compactMap { $0["seq"] as? Int }
                before = last
            }
            #expect(seqs == Array(stride(from: 2_480, through: 80, by: -80)))
            #expect(try await c.call(.get, "/api/hubs/h/conflicts").array.count == 31)
            // The history's "conflicts only" is the same filter, paged by the store.
            let conflictsOnly = try await c.call(.get, "/api/hubs/h/journal?conflicts=1&limit=100").object
            #expect((conflictsOnly["entries"] as? [Any])?.count == 31 && conflictsOnly["next"] == nil)
        }
    }

    @Test func theHistoryFiltersByContactOnTheServer() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await hub(fx, c)
            // One change to "ann" first, then 3,000 to others: far past a page, and past the
            // 10,000-entry scan the source and kind filters allow... had they been client-side.
            var b = WriteBatch()
            b.journal = [entry(0, item: "ann")] + (1...3_000).map { entry($0, item: "other\($0 % 9)") } + [entry(3_001, item: "ann")]
            try fx.store.commit(hub: "h", b)
            let first = try await c.call(.get, "/api/hubs/h/journal?item=ann&limit=1").object
            let newest = try #require((first["entries"] as? [[String: Any]])?.first)
            #expect(newest["seq"] as? Int == 3_002 && newest["item"] as? String == "ann")
            let next = try #require(first["next"] as? Int)
            let older = try await c.call(.get, "/api/hubs/h/journal?item=ann&limit=1&before=\(next)").object
            #expect((older["entries"] as? [[String: Any]])?.map { $0["seq"] as? Int } == [1])
            // With the kind filter too.
            let updated = try await c.call(.get, "/api/hubs/h/journal?item=ann&kind=updated").object
            #expect((updated["entries"] as? [Any])?.count == 2 && updated["next"] == nil)
        }
    }

    @Test func eachSourceSaysWhichWayItsChangesGo() async throws {
        let fx = Fixture()
        try await fx.run { c in
            try await hub(fx, c)
            let cases: [(String, Bool, [String: String], String)] = [
                ("both", true, [:], "twoWay"),
                ("feeds", false, [:], "toHub"),
                ("member", true, ["receiveOnly": "true"], "fromHub"),
                ("stopped", false, ["receiveOnly": "true"], "none"),
                ("left", true, ["receiveOnly": "true", "paused": "left the group"], "paused"),
            ]
            for (i, (name, twoWay, settings, _)) in cases.enumerated() {
                try fx.store.saveSpoke(SpokeConfig(
                    id: SpokeID(name), hub: "h", name: name, kind: .carddav, position: 10 + i,
                    options: SpokeOptions(twoWay: twoWay), settings: settings.merging(["book": name]) { a, _ in a }))
            }
            let spokes = try #require(try await c.call(.get, "/api/hubs/h").object["spokes"] as? [[String: Any]])
            for (name, _, _, direction) in cases {
                #expect(spokes.first { $0["name"] as? String == name }?["direction"] as? String == direction, "\(name)")
            }
        }
    }
}
