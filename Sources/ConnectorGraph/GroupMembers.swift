import ConnectorHTTP
import ConnectorKit
import Foundation

/// A Microsoft 365 group, as the "mailboxes of a group" action finds it.
public struct GraphGroupInfo: Sendable, Hashable {
    public var id: String
    public var displayName: String
    public var mail: String?
    public init(id: String, displayName: String, mail: String? = nil) {
        self.id = id
        self.displayName = displayName
        self.mail = mail
    }
}

/// A member of a group who has a mailbox to sync (`GroupMember.Read.All`).
public struct GraphMember: Sendable, Hashable {
    /// The user's object id: what a member spoke's `/users/{id}` names (it survives renames).
    public var id: String
    public var mail: String
    public var displayName: String?
    public init(id: String, mail: String, displayName: String? = nil) {
        self.id = id
        self.mail = mail
        self.displayName = displayName
    }
}

/// Groups and their members, app-only: reads only, for setting up and refreshing member spokes.
public enum GraphGroups {
    /// The group with this id, or else the one of this display name (case-insensitive).
    public static func find(_ nameOrID: String, _ settings: GraphSettings, http: HTTPClient) async throws -> GraphGroupInfo {
        let api = GraphAPI(http: http, settings: settings)
        let wanted = nameOrID.trimmingCharacters(in: .whitespaces)
        do {
            if UUID(uuidString: wanted) != nil {
                do {
                    let o = try GraphAPI.decode(JSONObject.self, try await api.get(api.url("groups/" + GraphSettings.segment(wanted),
                        [("$select", "id,displayName,mail")])), "group")
                    if let g = group(o) { return g }
                } catch let f as GraphAPI.Failure where f.status == 404 {}
            }
            let all = try await pages(api, api.url("groups", [("$select", "id,displayName,mail"), ("$top", "999")]))
                .compactMap(group)
            let named = all.filter { $0.displayName.caseInsensitiveCompare(wanted) == .orderedSame || $0.mail?.lowercased() == wanted.lowercased() }
            guard named.count == 1, let g = named.first else {
                throw ConnectorError(.misconfigured, named.isEmpty
                    ? "no group '\(wanted)' in the tenant" + (all.isEmpty ? "" : " (groups: \(all.prefix(10).map(\.displayName).joined(separator: ", ")))")
                    : "\(named.count) groups are named '\(wanted)': give the group's id")
            }
            return g
        } catch let f as GraphAPI.Failure {
            throw f.status == 403
                ? ConnectorError(.unauthorized, "Microsoft Graph refused to read the groups: the app needs GroupMember.Read.All, with admin consent")
                : f.connectorError
        }
    }

    /// The group's members that are users with a mailbox address, enabled, not guests; members
    /// of nested groups too (a security or distribution group may hold groups), each once.
    public static func members(of groupID: String, _ settings: GraphSettings, http: HTTPClient) async throws -> [GraphMember] {
        let api = GraphAPI(http: http, settings: settings)
        do {
            let path = "groups/" + GraphSettings.segment(groupID) + "/transitiveMembers/microsoft.graph.user"
            let all = try await pages(api, api.url(path, [
                ("$select", "id,displayName,mail,userPrincipalName,accountEnabled,userType"), ("$top", "999"),
            ]))
            var seen: Set<String> = []
            return all.compactMap { o in
                // The cast leaves users only; a server that ignored it could send devices or groups.
                if let type = o["@odata.type"]?.text, type != "#microsoft.graph.user" { return nil }
                guard let id = o["id"]?.text, DirectoryMapping.skip(o, excluding: []) == nil, let mail = o["mail"]?.text,
                    seen.insert(id.lowercased()).inserted
                else { return nil }
                return GraphMember(id: id, mail: mail, displayName: o["displayName"]?.text)
            }
        } catch let f as GraphAPI.Failure {
            throw f.status == 403
                ? ConnectorError(.unauthorized, "Microsoft Graph refused to read the group's members: the app needs GroupMember.Read.All, with admin consent")
                : f.connectorError
        }
    }

    static func group(_ o: JSONObject) -> GraphGroupInfo? {
        guard let id = o["id"]?.text else { return nil }
        return GraphGroupInfo(id: id, displayName: o["displayName"]?.text ?? id, mail: o["mail"]?.text)
    }

    private static func pages(_ api: GraphAPI, _ first: URL) async throws -> [JSONObject] {
        try await api.pages(from: first, "groups", limit: 500)
    }
}
