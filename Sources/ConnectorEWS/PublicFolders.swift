import ConnectorKit
import ConnectorXML
import Foundation

extension EWSMailbox {
    /// Bounds of a public folder walk: trees are shallow in practice, and each level costs a request.
    static let publicDepth = 8, publicFolderLimit = 2_000

    /// Every contacts folder of the public folder tree the account can see, by path
    /// ("Company/Partners"). EWS allows no deep traversal of public folders, so the tree is walked
    /// one shallow FindFolder per folder that has children.
    static func publicContactFolders(_ session: EWSSession) async throws -> [EWSFolder] {
        let root = session.folderXML(nil)
        let top = try await session.call("<m:GetFolder>\(shape)<m:FolderIds>\(root)</m:FolderIds></m:GetFolder>")
        guard let m = top.first, m.success, let rootNode = m.node.child(.m("Folders"))?.children.first,
            let rootID = rootNode.child(.t("FolderId"))?.attributes["Id"]
        else {
            if let m = top.first, let refused = AccessWords.refusal(m.code, m.text, source: .publicFolder) { throw refused }
            throw ConnectorError(.misconfigured, "the server offers no public folders we can open (\(top.first?.errorText ?? "no answer"))")
        }
        var found: [EWSFolder] = []
        var queue: [(id: String, path: String, depth: Int)] = [(rootID, "", 0)]
        var seen = 0
        while !queue.isEmpty {
            let parent = queue.removeFirst()
            let below = try await session.call(
                #"<m:FindFolder Traversal="Shallow">\#(shape)<m:ParentFolderIds><t:FolderId Id="\#(SOAP.esc(parent.id))"/></m:ParentFolderIds></m:FindFolder>"#)
            // A folder whose children the account may not list is skipped, as Outlook does.
            guard let list = below.first, list.success else { continue }
            for node in list.node.child(.m("RootFolder"))?.child(.t("Folders"))?.children ?? [] {
                seen += 1
                guard seen <= publicFolderLimit, let id = node.child(.t("FolderId"))?.attributes["Id"] else { continue }
                let name = node.value(.t("DisplayName")) ?? "?"
                let path = parent.path.isEmpty ? name : "\(parent.path)/\(name)"
                if isContacts(node), let f = folder(node, path: path, isDefault: false) { found.append(f) }
                if (node.value(.t("ChildFolderCount")).flatMap { Int($0) } ?? 1) > 0, parent.depth + 1 < publicDepth {
                    queue.append((id, path, parent.depth + 1))
                }
            }
        }
        guard !found.isEmpty else {
            throw ConnectorError(.misconfigured, "no contacts folder in the public folders this account can see")
        }
        // In tree order, as Outlook shows them.
        return found.sorted { $0.path.localizedStandardCompare($1.path) == .orderedAscending }
    }
}
