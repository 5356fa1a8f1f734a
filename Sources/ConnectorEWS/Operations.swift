import ConnectorXML
import Foundation

/// Request bodies of the EWS operations the spoke uses. Ids and values are escaped here.
enum Op {
    private static func esc(_ s: String) -> String { SOAP.esc(s) }

    /// What GetItem returns of a contact: everything, the body as text, our named properties.
    static let contactShape = "<m:ItemShape><t:BaseShape>AllProperties</t:BaseShape><t:BodyType>Text</t:BodyType>"
        + "<t:AdditionalProperties>\(ExtendedProperty.marker.xml)\(ExtendedProperty.prefix.xml)</t:AdditionalProperties>"
        + "</m:ItemShape>"

    static func itemID(_ id: String, _ changeKey: String? = nil) -> String {
        #"<t:ItemId Id="\#(esc(id))"\#(changeKey.map { #" ChangeKey="\#(esc($0))""# } ?? "")/>"#
    }

    static func syncFolderItems(folder: String, state: String?, max: Int) -> String {
        "<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
            + "<m:SyncFolderId>\(folder)</m:SyncFolderId>"
            + (state.map { "<m:SyncState>\(esc($0))</m:SyncState>" } ?? "")
            + "<m:MaxChangesReturned>\(max)</m:MaxChangesReturned></m:SyncFolderItems>"
    }

    static func getItem(_ ids: [String]) -> String {
        "<m:GetItem>\(contactShape)<m:ItemIds>\(ids.map { itemID($0) }.joined())</m:ItemIds></m:GetItem>"
    }

    /// Only ids and change keys: what a delete checks before it goes.
    static func getChangeKeys(_ ids: [String]) -> String {
        "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"
            + "<m:ItemIds>\(ids.map { itemID($0) }.joined())</m:ItemIds></m:GetItem>"
    }

    static func createItems(folder: String, _ contacts: [String]) -> String {
        "<m:CreateItem><m:SavedItemFolderId>\(folder)</m:SavedItemFolderId><m:Items>\(contacts.joined())</m:Items></m:CreateItem>"
    }

    /// NeverOverwrite: a change key that moved is a conflict for the engine to merge, never a
    /// silent overwrite of another client's edit.
    static func updateItems(_ changes: [(id: String, changeKey: String?, updates: String)]) -> String {
        let anyUnversioned = changes.contains { $0.changeKey == nil }
        let policy = anyUnversioned ? "AlwaysOverwrite" : "NeverOverwrite"
        let items = changes.map { "<t:ItemChange>\(itemID($0.id, $0.changeKey))<t:Updates>\($0.updates)</t:Updates></t:ItemChange>" }
        return #"<m:UpdateItem ConflictResolution="\#(policy)"><m:ItemChanges>\#(items.joined())</m:ItemChanges></m:UpdateItem>"#
    }

    static func deleteItems(_ ids: [String]) -> String {
        #"<m:DeleteItem DeleteType="MoveToDeletedItems"><m:ItemIds>\#(ids.map { itemID($0) }.joined())</m:ItemIds></m:DeleteItem>"#
    }

    /// The item carrying a create marker, if a create got that far.
    static func findMarker(folder: String, marker: String) -> String {
        #"<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>"#
            + #"<m:IndexedPageItemView MaxEntriesReturned="2" Offset="0" BasePoint="Beginning"/>"#
            + "<m:Restriction><t:IsEqualTo>\(ExtendedProperty.marker.xml)"
            + "<t:FieldURIOrConstant><t:Constant Value=\"\(esc(marker))\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
            + "<m:ParentFolderIds>\(folder)</m:ParentFolderIds></m:FindItem>"
    }

    static func getAttachments(_ ids: [String]) -> String {
        "<m:GetAttachment><m:AttachmentIds>\(ids.map { #"<t:AttachmentId Id="\#(esc($0))"/>"# }.joined())</m:AttachmentIds></m:GetAttachment>"
    }

    static func createPhoto(item: String, changeKey: String?, data: Data, mediaType: String) -> String {
        let ext = mediaType.contains("png") ? "png" : "jpg"
        return "<m:CreateAttachment><m:ParentItemId Id=\"\(esc(item))\"\(changeKey.map { " ChangeKey=\"\(esc($0))\"" } ?? "")/>"
            + "<m:Attachments><t:FileAttachment><t:Name>ContactPicture.\(ext)</t:Name><t:ContentType>\(esc(mediaType))</t:ContentType>"
            + "<t:IsContactPhoto>true</t:IsContactPhoto><t:Content>\(data.base64EncodedString())</t:Content>"
            + "</t:FileAttachment></m:Attachments></m:CreateAttachment>"
    }

    static func deleteAttachment(_ id: String) -> String {
        #"<m:DeleteAttachment><m:AttachmentIds><t:AttachmentId Id="\#(esc(id))"/></m:AttachmentIds></m:DeleteAttachment>"#
    }
}

extension ResponseMessage {
    /// The `t:` items of a GetItem/CreateItem/FindItem answer.
    var items: [XMLTree] {
        node.child(.m("Items"))?.children ?? node.child(.m("RootFolder"))?.child(.t("Items"))?.children ?? []
    }
}
