import ConnectorGraph
import ConnectorHTTP
import Foundation
import HubServer
import Logging
import Secrets
import SyncModel
import SyncStore

/// "The mailboxes of a group": one app-only Microsoft 365 spoke per member mailbox of a group,
/// each syncing a contacts folder HubSync creates ("Company Directory"), kept in step with the
/// group's members before every sync.
///
/// Where the state lives: in the member spokes' own settings (`m365.group`, the group's id,
/// with its name, the folder name and the app's sealed secret), so it survives restarts, needs
/// no new table, and goes with a spoke when it is removed. A group is remembered as long as one
/// of its spokes is (a removed member's spoke is paused, not removed, so that is until the
/// admin removes them all).
///
/// A member who leaves: their spoke is **paused**, not deleted: its links, cursor and the
/// contacts in their folder stay, nothing is written to or read from the mailbox, and if they
/// come back it goes on from where it stopped, with nothing re-matched. (Deleting the spoke
/// would leave the contacts in the mailbox without anyone to keep them up to date; removing
/// them from a mailbox whose owner may have left the company is a decision for an admin.)
enum GroupMailboxes {
    static let groupKey = "m365.group"
    static let groupNameKey = "m365.groupName"
    static let folderKey = "m365.groupFolder"
    /// Present while the spoke is paused: why, and since when.
    static let pausedKey = "m365.paused"
    /// "true": the member's folder receives the hub's contacts and gives nothing back.
    static let receiveOnlyKey = "m365.receiveOnly"

    /// What a refresh does to the hub's spokes for one group.
    struct Plan: Equatable, Sendable {
        var add: [GraphMember] = []
        var pause: [SpokeID] = []
        var resume: [SpokeID] = []
        var isEmpty: Bool { add.isEmpty && pause.isEmpty && resume.isEmpty }
    }

    /// Pure: the group's spokes against its members now. A member whose mailbox some other spoke
    /// of the hub already syncs gets none (one mailbox, one spoke). A listing of no members
    /// pauses nobody: like an empty listing of contacts, it is more likely a glitch than
    /// everybody leaving at once.
    static func plan(group: String, members: [GraphMember], spokes: [SpokeConfig]) -> Plan {
        var plan = Plan()
        let mine = spokes.filter { $0.kind == .graph && $0.settings[groupKey] == group }
        let ids = Set(members.map { $0.id.lowercased() })
        let synced = Set(spokes.filter { $0.kind == .graph }.flatMap { s in
            [s.settings["m365.mailbox"], s.settings["m365.account"]].compactMap { $0?.lowercased() }
        })
        plan.add = members.filter { !synced.contains($0.id.lowercased()) && !synced.contains($0.mail.lowercased()) }
        for s in mine {
            let member = s.settings["m365.mailbox"].map { ids.contains($0.lowercased()) } ?? false
            let paused = s.settings[pausedKey] != nil
            if member && paused { plan.resume.append(s.id) }
            if !member && !paused && !members.isEmpty { plan.pause.append(s.id) }
        }
        return plan
    }

    /// What adding or refreshing a group did.
    struct Outcome: Sendable {
        var group: GraphGroupInfo
        var added: [SpokeConfig] = []
        var paused: [SpokeID] = []
        var resumed: [SpokeID] = []
        var failed: [String] = []
    }

    /// The settings every spoke of the group shares (app, endpoints, group, folder name).
    static func shared(
        _ app: GraphSettings, group: GraphGroupInfo, folder: String, receiveOnly: Bool, secrets: SecretBox
    ) throws -> [String: String] {
        var s = try M365App.keys(app, secrets: secrets)
        s.merge([groupKey: group.id, groupNameKey: group.displayName, folderKey: folder]) { _, group in group }
        if receiveOnly { s[receiveOnlyKey] = "true" }
        return s
    }

    /// The options of a new member spoke: the hub writes there (receive-only or not is the
    /// connector's business, `receiveOnlyKey`), with the office carried to Outlook's Office box
    /// (the hub field the directory fills).
    static func options() -> SpokeOptions {
        SpokeOptions(twoWay: true, fieldMappings: [
            FieldMapping(spokeField: .custom("OfficeLocation"), hubField: SpokeKind.officeHubField)
        ])
    }

    /// Adds the group to the hub: a spoke per member mailbox (folder created), then the same as
    /// a refresh would do for members already synced.
    static func add(
        hub: HubConfig, group nameOrID: String, app input: M365ClientInput, folder: String = GraphFolders.defaultName,
        receiveOnly: Bool = false, ctx: Context, retry: RetryPolicy = RetryPolicy()
    ) async throws -> Outcome {
        guard input.tenant != nil else { throw SetupError(field: "tenant", "The group's mailboxes need the tenant (its id or domain).") }
        guard input.clientSecret != nil else {
            throw SetupError(field: "clientSecret", "The group's mailboxes need the app's client secret (app-only access).")
        }
        let trimmed = folder.trimmingCharacters(in: .whitespaces)
        let folder = trimmed.isEmpty ? GraphFolders.defaultName : trimmed
        let app = try input.settings(mailbox: nil)
        let http = DirectorySetup.http(app, retry: retry, logger: ctx.logger)
        let group = try await GraphGroups.find(nameOrID, app, http: http)
        let members = try await GraphGroups.members(of: group.id, app, http: http)
        guard !members.isEmpty else {
            throw SetupError(field: "group", "The group \(group.displayName) has no member with a mailbox (guests and disabled accounts do not count).")
        }
        try adopt(group: group.id, name: group.displayName, receiveOnly: receiveOnly, hub: hub.id, store: ctx.store)
        let common = try Self.shared(app, group: group, folder: folder, receiveOnly: receiveOnly, secrets: ctx.secrets())
        return try await apply(hub: hub, group: group, members: members, app: app, shared: common,
                               options: Self.options(), ctx: ctx, retry: retry)
    }

    /// Before a pass: for each group of the hub, re-read its members; a spoke for each new one,
    /// a pause for each who left, a resume for each who came back. A group whose members cannot
    /// be read is left as it is (said in the outcome), and the pass goes on.
    static func refresh(hub: HubID, ctx: Context, retry: RetryPolicy = RetryPolicy()) async -> [Outcome] {
        guard let spokes = try? ctx.store.spokes(hub: hub), let hubConfig = try? ctx.store.hub(hub) else { return [] }
        var groups: [String: SpokeConfig] = [:]
        for s in spokes where s.kind == .graph {
            guard let g = s.settings[groupKey] else { continue }
            // The newest active spoke's settings stand for the group (its options, its secret).
            if groups[g] == nil || groups[g]!.settings[pausedKey] != nil { groups[g] = s }
        }
        var outcomes: [Outcome] = []
        for (id, template) in groups.sorted(by: { $0.key < $1.key }) {
            let info = GraphGroupInfo(id: id, displayName: template.settings[groupNameKey] ?? id, mail: nil)
            do {
                let app = try DirectorySetup.appSettings(template.settings, secrets: ctx.secrets)
                let http = DirectorySetup.http(app, kept: template.settings, box: try ctx.secrets(), retry: retry, logger: ctx.logger,
                                               store: ctx.settingSaver(template))
                let members = try await GraphGroups.members(of: id, app, http: http)
                var shared = template.settings.filter { $0.key.hasPrefix("m365.") }
                for k in ["m365.mailbox", "m365.account", "m365.folder", "m365.folderName", pausedKey, "m365.refreshToken"] {
                    shared[k] = nil
                }
                outcomes.append(try await apply(hub: hubConfig, group: info, members: members, app: app, shared: shared,
                                                options: template.options, ctx: ctx, retry: retry))
            } catch {
                var o = Outcome(group: info)
                o.failed.append("cannot read the members of group \(info.displayName): \(error)")
                ctx.logger.warning("group members not refreshed", metadata: ["hub": "\(hub)", "group": "\(id)", "error": "\(error)"])
                outcomes.append(o)
            }
        }
        return outcomes
    }

    private static func apply(
        hub: HubConfig, group: GraphGroupInfo, members: [GraphMember], app: GraphSettings, shared: [String: String],
        options: SpokeOptions, ctx: Context, retry: RetryPolicy
    ) async throws -> Outcome {
        var outcome = Outcome(group: group)
        var spokes = try ctx.store.spokes(hub: hub.id)
        let plan = Self.plan(group: group.id, members: members, spokes: spokes)
        let folder = shared[folderKey] ?? GraphFolders.defaultName
        let now = ISO8601DateFormatter().string(from: Date())
        for id in plan.pause {
            guard var s = spokes.first(where: { $0.id == id }) else { continue }
            s.settings[pausedKey] = "left the group \(group.displayName) (\(now))"
            try ctx.store.saveSpoke(s)
            outcome.paused.append(id)
        }
        for id in plan.resume {
            guard var s = spokes.first(where: { $0.id == id }) else { continue }
            s.settings[pausedKey] = nil
            try ctx.store.saveSpoke(s)
            outcome.resumed.append(id)
        }
        for member in plan.add {
            do {
                var mailbox = app
                mailbox.mailbox = member.id
                // The member's folder, made (or found, when it is there already) in their mailbox.
                let made = try await M365Setup.settings(mailbox, tokens: nil, folder: nil, createFolder: folder,
                                                        secrets: ctx.secrets(), retry: retry)
                var settings = shared.merging(made.settings) { _, new in new }
                settings["m365.account"] = member.mail
                let spoke = SpokeConfig(
                    id: uniqueID(member.mail, in: spokes), hub: hub.id, name: uniqueName(member.mail, in: spokes), kind: .graph,
                    position: (spokes.map(\.position).max() ?? -1) + 1, options: options, settings: settings)
                try ctx.store.saveSpoke(spoke)
                spokes.append(spoke)
                outcome.added.append(spoke)
            } catch {
                // One mailbox that cannot be reached (no licence, no mailbox yet) stops no other;
                // the next refresh tries it again.
                outcome.failed.append("\(member.mail): \(error)")
            }
        }
        return outcome
    }

    static func uniqueName(_ base: String, in spokes: [SpokeConfig]) -> String {
        var name = base
        var n = 2
        while spokes.contains(where: { $0.name == name || $0.id == SpokeID(slugOf: name) }) {
            name = "\(base) (\(n))"
            n += 1
        }
        return name
    }

    static func uniqueID(_ base: String, in spokes: [SpokeConfig]) -> SpokeID { SpokeID(slugOf: uniqueName(base, in: spokes)) }
}

extension GroupMailboxes {
    /// A refresh's outcome on the terminal (nothing when nothing changed).
    static func report(_ o: Outcome) {
        for s in o.added { Console.line("group \(o.group.displayName): \(s.settings["m365.account"] ?? s.name) joined, spoke \(s.id) added") }
        for id in o.paused { Console.line("group \(o.group.displayName): spoke \(id) paused (its mailbox left the group)") }
        for id in o.resumed { Console.line("group \(o.group.displayName): spoke \(id) resumed") }
        for f in o.failed { Console.line("group \(o.group.displayName): \(f)") }
    }
}
