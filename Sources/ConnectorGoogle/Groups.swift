import ConnectorHTTP
import ConnectorKit
import Foundation
import SyncModel

/// The account's own contact groups (categories), read once per spoke and created on demand.
actor Groups {
    private var byName: [String: String]?  // category key → resource name
    private var names: [String: String] = [:]  // resource name → name

    struct Group: Codable { var resourceName: String?; var name: String?; var groupType: String? }
    struct List: Decodable { var contactGroups: [Group]?; var nextPageToken: String? }
    struct Create: Encodable { var contactGroup: Group }

    /// Resource name → name of the user's groups.
    func names(_ api: PeopleAPI) async throws -> [String: String] {
        try await load(api)
        return names
    }

    /// Resource names for these categories, creating the groups missing.
    func ids(for categories: [String], _ api: PeopleAPI) async throws -> [String: String] {
        try await load(api)
        for category in categories where byName?[Normalize.key(category: category)] == nil {
            let data = try await api.post("v1/contactGroups", json: Create(contactGroup: Group(name: category)))
            let group = try GoogleSpoke.decode(Group.self, data, "contactGroups.create")
            if let id = group.resourceName { remember(id, group.name ?? category) }
        }
        return byName ?? [:]
    }

    private func load(_ api: PeopleAPI) async throws {
        guard byName == nil else { return }
        byName = [:]
        var pageToken: String?
        repeat {
            var query = [("pageSize", "1000")]
            if let pageToken { query.append(("pageToken", pageToken)) }
            let page = try GoogleSpoke.decode(List.self, try await api.get("v1/contactGroups", query), "contactGroups.list")
            // System groups (myContacts, starred…) are not categories.
            for g in page.contactGroups ?? [] where g.groupType == "USER_CONTACT_GROUP" {
                if let id = g.resourceName, let name = g.name { remember(id, name) }
            }
            pageToken = page.nextPageToken
        } while pageToken != nil
    }

    private func remember(_ id: String, _ name: String) {
        byName?[Normalize.key(category: name)] = id
        names[id] = name
    }
}
