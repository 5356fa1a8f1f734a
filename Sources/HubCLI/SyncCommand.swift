import ArgumentParser
import Foundation
import Logging
import ConnectorKit
import SyncEngine
import SyncModel
import SyncStore

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sync a hub now: pull every spoke, merge, push to two-way spokes.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Hub id or name (omit with --all).") var hub: String?
    @Flag(help: "Sync every hub.") var all = false

    func validate() throws {
        if all == (hub != nil) { throw ValidationError("name a hub, or pass --all") }
    }

    func run() async throws {
        let ctx = try global.context()
        let hubs = all ? try ctx.store.hubs() : [try ctx.hub(hub!)]
        var worst = RunStatus.succeeded
        for h in hubs {
            guard let lock = try HubLock(database: global.databasePath, hub: h.id.rawValue) else {
                guard all else { throw CLIError("hub \(h.id) is being synced by another process; try again when it is done") }
                // Another process is at it (the server's scheduler, say): the other hubs still get theirs.
                Console.line("skipping hub \(h.id): another process is syncing it")
                if worst == .succeeded { worst = .partial }
                continue
            }
            let run = try await Self.sync(h, ctx: ctx)
            withExtendedLifetime(lock) {}
            if run.status == .failed || (run.status == .partial && worst == .succeeded) { worst = run.status }
        }
        switch worst {
        case .succeeded, .running: break
        case .partial: throw ExitCode(2)
        case .failed: throw ExitCode(1)
        }
    }

    static func sync(_ h: HubConfig, ctx: Context) async throws -> RunRecord {
        // Groups first: a member who joined is synced in this very pass.
        for o in await GroupMailboxes.refresh(hub: h.id, ctx: ctx) { GroupMailboxes.report(o) }
        let connectors = try ctx.connectors(for: h) { s, error in Console.line("skipping \(s.name): \(error)") }
        return try await sync(h, ctx: ctx, connectors: connectors)
    }

    static func sync(_ h: HubConfig, ctx: Context, connectors: [SpokeID: any SpokeConnector]) async throws -> RunRecord {
        try await sync(h, ctx: ctx, connectors: .contacts(connectors.mapValues { SyncEngine.asItemConnector($0) }))
    }

    static func sync(_ h: HubConfig, ctx: Context, connectors: HubConnectors) async throws -> RunRecord {
        let display = ProgressDisplay(console: Console.current)
        Console.line("syncing hub \(h.id) (\(h.name))")
        let run = try await ctx.engine.sync(hub: h.id, connectors: connectors) { display.update($0) }
        display.finish()
        // The one outcome line of the sync (`-v`); the engine leaves it to its host.
        ctx.logger.info("sync finished", metadata: ["hub": "\(h.id)", "run": "\(run.id)", "status": "\(run.status.rawValue)"])
        report(run, spokes: try ctx.store.spokes(hub: h.id))
        return run
    }

    static func report(_ run: RunRecord, spokes: [SpokeConfig]) {
        var rows = [["SPOKE", "PULLED", "HUB +/~/-", "PUSHED +/~/-", "MATCHED", "CONFLICTS", "ERRORS", "HELD"]]
        for s in spokes {
            let t = run.stats[s.id] ?? SpokeRunStats()
            rows.append([
                s.name, "\(t.pulled)", "\(t.hubCreated)/\(t.hubUpdated)/\(t.hubDeleted)",
                "\(t.pushedCreates)/\(t.pushedUpdates)/\(t.pushedDeletes)", "\(t.matched)", "\(t.conflicts)",
                "\(t.itemErrors)", "\(t.heldDeletions)",
            ])
        }
        Console.line(table(rows))
        for e in run.errors { Console.line("error: \(e)") }
        if run.stats.values.contains(where: { $0.heldDeletions > 0 }) {
            Console.line("deletions were held back: see `hubsync holds \(run.hub)`")
        }
        Console.line("run \(run.id): \(run.status.rawValue)")
    }
}
