import Foundation
import HubServer
import SyncModel
import SyncStore

/// Stopping to follow a group, and switching its mailboxes between two-way and receive-only.
/// Both change only spoke settings (or remove spokes), under the hub's lock, taken by the caller.
extension GroupMailboxes {
    /// Set on a spoke whose group is no longer followed: adding that group again adopts it.
    static let formerGroupKey = "m365.formerGroup"

    /// What happens to the member spokes of a group no longer followed. Either way the hub keeps
    /// every contact they brought, and nothing in the mailboxes is touched.
    enum Leaving: String, CaseIterable, Sendable {
        /// Kept, paused: links, cursor and settings stay; `spoke remove` ends them later.
        case pause
        /// Removed, as `spoke remove` does.
        case remove
    }

    /// A group the hub follows, by id or name (case-insensitive), as its spokes remember it.
    static func followed(_ ref: String, in spokes: [SpokeConfig]) throws -> (id: String, name: String, spokes: [SpokeConfig]) {
        let wanted = ref.trimmingCharacters(in: .whitespaces).lowercased()
        let members = spokes.filter { $0.kind == .graph && $0.settings[groupKey] != nil }
        var ids = Set(members.compactMap { s in s.settings[groupKey].flatMap { $0.lowercased() == wanted ? $0 : nil } })
        if ids.isEmpty {
            ids = Set(members.compactMap { s in s.settings[groupNameKey]?.lowercased() == wanted ? s.settings[groupKey] : nil })
        }
        guard ids.count == 1, let id = ids.first else {
            let known = Set(members.compactMap { $0.settings[groupNameKey] }).sorted()
            throw SetupError(field: "group", ids.isEmpty
                ? "the hub follows no group '\(ref)'" + (known.isEmpty ? "" : " (it follows: \(known.joined(separator: ", ")))")
                : "\(ids.count) groups the hub follows are named '\(ref)': give the group's id")
        }
        let mine = members.filter { $0.settings[groupKey] == id }
        return (id, mine.first?.settings[groupNameKey] ?? id, mine)
    }

    /// Stops following the group: its spokes are no longer refreshed from its members, and are
    /// paused or removed. Returns the group's name and the spokes paused or removed.
    static func stopFollowing(hub: HubID, group ref: String, leaving: Leaving, store: any SyncStore) throws
        -> (name: String, spokes: [SpokeID])
    {
        let (id, name, mine) = try followed(ref, in: try store.spokes(hub: hub))
        let now = ISO8601DateFormatter().string(from: Date())
        for var s in mine {
            switch leaving {
            case .pause:
                s.settings[groupKey] = nil
                s.settings[formerGroupKey] = id
                s.settings[pausedKey] = s.settings[pausedKey] ?? "the group \(name) is no longer followed (\(now))"
                try store.saveSpoke(s)
            case .remove:
                try store.deleteSpoke(s.id, hub: hub)
            }
        }
        return (name, mine.map(\.id))
    }

    /// Switches every spoke of the group (paused ones too) to receive-only or two-way; a member
    /// who joins later gets the same. Returns the spokes changed.
    static func setMode(hub: HubID, group ref: String, receiveOnly: Bool, store: any SyncStore) throws -> [SpokeID] {
        let (_, _, mine) = try followed(ref, in: try store.spokes(hub: hub))
        var changed: [SpokeID] = []
        for var s in mine where (s.settings[receiveOnlyKey] == "true") != receiveOnly {
            s.settings[receiveOnlyKey] = receiveOnly ? "true" : nil
            try store.saveSpoke(s)
            changed.append(s.id)
        }
        return changed
    }

    /// Adding a group again takes back the spokes it left paused (`formerGroupKey`), in the mode
    /// asked now, so a member's mailbox goes on from where it stopped rather than being skipped
    /// as synced by another spoke.
    static func adopt(group id: String, name: String, receiveOnly: Bool, hub: HubID, store: any SyncStore) throws {
        for var s in try store.spokes(hub: hub) where s.kind == .graph && s.settings[formerGroupKey] == id {
            s.settings[formerGroupKey] = nil
            s.settings[groupKey] = id
            s.settings[groupNameKey] = name
            s.settings[receiveOnlyKey] = receiveOnly ? "true" : nil
            try store.saveSpoke(s)
        }
    }
}
