import ConnectorHTTP
import ConnectorKit
import Foundation

/// A contacts folder of a mailbox: the default one or one below it.
public struct GraphFolder: Sendable, Hashable {
    /// The default folder's id is known only when Graph tells it (nil: an empty mailbox); a
    /// spoke syncs the default folder as `/contacts` either way.
    public var id: String?
    public var name: String
    /// "Contacts/Clients/Europe".
    public var path: String
    public var isDefault: Bool

    public init(id: String?, name: String, path: String, isDefault: Bool = false) {
        self.id = id
        self.name = name
        self.path = path
        self.isDefault = isDefault
    }
}

/// The mailbox's contacts folders, found and created for setup.
public enum GraphFolders {
    /// The folder HubSync creates when asked for its own (the company directory scenario).
    public static let defaultName = "Company Directory"
    static let defaultPath = "Contacts"

    /// The default folder, then every folder below it (three levels deep), by path. The default
    /// folder's id is the `parentFolderId` of the folders right below it, or else of a contact
    /// in it (Graph has no other way to name it); nil when the mailbox has neither.
    public static func list(_ settings: GraphSettings, http: HTTPClient) async throws -> [GraphFolder] {
        let api = GraphAPI(http: http, settings: settings)
        var out = [GraphFolder(id: nil, name: defaultPath, path: defaultPath, isDefault: true)]
        var level = [(path: settings.root + "/contactFolders", parent: defaultPath)]
        for depth in 0..<3 where !level.isEmpty {
            var below: [(path: String, parent: String)] = []
            for (path, parent) in level {
                for o in try await all(api, api.url(path, [("$top", "100"), ("$select", "id,displayName,parentFolderId")])) {
                    guard let id = o["id"]?.string else { continue }
                    if depth == 0, out[0].id == nil { out[0].id = o["parentFolderId"]?.string }
                    let name = o["displayName"]?.text ?? id
                    out.append(GraphFolder(id: id, name: name, path: parent + "/" + name))
                    below.append((settings.root + "/contactFolders/" + GraphSettings.segment(id) + "/childFolders", parent + "/" + name))
                }
            }
            level = below
        }
        if out[0].id == nil { out[0].id = try await defaultFolderID(api, settings) }
        return out
    }

    /// The default folder's id from one of its contacts (a mailbox without subfolders).
    private static func defaultFolderID(_ api: GraphAPI, _ settings: GraphSettings) async throws -> String? {
        do {
            let page = try GraphAPI.decode(GraphAPI.Page.self, try await api.get(api.url(settings.root + "/contacts", [
                ("$top", "1"), ("$select", "parentFolderId"),
            ])), "contacts")
            return page.value?.first?["parentFolderId"]?.string
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    /// A folder by id, path ("Contacts/Clients") or name, case-insensitively; nil: the default.
    public static func pick(_ wanted: String?, in folders: [GraphFolder]) -> GraphFolder? {
        guard let wanted = wanted?.trimmingCharacters(in: .whitespaces), !wanted.isEmpty else { return folders.first(where: \.isDefault) }
        if let f = folders.first(where: { $0.id == wanted }) { return f }
        let w = wanted.trimmingCharacters(in: CharacterSet(charactersIn: "/")).lowercased()
        return folders.first { $0.path.lowercased() == w || $0.path.lowercased() == "contacts/" + w }
            ?? folders.first { $0.name.lowercased() == w }
    }

    /// Creates a folder below the default one (or finds the one of that name already there).
    public static func create(named name: String, _ settings: GraphSettings, http: HTTPClient) async throws -> GraphFolder {
        if let there = pick(name, in: try await list(settings, http: http)), !there.isDefault { return there }
        let api = GraphAPI(http: http, settings: settings)
        do {
            let data = try await api.json(.post, api.url(settings.root + "/contactFolders"), ["displayName": name])
            let o = try GraphAPI.decode(JSONObject.self, data, "create folder")
            guard let id = o["id"]?.string else { throw ConnectorError(.protocolViolation, "Graph made the folder but gave no id") }
            return GraphFolder(id: id, name: name, path: defaultPath + "/" + name)
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }

    /// Who the sign-in reached (`/me` or the mailbox): to show which account a spoke syncs.
    /// Best effort: nil when Graph does not say.
    public static func account(_ settings: GraphSettings, http: HTTPClient) async -> String? {
        let api = GraphAPI(http: http, settings: settings)
        guard let data = try? await api.get(api.url(settings.root, [("$select", "mail,userPrincipalName")])),
            let o = try? BoundedJSON.decode(JSONObject.self, from: data)
        else { return nil }
        return o["mail"]?.text ?? o["userPrincipalName"]?.text
    }

    private static func all(_ api: GraphAPI, _ first: URL) async throws -> [JSONObject] {
        do {
            return try await api.pages(from: first, "contact folders", limit: 50)
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }
}
