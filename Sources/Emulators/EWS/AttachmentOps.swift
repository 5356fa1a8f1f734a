import Foundation

enum AttachmentXML {
    static func render(_ a: StoredAttachment, content: Bool, into w: inout XMLWriter) {
        w.element("t:FileAttachment") { w in
            w.empty("t:AttachmentId", [("Id", a.id)])
            w.leaf("t:Name", a.name)
            w.leaf("t:ContentType", a.contentType)
            w.leaf("t:ContentId", a.contentID)
            w.leaf("t:Size", "\(a.content.count)")
            w.leaf("t:LastModifiedTime", EWSDate.format(a.lastModified))
            w.leaf("t:IsInline", a.isInline ? "true" : "false")
            w.leaf("t:IsContactPhoto", a.isContactPhoto ? "true" : "false")
            if content { w.leaf("t:Content", Data(a.content).base64EncodedString()) }
        }
    }
}

/// CreateAttachment / GetAttachment / DeleteAttachment for file attachments (contact photos).
enum AttachmentOps {
    static func create(_ req: XNode, _ box: inout MailboxState) throws -> String {
        guard let parentID = req.child("ParentItemId")?.attr("Id") else { throw EWSError.invalidRequest("ParentItemId is missing.") }
        let files = req.child("Attachments")?.children ?? []
        var w = XMLWriter()
        w.response("CreateAttachment") { w in
            for file in files {
                guard EWSIds.isWellFormed(parentID) else { w.failure("CreateAttachment", .idMalformed) { $0.empty("m:Attachments") }; continue }
                guard let parent = box.items[parentID] else { w.failure("CreateAttachment", .itemNotFound) { $0.empty("m:Attachments") }; continue }
                guard box.may(.write, folder: parent.folderID) else { w.failure("CreateAttachment", .accessDenied) { $0.empty("m:Attachments") }; continue }
                guard file.name == "FileAttachment" else {
                    w.failure("CreateAttachment", EWSError(code: "ErrorInvalidAttachmentType", text: "Only file attachments are supported.")) {
                        $0.empty("m:Attachments")
                    }
                    continue
                }
                let bytes = Data(base64Encoded: file.childText("Content") ?? "", options: .ignoreUnknownCharacters).map { [UInt8]($0) } ?? []
                let att = StoredAttachment(
                    id: EWSIds.attachmentID(mailbox: box.guid, counter: box.nextCounter()),
                    name: file.childText("Name") ?? "attachment", contentType: file.childText("ContentType") ?? "application/octet-stream",
                    content: bytes, isContactPhoto: XNode.isTrue(file.childText("IsContactPhoto")),
                    isInline: XNode.isTrue(file.childText("IsInline")), contentID: file.childText("ContentId"), lastModified: Date())
                if att.isContactPhoto {  // a contact has one photo: Exchange replaces the old one
                    box.items[parentID]!.attachments.removeAll { $0.isContactPhoto }
                }
                box.items[parentID]!.attachments.append(att)
                box.touch(parentID)
                let item = box.items[parentID]!
                w.success("CreateAttachment") { w in
                    w.element("m:Attachments") { w in
                        w.element("t:FileAttachment") { w in
                            w.empty("t:AttachmentId", [("Id", att.id), ("RootItemId", item.id), ("RootItemChangeKey", item.changeKey)])
                        }
                    }
                }
            }
        }
        return w.output
    }

    static func find(_ id: String, in box: MailboxState) -> (String, StoredAttachment)? {
        for item in box.items.values {
            if let a = item.attachments.first(where: { $0.id == id }) { return (item.id, a) }
        }
        return nil
    }

    static func get(_ req: XNode, _ box: inout MailboxState) -> String {
        let ids = req.child("AttachmentIds")?.all("AttachmentId").compactMap { $0.attr("Id") } ?? []
        var w = XMLWriter()
        w.response("GetAttachment") { w in
            for id in ids {
                guard let (itemID, a) = find(id, in: box), box.may(.read, folder: box.items[itemID]!.folderID) else {
                    w.failure("GetAttachment", EWSIds.isWellFormed(id) ? .attachmentNotFound : .idMalformed) { $0.empty("m:Attachments") }
                    continue
                }
                w.success("GetAttachment") { w in
                    w.element("m:Attachments") { w in AttachmentXML.render(a, content: true, into: &w) }
                }
            }
        }
        return w.output
    }

    static func delete(_ req: XNode, _ box: inout MailboxState) -> String {
        let ids = req.child("AttachmentIds")?.all("AttachmentId").compactMap { $0.attr("Id") } ?? []
        var w = XMLWriter()
        w.response("DeleteAttachment") { w in
            for id in ids {
                guard let (itemID, _) = find(id, in: box) else {
                    w.failure("DeleteAttachment", EWSIds.isWellFormed(id) ? .attachmentNotFound : .idMalformed)
                    continue
                }
                guard box.may(.write, folder: box.items[itemID]!.folderID) else { w.failure("DeleteAttachment", .accessDenied); continue }
                box.items[itemID]!.attachments.removeAll { $0.id == id }
                box.touch(itemID)
                let item = box.items[itemID]!
                w.success("DeleteAttachment") { w in
                    w.empty("m:RootItemId", [("RootItemId", item.id), ("RootItemChangeKey", item.changeKey)])
                }
            }
        }
        return w.output
    }
}
