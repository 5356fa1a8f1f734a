import Foundation
import ArgumentParser
import Logging
import ConnectorDAV
import ConnectorEWS
import ConnectorFolder
import ConnectorKit
import HubServer
import Secrets
import SyncEngine
import SyncModel
import SyncStore
import SyncStorePostgres
import SyncStoreSQLite

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The hub database: a SQLite file, or a postgres:// URL (?host=/dir for a Unix socket) (default: $HUBSYNC_DB, else ~/.local/share/hubsync/hubsync.sqlite).",
        valueName: "path-or-url"))
    var db: String?

    @Option(name: .customLong("key-file"), help: ArgumentHelp(
        "The key that seals spoke secrets (default: $HUBSYNC_KEY_FILE, else hubsync.key next to a SQLite database, or in ~/.local/share/hubsync for PostgreSQL).",
        valueName: "path"))
    var keyFilePath: String?

    @Flag(name: .shortAndLong, help: "Log what the engine decides, item by item, to stderr.")
    var verbose = false

    @Option(help: "How log lines are written: text, or json (one object a line: time, level, label, message, metadata).")
    var logFormat: LogFormat = .text

    @Option(help: "Days of history (changes, runs) each sync keeps; older is let go. 0 keeps it all.")
    var keepHistoryDays = 365

    /// `--keep-history-days` as the engine takes it (nil: keep all).
    var keepHistory: TimeInterval? { keepHistoryDays > 0 ? Double(keepHistoryDays) * 86_400 : nil }

    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["HUBSYNC_DB"], !env.isEmpty { return env }
        let base = ProcessInfo.processInfo.environment["XDG_DATA_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
        return base.appendingPathComponent("hubsync/hubsync.sqlite").path
    }

    var usesPostgres: Bool { PostgresURL.isPostgres(databasePath) }

    /// The key that seals spoke passwords, never in the database: next to a SQLite file, or in
    /// the user's data directory when the database is a server.
    var keyFile: URL {
        if let keyFilePath { return URL(fileURLWithPath: keyFilePath) }
        if let env = ProcessInfo.processInfo.environment["HUBSYNC_KEY_FILE"], !env.isEmpty { return URL(fileURLWithPath: env) }
        if usesPostgres { return Self.dataDirectory.appendingPathComponent("hubsync/hubsync.key") }
        return URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("hubsync.key")
    }

    static var dataDirectory: URL {
        ProcessInfo.processInfo.environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share")
    }

    /// SQLite for a path, PostgreSQL for a postgres:// URL (whose password is never shown).
    func openStore() throws -> any SyncStore & AccountStore {
        let path = databasePath
        if usesPostgres {
            try makePrivateDirectory(keyFile.deletingLastPathComponent())
            return try PostgresStore(PostgresURL(path), logger: Self.logger(verbose: false))
        }
        try makePrivateDirectory(URL(fileURLWithPath: path).deletingLastPathComponent())
        return try SQLiteStore(path: path)
    }

    /// The composition root: the one place that picks the store and the connectors. The key is
    /// loaded on first use: a CLI run with folder spokes only needs none.
    func context() throws -> Context {
        let keyFile = self.keyFile
        var ctx = Context(store: try openStore(), logger: logger, secrets: { try SecretBox.load(keyFile: keyFile) })
        ctx.keepHistory = keepHistory
        return ctx
    }

    /// For a long-running server: the key loaded (or made) once, up front, so concurrent
    /// requests never race to create it.
    func serverContext(store: any SyncStore & AccountStore, logger: Logger) throws -> Context {
        let box = try SecretBox.load(keyFile: keyFile)
        var ctx = Context(store: store, logger: logger, secrets: { box })
        ctx.keepHistory = keepHistory
        return ctx
    }

    /// The logger of this command's options (`-v`, `--log-format`).
    var logger: Logger { Self.logger(verbose: verbose, format: logFormat) }

    static func logger(verbose: Bool, format: LogFormat = .text) -> Logger {
        let console = Console.current
        var logger = Logger(label: "hubsync") { label in
            switch format {
            case .text: SafeLogHandler.console(label: label, console)
            case .json: SafeLogHandler(inner: JSONLogHandler(label: label, write: console.log))
            }
        }
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }
}

struct Context: Sendable {
    let store: any SyncStore
    let logger: Logger
    /// Loaded on first use: only network spokes need it.
    let secrets: @Sendable () throws -> SecretBox

    /// History older than this is let go at the end of each pass (nil: kept).
    var keepHistory: TimeInterval?

    var engine: SyncEngine {
        var engine = SyncEngine(store: store, logger: logger)
        engine.keepHistory = keepHistory
        return engine
    }

    /// A hub by id or by name.
    func hub(_ ref: String) throws -> HubConfig {
        let hubs = try store.hubs()
        if let h = hubs.first(where: { $0.id.rawValue == ref }) ?? hubs.first(where: { $0.name == ref }) { return h }
        let known = hubs.map(\.id.rawValue).joined(separator: ", ")
        throw CLIError("no hub '\(ref)'" + (known.isEmpty ? "; create one with `hubsync hub create NAME`" : " (hubs: \(known))"))
    }

    func spoke(_ ref: String, in hub: HubConfig) throws -> SpokeConfig {
        let spokes = try store.spokes(hub: hub.id)
        if let s = spokes.first(where: { $0.id.rawValue == ref }) ?? spokes.first(where: { $0.name == ref }) { return s }
        throw CLIError("no spoke '\(ref)' in hub \(hub.id) (spokes: \(spokes.map(\.id.rawValue).joined(separator: ", ")))")
    }

    /// The most one spoke's part of a pass may take: past it the spoke fails ("too slow") and
    /// the pass goes on. Each request has its own deadline too (`HTTPClient.deadline`).
    static let passBudget: Duration = .seconds(30 * 60)

    /// The live connector for a configured spoke, within its budget for one pass (so made afresh
    /// for each pass).
    func connector(for spoke: SpokeConfig) throws -> any SpokeConnector {
        PassBudget(try bareConnector(for: spoke), budget: Self.passBudget, name: "spoke \(spoke.name)")
    }

    private func bareConnector(for spoke: SpokeConfig) throws -> any SpokeConnector {
        // Each spoke's requests (`-v`) and decisions carry its hub and spoke.
        let logger = self.logger.with(["hub": "\(spoke.hub)", "spoke": "\(spoke.id)"])
        // The invitee took back the access this spoke used (even if pausing it was not saved).
        if let reason = spoke.settings[InvitationService.pausedKey] ?? revokedInvitation(of: spoke) { return PausedSpoke(reason: reason) }
        switch spoke.kind {
        case .folder:
            guard let path = spoke.settings["path"] else { throw CLIError("spoke \(spoke.id) has no path") }
            return FolderSpoke(directory: URL(fileURLWithPath: path))
        case .carddav:
            let net = try NetworkSettings(spoke, secrets: secrets, logger: logger)
            return try CardDAVSpoke(settings: CardDAVSettings(url: net.url), http: net.client, logger: logger)
        case .memory:
            throw CLIError("spoke \(spoke.id): memory spokes live only inside `hubsync demo`")
        case .ews:
            let net = try NetworkSettings(spoke, secrets: secrets, retry: EWSSpoke.retryPolicy(), logger: logger)
            let version = spoke.settings["ews.version"].flatMap(ExchangeVersion.init(rawValue:)) ?? .exchange2016
            return EWSSpoke(
                settings: EWSSettings(url: net.url, version: version, folderID: spoke.settings["ews.folder"],
                                      source: try EWSSource(stored: spoke.settings)),
                http: net.client, logger: logger)
        case .google:
            let store = self.store
            return try GoogleSetup.connector(spoke, secrets: secrets, logger: logger) { key, value in
                // Re-read, so options changed meanwhile are not overwritten.
                guard var current = try? store.spokes(hub: spoke.hub).first(where: { $0.id == spoke.id }) else { return }
                current.settings[key] = value
                try? store.saveSpoke(current)
            }
        case .graph:
            if let reason = spoke.settings[GroupMailboxes.pausedKey] { return PausedSpoke(reason: reason) }
            let receiveOnly = spoke.settings[GroupMailboxes.receiveOnlyKey] == "true"
            let graph = try M365Setup.connector(spoke, secrets: secrets, logger: logger, store: settingSaver(spoke))
            return receiveOnly ? ReceiveOnlySpoke(graph) : graph
        case .directory:
            return try DirectorySetup.connector(spoke, secrets: secrets, logger: logger, store: settingSaver(spoke))
        case .caldav, .icsFolder:
            throw CLIError("spoke \(spoke.id) holds calendar events, not contacts")
        }
    }

    /// Why the spoke must not run, when the invitation whose account it uses was revoked.
    func revokedInvitation(of spoke: SpokeConfig) -> String? {
        guard let id = spoke.settings[InvitationService.spokeKey], let invitations = store as? any InvitationStore,
            let invitation = try? invitations.invitation(id: id), invitation.state == .revoked
        else { return nil }
        return InvitationService.paused(spoke, by: invitation)?.settings[InvitationService.pausedKey]
    }

    /// Saves one setting of a spoke (a rotated refresh token, a new app token), re-reading the
    /// spoke first so options changed meanwhile are not overwritten.
    func settingSaver(_ spoke: SpokeConfig) -> @Sendable (_ key: String, _ value: String) -> Void {
        let store = self.store
        return { key, value in
            guard var current = try? store.spokes(hub: spoke.hub).first(where: { $0.id == spoke.id }) else { return }
            current.settings[key] = value
            try? store.saveSpoke(current)
        }
    }
}

extension Logger {
    func with(_ metadata: Logger.Metadata) -> Logger {
        var l = self
        for (k, v) in metadata { l[metadataKey: k] = v }
        return l
    }
}

/// The `HUB SPOKE` pair of arguments commands about one spoke take.
struct SpokeArguments: ParsableArguments {
    @Argument(help: "Hub id or name.") var hub: String
    @Argument(help: "Spoke id or name.") var spoke: String

    func resolve(_ ctx: Context) throws -> (HubConfig, SpokeConfig) {
        let h = try ctx.hub(hub)
        return (h, try ctx.spoke(spoke, in: h))
    }
}

/// Readable ids: "Sales contacts" → "sales-contacts".
func slug(_ name: String) -> String { HubID(slugOf: name).rawValue }
