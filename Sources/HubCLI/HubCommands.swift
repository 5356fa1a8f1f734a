import ArgumentParser
import Foundation
import SyncModel
import SyncStore

struct HubGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub", abstract: "Create, list, show and delete hubs.",
        subcommands: [Create.self, List.self, Show.self, Delete.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a hub of contacts or of calendar events.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The hub's name.") var name: String
        @Option(help: "What the hub holds: contacts or calendar (fixed once created).")
        var object: ObjectKind = .contacts
        @Option(help: "Hold remote deletions above this share of a spoke's items (percent).")
        var guardPercent = DeletionGuard().percent
        @Option(help: "...and at least this many items.") var guardMinimum = DeletionGuard().minimum
        @Option(help: "Sync every N minutes when served (omit: only on demand).") var everyMinutes: Int?

        func run() async throws {
            let name = try checkedName(self.name, what: "hub")
            let ctx = try global.context()
            let id = HubID(slug(name))
            if try ctx.store.hub(id) != nil { throw CLIError("a hub with id \(id) exists already") }
            try ctx.store.saveHub(HubConfig(
                id: id, name: name, deletionGuard: DeletionGuard(percent: guardPercent, minimum: guardMinimum),
                scheduleMinutes: everyMinutes, objectKind: object))
            Console.line("created hub \(id) (\(name)) of \(object)")
            let kind = object == .calendar ? "ics-folder" : "folder"
            Console.line("next: hubsync spoke add \(id) --name NAME --kind \(kind) --path DIR")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List hubs.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let ctx = try global.context()
            let hubs = try ctx.store.hubs()
            if hubs.isEmpty { Console.line("no hubs yet: hubsync hub create NAME") }
            var rows = [["ID", "NAME", "HOLDS", "ITEMS", "SPOKES"]]
            for h in hubs {
                rows.append([
                    h.id.rawValue, h.name, h.objectKind.rawValue, "\(try ctx.store.liveItemCount(hub: h.id))",
                    "\(try ctx.store.spokes(hub: h.id).count)",
                ])
            }
            if !hubs.isEmpty { Console.line(table(rows)) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a hub, its spokes and their state.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            let noun = h.objectKind == .contacts ? "contacts" : "events"
            Console.line("hub \(h.id) (\(h.name)): \(try ctx.store.liveItemCount(hub: h.id)) \(noun)")
            Console.line("deletion guard: hold above \(h.deletionGuard.percent)% (at least \(h.deletionGuard.minimum))"
                + (h.scheduleMinutes.map { ", syncs every \($0) min" } ?? ""))
            for s in try ctx.store.spokes(hub: h.id) {
                let state = try ctx.store.spokeState(hub: h.id, spoke: s.id)
                Console.line("")
                Console.line("spoke \(s.id) (\(s.name)), \(s.kind.rawValue)"
                    + (s.settings["path"].map { " at \($0)" } ?? ""))
                Console.line("  linked items: \(try ctx.store.linkCount(hub: h.id, spoke: s.id))")
                for line in describe(s.options) { Console.line("  " + line) }
                let last = state.lastSyncAt.map { "last sync \(timestamp($0))" } ?? "never synced"
                Console.line("  \(last)" + (state.lastError.map { ", error: \($0)" } ?? ""))
            }
            for hold in try ctx.store.pendingHolds(hub: h.id) {
                Console.line("")
                Console.line("HELD: \(hold.items.count) deletions from spoke \(hold.spoke): \(hold.reason)")
                Console.line("  hubsync holds approve \(h.id) \(hold.spoke)   or   hubsync holds reject \(h.id) \(hold.spoke)")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a hub and its history (the spokes' contacts are left as they are).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String
        @Flag(help: "Really delete.") var yes = false

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            guard yes else { throw CLIError("this deletes hub \(h.id) and its history; add --yes to go on") }
            try HubLock.exclusive(database: global.databasePath, hub: h.id) { try ctx.store.deleteHub(h.id) }
            Console.line("deleted hub \(h.id)")
        }
    }
}

extension ObjectKind: ExpressibleByArgument {}

func describe(_ o: SpokeOptions) -> [String] {
    var lines = [o.twoWay ? "two-way: the hub creates and syncs items here" : "one-way: feeds the hub only"]
    if let c = o.categorizeAs { lines.append("items the hub writes here get category '\(c)'") }
    let f = o.filter
    var crit: [String] = []
    if !f.categories.isEmpty { crit.append("category in [\(f.categories.joined(separator: ", "))]") }
    if !f.companies.isEmpty { crit.append("company in [\(f.companies.joined(separator: ", "))]") }
    if !f.emailDomains.isEmpty { crit.append("email domain in [\(f.emailDomains.joined(separator: ", "))]") }
    if f.requireEmail { crit.append("has an email") }
    if f.requirePhone { crit.append("has a phone") }
    if !crit.isEmpty { lines.append("filter: " + crit.joined(separator: " and ")) }
    for m in o.fieldMappings { lines.append("maps spoke \(m.spokeField) ↔ hub custom.\(m.hubField)") }
    if let c = o.calendar { lines += describe(calendar: c) }
    return lines
}

func timestamp(_ d: Date) -> String {
    d.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false))
}

/// Left-aligned columns.
func table(_ rows: [[String]]) -> String {
    let widths = rows.reduce(into: [Int]()) { w, row in
        for (i, cell) in row.enumerated() {
            if i >= w.count { w.append(0) }
            w[i] = max(w[i], cell.count)
        }
    }
    return rows.map { row in
        row.enumerated().map { i, c in i == row.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }.joined(separator: "\n")
}
