import ArgumentParser
import ConnectorGraph
import Foundation
import SyncModel

extension SpokeGroup {
    /// `spoke add-group`: one Microsoft 365 spoke per member mailbox of a group.
    struct AddGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-group",
            abstract: "Add a Microsoft 365 spoke for every member mailbox of a group (app-only), kept in step with its members.",
            discussion: """
                Each member gets a contacts folder HubSync creates (--folder, default "Company Directory") as a \
                two-way spoke, or one that only receives (--receive-only). Before every sync of the hub the group's members are read again: a new member \
                gets a spoke, a member who left has theirs paused (kept with its contacts, neither read nor \
                written) and resumed should they come back. The app needs the application permissions \
                User.Read.All, GroupMember.Read.All and Contacts.ReadWrite, with an admin's consent.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String
        @Option(help: "The Microsoft 365 group: its name, mail address or id.") var group: String
        @Option(help: "The contacts folder to create in each member's mailbox.") var folder = GraphFolders.defaultName
        @Flag(help: "Members' folders receive the hub's contacts only: their edits, additions and deletions there stay theirs, and the hub's next change overwrites an edit.")
        var receiveOnly = false
        @OptionGroup var google: GoogleFlags
        @OptionGroup var m365: M365Flags

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            let input = M365ClientInput.from(id: google.clientId, secret: google.clientSecret, tenant: m365.tenant,
                                             authority: m365.authorityUrl, graph: m365.graphUrl)
            guard let lock = try HubLock(database: global.databasePath, hub: h.id.rawValue) else {
                throw CLIError("hub \(h.id) is being synced by another process; try again when it is done")
            }
            let outcome = try await cliSetup { try await GroupMailboxes.add(hub: h, group: group, app: input, folder: folder, receiveOnly: receiveOnly, ctx: ctx) }
            withExtendedLifetime(lock) {}
            Console.line("group \(outcome.group.displayName) (\(outcome.group.id)): \(outcome.added.count) mailbox spoke(s) added")
            for s in outcome.added { Console.line("  \(s.id): \(s.settings["m365.account"] ?? "") → \(s.settings["m365.folderName"] ?? folder)") }
            for f in outcome.failed { Console.line("  not added: \(f)") }
            Console.line("next: hubsync sync \(h.id)")
        }
    }

    /// `spoke groups`: the groups a hub follows and their spokes.
    struct Groups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the Microsoft 365 groups whose mailboxes a hub syncs.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            var rows = [["GROUP", "SPOKE", "MAILBOX", "MODE", "STATE"]]
            for s in try ctx.store.spokes(hub: h.id) where s.kind == .graph && s.settings[GroupMailboxes.groupKey] != nil {
                rows.append([s.settings[GroupMailboxes.groupNameKey] ?? "", s.id.rawValue, s.settings["m365.account"] ?? "",
                             s.settings[GroupMailboxes.receiveOnlyKey] == "true" ? "receive-only" : "two-way",
                             s.settings[GroupMailboxes.pausedKey].map { "paused: \($0)" } ?? "active"])
            }
            Console.line(rows.count == 1 ? "hub \(h.id) follows no group" : table(rows))
        }
    }
}
