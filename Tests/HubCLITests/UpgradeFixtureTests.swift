import Foundation
import Testing
import SyncModel
import SyncStore
import SyncStoreSQLite
@testable import HubCLI

/// Databases written by earlier mains (a contact hub and a calendar hub, each with two folder
/// spokes, synced, one contact edited since) open, migrate, and sync without re-matching,
/// re-creating or re-sending anything: the folders are byte for byte as they were, and the
/// history gains nothing. Each was written by that main's build with the CLI (`hub create`,
/// `spoke add --kind folder|ics-folder`, `sync`; `hub-before-fleet` also has an admin made
/// through `/api/setup` and an invitation from `invite create`).
@Suite struct UpgradeFixtureTests {
    enum Fixture: String, CaseIterable, Sendable {
        /// Before the invitations table.
        case beforeInvitations = "hub-before-invitations"
        /// Written by 0549bf4, before the fleet's tables (web state, API tokens, hub leases).
        case beforeFleet = "hub-before-fleet"

        var url: URL {
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/\(rawValue)")
        }
    }

    static func files(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for sub in ["contacts-a", "contacts-b", "cal-a", "cal-b"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(sub).path) {
                out["\(sub)/\(name)"] = try Data(contentsOf: dir.appendingPathComponent(sub).appendingPathComponent(name))
            }
        }
        return out
    }

    static func entries(_ store: SQLiteStore, _ hub: HubConfig) throws -> Int {
        switch hub.objectKind {
        case .contacts: try store.journal(Contact.self, hub: hub.id, JournalQuery(limit: 1000)).count
        case .calendar: try store.journal(Event.self, hub: hub.id, JournalQuery(limit: 1000)).count
        }
    }

    @Test(arguments: Fixture.allCases)
    func opensMigratesAndSyncsWithoutResending(_ fixture: Fixture) async throws {
        let cli = try CLI()
        for sub in ["contacts-a", "contacts-b", "cal-a", "cal-b"] {
            try FileManager.default.copyItem(at: fixture.url.appendingPathComponent(sub), to: cli.dir.appendingPathComponent(sub))
        }
        try FileManager.default.copyItem(at: fixture.url.appendingPathComponent("hub.sqlite"), to: URL(fileURLWithPath: cli.db))
        let before = try Self.files(cli.dir)
        let journal: [HubID: Int]
        do {
            let store = try SQLiteStore(path: cli.db)
            switch fixture {
            case .beforeInvitations:
                #expect(try store.invitations().isEmpty)
            case .beforeFleet:
                #expect(try store.invitations().map(\.email) == ["ann@example.com"])
                #expect(try store.account(named: "admin") != nil)
            }
            #expect(try store.hubs().map(\.objectKind) == [.contacts, .calendar] || store.hubs().map(\.objectKind) == [.calendar, .contacts])
            journal = Dictionary(uniqueKeysWithValues: try store.hubs().map { ($0.id, try Self.entries(store, $0)) })
            #expect(journal[HubID("team")] == 7)
            // The folders moved with the database (each fixture was written in a /tmp directory).
            for hub in try store.hubs() {
                for var spoke in try store.spokes(hub: hub.id) {
                    let path = try #require(spoke.settings["path"])
                    spoke.settings["path"] = cli.dir.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
                    try store.saveSpoke(spoke)
                }
            }
        }
        for hub in ["team", "cal"] {
            let r = await cli.run(["sync", hub])
            #expect(r.exitCode == 0, "\(r.output)")
        }
        #expect(try Self.files(cli.dir) == before)
        let store = try SQLiteStore(path: cli.db)
        for hub in try store.hubs() {
            #expect(try Self.entries(store, hub) == journal[hub.id], "hub \(hub.id)")
            let run = try #require(try store.runs(hub: hub.id, limit: 1).first)
            #expect(run.stats.values.allSatisfy { $0.pushedCreates + $0.pushedUpdates + $0.pushedDeletes == 0 && $0.matched == 0 })
        }
    }
}
