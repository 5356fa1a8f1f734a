import ArgumentParser
import Foundation
import SyncModel
import SyncStore
import SyncStorePostgres
import SyncStoreSQLite

/// `hubsync migrate --from hubsync.sqlite --to postgres://…`: moves a working installation to
/// PostgreSQL, every record as it is, so the next sync there finds nothing to create or send.
/// (Not `spoke migrate`, which moves one spoke to another connector.)
struct StoreMigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move an installation from a SQLite file to PostgreSQL.",
        discussion: """
            Copies every hub, spoke, item, link, pending create, spoke state, change, run, hold, web account, \
            invitation and API token, each hub under its lock. The target database must be empty. Spoke passwords and tokens \
            are copied sealed with the same key: keep the key file (hubsync.key next to the SQLite database) and \
            give it to every command that uses PostgreSQL with --key-file or HUBSYNC_KEY_FILE (the default \
            there is ~/.local/share/hubsync/hubsync.key). If the copy stops half-way, empty the target and run it again.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The SQLite database to copy (default: --db, $HUBSYNC_DB, else the usual file).", valueName: "path"))
    var from: String?
    @Option(help: ArgumentHelp("The empty PostgreSQL database: postgres://user@host/db (?host=/dir for a socket).", valueName: "url"))
    var to: String

    func validate() throws {
        if !PostgresURL.isPostgres(to) { throw ValidationError("--to must be a postgres:// URL") }
        if PostgresURL.isPostgres(from ?? global.databasePath) { throw ValidationError("--from is the SQLite file to copy") }
    }

    func run() throws {
        let from = self.from ?? global.databasePath
        guard FileManager.default.fileExists(atPath: from) else { throw CLIError("no database at \(from)") }
        let source = try SQLiteStore(path: from)
        let url = try PostgresURL(to)
        let target = try PostgresStore(url, logger: GlobalOptions.logger(verbose: false))
        guard try target.isEmpty() else {
            throw CLIError("\(url) holds hubs, accounts or invitations already: migrate only into an empty database")
        }
        for hub in try source.hubs() {
            let copied = try HubLock.exclusive(database: from, hub: hub.id) {
                switch hub.objectKind {
                case .contacts: try Self.copy(hub, Contact.self, from: source, to: target)
                case .calendar: try Self.copy(hub, Event.self, from: source, to: target)
                }
            }
            Console.line("hub \(hub.id): \(copied.items) items, \(copied.links) links, \(copied.changes) changes, \(copied.runs) runs")
        }
        let accounts = try source.accounts()
        for account in accounts { try target.saveAccount(account) }
        let invitations = try source.invitations()
        for invitation in invitations.reversed() { try target.insertInvitation(invitation) }
        // API tokens go along (scripts keep working); sessions do not (people sign in again).
        let tokens = try source.apiTokens()
        for token in tokens.reversed() { try target.insertAPIToken(token) }
        Console.line("\(accounts.count) web accounts, \(invitations.count) invitations, \(tokens.count) API tokens")
        let key = self.from == nil ? global.keyFile : URL(fileURLWithPath: from).deletingLastPathComponent().appendingPathComponent("hubsync.key")
        Console.line("moved to \(url); keep the key file \(key.path) and pass it with --key-file (or HUBSYNC_KEY_FILE)")
    }

    struct Copied { var items = 0, links = 0, changes = 0, runs = 0 }

    /// Batches of this many records, each one transaction.
    static let page = 1000

    static func copy<Item: StoredItem>(
        _ hub: HubConfig, _ kind: Item.Type, from source: some SyncStore, to target: PostgresStore
    ) throws -> Copied {
        var copied = Copied()
        try target.saveHub(hub)
        let spokes = try source.spokes(hub: hub.id)
        for spoke in spokes { try target.saveSpoke(spoke) }

        // Items with their versions (tombstones too), so the spokes' positions stay valid.
        var after: Int64 = 0
        while true {
            let items = try source.items(Item.self, hub: hub.id, changedAfter: after, limit: page)
            guard let last = items.last else { break }
            var b = ItemWriteBatch<Item>()
            b.items = items
            try target.commit(hub: hub.id, batch: b)
            copied.items += items.count
            after = last.version
        }
        for spoke in spokes {
            let remote = Array(try source.linkedRemoteIDs(hub: hub.id, spoke: spoke.id)).sorted { $0.rawValue < $1.rawValue }
            for start in stride(from: 0, to: remote.count, by: page) {
                var b = ItemWriteBatch<Item>()
                b.links = Array(try source.links(Item.self, hub: hub.id, spoke: spoke.id, remoteIDs: Array(remote[start..<min(start + page, remote.count)])).values)
                try target.commit(hub: hub.id, batch: b)
                copied.links += b.links.count
            }
            var b = ItemWriteBatch<Item>()
            b.addedIntents = try source.intents(Item.self, hub: hub.id, spoke: spoke.id)
            b.spokeStates = [try source.spokeState(hub: hub.id, spoke: spoke.id)]
            try target.commit(hub: hub.id, batch: b)
        }
        var rest = ItemWriteBatch<Item>()
        rest.runs = try source.runs(hub: hub.id, limit: Int(Int32.max))
        rest.holds = try source.holds(hub: hub.id)
        try target.commit(hub: hub.id, batch: rest)
        copied.runs = rest.runs.count

        // The journal with its numbers, oldest first.
        var before: Int64?
        while true {
            let entries = try source.journal(Item.self, hub: hub.id, JournalQuery(before: before, limit: page))
            guard let oldest = entries.last else { break }
            try target.importJournal(entries.reversed(), hub: hub.id)
            copied.changes += entries.count
            before = oldest.seq
        }
        return copied
    }
}
