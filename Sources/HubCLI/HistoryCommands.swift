import ArgumentParser
import Foundation
import SyncCore
import SyncEngine
import SyncModel
import SyncStore

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a hub's recent sync runs.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Hub id or name.") var hub: String
    @Option(help: "How many.") var limit = 20

    func run() async throws {
        let ctx = try global.context()
        let h = try ctx.hub(hub)
        var rows = [["RUN", "STARTED", "STATUS", "HUB +/~/-", "PUSHED", "ERRORS"]]
        for r in try ctx.store.runs(hub: h.id, limit: limit) {
            let s = r.stats.values
            let hubChanges = "\(s.map(\.hubCreated).reduce(0, +))/\(s.map(\.hubUpdated).reduce(0, +))/\(s.map(\.hubDeleted).reduce(0, +))"
            let pushed = s.map { $0.pushedCreates + $0.pushedUpdates + $0.pushedDeletes }.reduce(0, +)
            rows.append([r.id.rawValue, timestamp(r.startedAt), r.status.rawValue, hubChanges, "\(pushed)", "\(r.errors.count)"])
        }
        Console.line(table(rows))
    }
}

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the journal of hub changes: who changed what, when, old → new.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Hub id or name.") var hub: String
    @Option(help: "Only this item.") var item: String?
    @Option(name: .customLong("run"), help: "Only this sync run.") var runID: String?
    @Option(help: "Entries older than this number (paging).") var before: Int64?
    @Option(help: "How many.") var limit = 50

    func run() async throws {
        let ctx = try global.context()
        let h = try ctx.hub(hub)
        let entries = try ctx.store.journal(
            hub: h.id, JournalQuery(item: item.map { ItemID($0) }, run: runID.map { RunID($0) }, before: before, limit: limit))
        if entries.isEmpty { Console.line("no changes recorded") }
        try Self.show(entries, of: h, ctx: ctx)
        if let last = entries.last, entries.count == limit {
            Console.line("more: hubsync history \(h.id) --before \(last.seq)")
        }
    }

    /// Each entry's headline and the fields it changed.
    static func show(_ entries: [JournalEntry], of hub: HubConfig, ctx: Context, indent: String = "") throws {
        let names = Dictionary(uniqueKeysWithValues: try ctx.store.spokes(hub: hub.id).map { ($0.id, $0.name) })
        for e in entries {
            Console.line(indent + headline(e, names: names))
            for c in details(e) { Console.line(indent + "      \(c)") }
        }
    }

    /// The fields a change touched; a deletion is its headline alone.
    static func details(_ e: JournalEntry) -> [FieldChange] {
        guard e.new != nil else { return [] }
        return (e.old ?? Contact()).changes(to: e.new ?? Contact())
    }

    static func headline(_ e: JournalEntry, names: [SpokeID: String]) -> String {
        let who: String
        switch e.source {
        case .spoke(let s): who = "from \(names[s] ?? s.rawValue)"
        case .restore: who = "by restore"
        case .approval(let s): who = "approved deletion from \(names[s] ?? s.rawValue)"
        }
        let name = (e.new ?? e.old)?.formattedName ?? ""
        let conflicts = e.conflicts.isEmpty ? "" : "  conflict on \(e.conflicts.map(\.description).joined(separator: ", "))"
        let kind = e.kind == .conflict ? "kept the hub's value (restore this entry for the spoke's)" : e.kind.rawValue
        return "#\(e.seq)  \(timestamp(e.at))  \(kind)  \(name.isEmpty ? e.item.rawValue : name)  [item \(e.item)]  \(who)"
            + (e.run.map { "  run \($0)" } ?? "") + conflicts
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Undo one change (a journal entry) or a whole sync run; the next sync spreads it.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Hub id or name.") var hub: String
    @Option(help: "Undo this journal entry (the #number in `hubsync history`).") var entry: Int64?
    @Option(name: .customLong("run"), help: "Undo every change of this sync run.") var runID: String?

    func validate() throws {
        if (entry == nil) == (runID == nil) { throw ValidationError("give --entry N or --run ID") }
    }

    func run() async throws {
        let ctx = try global.context()
        let h = try ctx.hub(hub)
        switch h.objectKind {
        case .contacts: try restore(Contact.self, h, ctx) { $0.formattedName }
        case .calendar: try restore(Event.self, h, ctx) { $0.master?.summary ?? $0.uid }
        }
    }

    private func restore<Item: CoreItem & StoredItem>(
        _ kind: Item.Type, _ h: HubConfig, _ ctx: Context, name: (Item) -> String
    ) throws {
        // An EngineError (no such entry, a run that changed nothing) prints as its message.
        let restored = try HubLock.exclusive(database: global.databasePath, hub: h.id) {
            if let entry {
                try ctx.engine.restore(Item.self, hub: h.id, entry: entry)
            } else {
                try ctx.engine.restore(Item.self, hub: h.id, run: RunID(runID!))
            }
        }
        if restored.isEmpty { Console.line("nothing to restore: the items are already as they were") }
        for e in restored {
            let what = e.new == nil ? "deleted again" : (e.old == nil ? "brought back" : "put back")
            Console.line("\(what): \((e.new ?? e.old).map(name) ?? e.item.rawValue)  [item \(e.item)]")
        }
        if !restored.isEmpty { Console.line("run `hubsync sync \(h.id)` to spread this to the spokes") }
    }
}

struct HoldsGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holds", abstract: "Mass deletions held back by the deletion guard.",
        subcommands: [List.self, Approve.self, Reject.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List held deletions.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            let holds = try ctx.store.pendingHolds(hub: h.id)
            if holds.isEmpty { Console.line("no deletions held") }
            for hold in holds {
                Console.line("spoke \(hold.spoke): \(hold.items.count) deletions held since \(timestamp(hold.detectedAt))")
                Console.line("  \(hold.reason)")
                let ids = Array(hold.items.prefix(10))
                // Read as the hub's kind (the store refuses a calendar hub's items as contacts).
                let names: [ItemID: String] = switch h.objectKind {
                case .contacts: try ctx.store.items(Contact.self, hub: h.id, ids: ids).mapValues(\.item.formattedName)
                case .calendar: try ctx.store.items(Event.self, hub: h.id, ids: ids).mapValues { $0.item.master?.summary ?? "" }
                }
                for id in ids {
                    Console.line("  - \(names[id] ?? "?")  [item \(id)]")
                }
                if hold.items.count > 10 { Console.line("  … and \(hold.items.count - 10) more") }
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply the held deletions of a spoke.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: SpokeArguments

        func run() async throws {
            let ctx = try global.context()
            let (h, s) = try target.resolve(ctx)
            try HubLock.exclusive(database: global.databasePath, hub: h.id) {
                try ctx.engine.approveHold(hub: h.id, spoke: s.id)
            }
            Console.line("deletions from \(s.name) applied in the hub; the next sync removes them everywhere")
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep the items; a two-way spoke gets them back on the next sync.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: SpokeArguments

        func run() async throws {
            let ctx = try global.context()
            let (h, s) = try target.resolve(ctx)
            try HubLock.exclusive(database: global.databasePath, hub: h.id) {
                try ctx.engine.rejectHold(hub: h.id, spoke: s.id)
            }
            Console.line("deletions from \(s.name) rejected: the hub keeps the items")
        }
    }
}
