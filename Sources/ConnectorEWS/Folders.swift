import ConnectorHTTP
import ConnectorKit
import ConnectorXML
import Foundation

/// A contacts folder of the mailbox, as the user picks it.
public struct EWSFolder: Sendable, Hashable {
    public var id: String
    public var name: String
    /// "Contacts/Customers" for a subfolder.
    public var path: String
    public var count: Int?
    public var isDefault: Bool
    /// The account may read but not write here (a public folder's or a delegate's permission):
    /// changes from the hub will be refused item by item.
    public var readOnly = false
}

public enum EWSMailbox {
    static let shape = "<m:FolderShape><t:BaseShape>Default</t:BaseShape><t:AdditionalProperties>"
        + #"<t:FieldURI FieldURI="folder:ParentFolderId"/><t:FieldURI FieldURI="folder:FolderClass"/>"#
        + #"<t:FieldURI FieldURI="folder:ChildFolderCount"/><t:FieldURI FieldURI="folder:EffectiveRights"/>"#
        + "</t:AdditionalProperties></m:FolderShape>"

    /// The default Contacts folder and every contacts folder below it (for a public folder
    /// source: every contacts folder of the tree the account sees). The first call a new spoke
    /// makes, so its errors say which setting is wrong.
    public static func contactFolders(
        url: URL, version: ExchangeVersion, source: EWSSource = .userMailbox, http: ConnectorHTTPClient
    ) async throws -> [EWSFolder] {
        let session = EWSSession(http: http, url: url, version: version, source: source)
        if source == .publicFolder { return try await publicContactFolders(session) }
        let root = session.folderXML(nil)
        let top = try await session.call("<m:GetFolder>\(shape)<m:FolderIds>\(root)</m:FolderIds></m:GetFolder>")
        guard let m = top.first, m.success, let node = m.node.child(.m("Folders"))?.children.first,
            let defaultFolder = folder(node, path: nil, isDefault: true)
        else {
            if let m = top.first, let refused = AccessWords.refusal(m.code, m.text, source: source) { throw refused }
            throw ConnectorError(.misconfigured, "the mailbox has no Contacts folder we can open (\(top.first?.errorText ?? "no answer"))")
        }
        let below = try await session.call(
            #"<m:FindFolder Traversal="Deep">\#(shape)<m:ParentFolderIds>\#(root)</m:ParentFolderIds></m:FindFolder>"#)
        var byID: [String: (node: XMLTree, parent: String?)] = [:]
        var order: [String] = []
        for node in below.first?.node.child(.m("RootFolder"))?.child(.t("Folders"))?.children ?? [] {
            guard let id = node.child(.t("FolderId"))?.attributes["Id"] else { continue }
            byID[id] = (node, node.child(.t("ParentFolderId"))?.attributes["Id"])
            order.append(id)
        }
        func path(_ id: String, depth: Int = 0) -> String {
            guard depth < 32, let entry = byID[id] else { return defaultFolder.name }
            let name = entry.node.value(.t("DisplayName")) ?? "?"
            return entry.parent.map { "\(path($0, depth: depth + 1))/\(name)" } ?? name
        }
        let subfolders = order.compactMap { id -> EWSFolder? in
            let node = byID[id]!.node
            // Only contacts folders: a folder of another kind cannot hold contacts.
            guard isContacts(node) else { return nil }
            return folder(node, path: path(id), isDefault: false)
        }
        return [defaultFolder] + subfolders
    }

    static func folder(_ node: XMLTree, path: String?, isDefault: Bool) -> EWSFolder? {
        guard let id = node.child(.t("FolderId"))?.attributes["Id"] else { return nil }
        let name = node.value(.t("DisplayName")) ?? "Contacts"
        var f = EWSFolder(id: id, name: name, path: path ?? name, count: node.value(.t("TotalCount")).flatMap { Int($0) },
                          isDefault: isDefault)
        f.readOnly = node.child(.t("EffectiveRights"))?.value(.t("CreateContents")) == "false"
        return f
    }

    static func isContacts(_ node: XMLTree) -> Bool {
        node.name == .t("ContactsFolder") || node.value(.t("FolderClass"))?.hasPrefix("IPF.Contact") == true
    }
}
