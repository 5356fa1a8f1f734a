import ArgumentParser
import Foundation
import HubServer
import SyncModel

extension GroupMailboxes.Leaving: ExpressibleByArgument {}

extension SpokeGroup {
    /// `spoke remove-group`: the hub stops following a group.
    struct RemoveGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove-group",
            abstract: "Stop following a Microsoft 365 group: its member spokes are paused (default) or removed.",
            discussion: """
                The hub keeps every contact the members' mailboxes brought, and nothing in the mailboxes is \
                touched. Paused spokes keep their links and can be removed later with `spoke remove`; adding \
                the group again takes them back.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String
        @Option(help: "The group: its name or id, as `spoke groups` lists it.") var group: String
        @Option(help: "What becomes of the member spokes: pause or remove.") var spokes: GroupMailboxes.Leaving = .pause

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            let (name, ids) = try HubLock.exclusive(database: global.databasePath, hub: h.id) {
                try plainSetup { try GroupMailboxes.stopFollowing(hub: h.id, group: group, leaving: spokes, store: ctx.store) }
            }
            Console.line("hub \(h.id) no longer follows group \(name): \(ids.count) spoke(s) \(spokes == .pause ? "paused" : "removed")"
                + (ids.isEmpty ? "" : " (\(ids.map(\.rawValue).joined(separator: ", ")))"))
        }
    }

    /// `spoke group-mode`: a followed group's mailboxes two-way or receive-only.
    struct GroupMode: AsyncParsableCommand {
        enum Mode: String, ExpressibleByArgument, CaseIterable {
            case twoWay = "two-way"
            case receiveOnly = "receive-only"
        }
        static let configuration = CommandConfiguration(
            commandName: "group-mode",
            abstract: "Switch the mailboxes of a followed Microsoft 365 group between two-way and receive-only.",
            discussion: """
                receive-only: members' edits, additions and deletions in their folder stay theirs, and the \
                hub's next change overwrites an edit. Members who join later get the same mode.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String
        @Option(help: "The group: its name or id, as `spoke groups` lists it.") var group: String
        @Argument(help: "two-way or receive-only.") var mode: Mode

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            let changed = try HubLock.exclusive(database: global.databasePath, hub: h.id) {
                try plainSetup { try GroupMailboxes.setMode(hub: h.id, group: group, receiveOnly: mode == .receiveOnly, store: ctx.store) }
            }
            Console.line("group \(group): \(changed.count) mailbox spoke(s) now \(mode.rawValue)")
        }
    }
}

/// A setup step without I/O: its `SetupError` in the CLI's words.
private func plainSetup<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as SetupError { throw CLIError(e.message) }
}
