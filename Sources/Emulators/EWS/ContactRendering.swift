/// Writes `<t:Contact>` in the element order of Exchange's ContactItemType.
enum ContactRendering {
    static func itemID(_ item: StoredItem, _ w: inout XMLWriter) {
        w.empty("t:ItemId", [("Id", item.id), ("ChangeKey", item.changeKey)])
    }

    static func render(_ item: StoredItem, _ s: PropertySelection, version: ExchangeVersion, forFind: Bool = false,
                       into output: inout XMLWriter) {
        var w = XMLWriter()
        defer { output.raw("<t:Contact>" + w.output + "</t:Contact>") }
        let c = item.contact
        let is2013 = version != .exchange2010SP2
        func wants(_ e: String) -> Bool { s.wants(e) && !(forFind && PropertySelection.complex.contains(e)) }
        func leaf(_ e: String, _ v: String?) { if wants(e) { w.leaf("t:\(e)", v) } }
        func list(_ e: String) {
            guard wants(e), let values = c.lists[e], !values.isEmpty else { return }
            w.element("t:\(e)") { w in for v in values { w.leaf("t:String", v) } }
        }
        func dict(_ e: String, _ values: [String: String], order: [String], attrs: (String) -> [(String, String?)]) {
            guard wants(e) else { return }
            let keys = s.keys(e)
            let present = (order + values.keys.sorted().filter { !order.contains($0) })
                .filter { values[$0] != nil && (keys == nil || keys!.contains($0)) }
            guard !present.isEmpty else { return }
            w.element("t:\(e)") { w in
                for k in present { w.leaf("t:Entry", values[k]!, [("Key", k)] + attrs(k)) }
            }
        }
        do {
            itemID(item, &w)
            if wants("ParentFolderId") { w.empty("t:ParentFolderId", [("Id", item.folderID), ("ChangeKey", "AQAAAA==")]) }
            leaf("ItemClass", item.itemClass)
            leaf("Subject", c.fields["Subject"] ?? c.displayName ?? "")
            leaf("Sensitivity", c.fields["Sensitivity"] ?? "Normal")
            if wants("Body"), let body = c.fields["Body"] {
                w.leaf("t:Body", body, [("BodyType", c.fields["BodyType"] ?? "Text")] + (is2013 ? [("IsTruncated", "false")] : []))
            }
            if wants("Attachments"), !item.attachments.isEmpty {
                w.element("t:Attachments") { w in
                    for a in item.attachments { AttachmentXML.render(a, content: false, into: &w) }
                }
            }
            leaf("DateTimeReceived", EWSDate.format(item.created))
            leaf("Size", "\(size(item))")
            list("Categories")
            leaf("Importance", c.fields["Importance"] ?? "Normal")
            for flag in ["IsSubmitted", "IsDraft", "IsFromMe", "IsResend"] { leaf(flag, "false") }
            leaf("IsUnmodified", "false")
            leaf("DateTimeSent", EWSDate.format(item.created))
            leaf("DateTimeCreated", EWSDate.format(item.created))
            leaf("ReminderIsSet", "false")
            leaf("ReminderMinutesBeforeStart", "0")
            leaf("DisplayCc", "")
            leaf("DisplayTo", "")
            leaf("HasAttachments", item.attachments.isEmpty ? "false" : "true")
            for key in s.extended {
                guard let p = c.extendedProperty(key) else { continue }
                w.element("t:ExtendedProperty") { w in
                    w.empty("t:ExtendedFieldURI", extendedAttrs(p))
                    if let values = p.values {
                        w.element("t:Values") { w in for v in values { w.leaf("t:Value", v) } }
                    } else {
                        w.leaf("t:Value", p.value ?? "")
                    }
                }
            }
            leaf("Culture", c.fields["Culture"] ?? "en-US")
            if wants("EffectiveRights") {
                w.element("t:EffectiveRights") { w in
                    for (k, v) in [("CreateAssociated", "false"), ("CreateContents", "false"), ("CreateHierarchy", "false"),
                                   ("Delete", "true"), ("Modify", "true"), ("Read", "true")] { w.leaf("t:\(k)", v) }
                    if is2013 { w.leaf("t:ViewPrivateItems", "true") }
                }
            }
            leaf("LastModifiedName", "EWS Emulator")
            leaf("LastModifiedTime", EWSDate.format(item.modified))
            leaf("IsAssociated", "false")
            for e in ["FileAs", "FileAsMapping", "DisplayName", "GivenName", "Initials", "MiddleName", "Nickname"] {
                leaf(e, c.fields[e])
            }
            if wants("CompleteName") { completeName(c, &w) }
            leaf("CompanyName", c.fields["CompanyName"])
            let display = c.displayName ?? ""
            dict("EmailAddresses", c.emailAddresses, order: ["EmailAddress1", "EmailAddress2", "EmailAddress3"]) { _ in
                [("Name", display), ("RoutingType", "SMTP"), ("MailboxType", "Contact")]
            }
            if wants("PhysicalAddresses") { physical(c, keys: s.keys("PhysicalAddresses"), &w) }
            dict("PhoneNumbers", c.phoneNumbers, order: []) { _ in [] }
            leaf("AssistantName", c.fields["AssistantName"])
            leaf("Birthday", c.fields["Birthday"])
            leaf("BusinessHomePage", c.fields["BusinessHomePage"])
            list("Children")
            list("Companies")
            leaf("ContactSource", "Store")
            leaf("Department", c.fields["Department"])
            leaf("Generation", c.fields["Generation"])
            dict("ImAddresses", c.imAddresses, order: ["ImAddress1", "ImAddress2", "ImAddress3"]) { _ in [] }
            for e in ["JobTitle", "Manager", "Mileage", "OfficeLocation"] { leaf(e, c.fields[e]) }
            leaf("PostalAddressIndex", c.fields["PostalAddressIndex"] ?? "None")
            for e in ["Profession", "SpouseName", "Surname", "WeddingAnniversary"] { leaf(e, c.fields[e]) }
            leaf("HasPicture", item.hasPicture ? "true" : "false")
        }
    }

    static func extendedAttrs(_ p: EWSExtendedProperty) -> [(String, String?)] {
        [("DistinguishedPropertySetId", p.distinguishedPropertySetId), ("PropertySetId", p.propertySetId),
         ("PropertyTag", p.propertyTag.map { "0x" + String($0, radix: 16) }), ("PropertyName", p.propertyName),
         ("PropertyId", p.propertyId.map(String.init)), ("PropertyType", p.propertyType)]
    }

    static func completeName(_ c: EWSContact, _ w: inout XMLWriter) {
        w.element("t:CompleteName") { w in
            w.leaf("t:Title", c.title)
            w.leaf("t:FirstName", c.givenName)
            w.leaf("t:MiddleName", c.middleName)
            w.leaf("t:LastName", c.surname)
            w.leaf("t:Suffix", c.suffix)
            w.leaf("t:Initials", c.initials)
            w.leaf("t:FullName", c.displayName)
            w.leaf("t:Nickname", c.nickname)
        }
    }

    static func physical(_ c: EWSContact, keys: Set<String>?, _ w: inout XMLWriter) {
        let present = ["Business", "Home", "Other"].filter { c.physicalAddresses[$0] != nil && (keys == nil || keys!.contains($0)) }
        guard !present.isEmpty else { return }
        w.element("t:PhysicalAddresses") { w in
            for key in present {
                let a = c.physicalAddresses[key]!
                w.element("t:Entry", [("Key", key)]) { w in
                    for sub in EWSPhysicalAddress.subfields { w.leaf("t:\(sub)", a[sub: sub]) }
                }
            }
        }
    }

    /// Rough MAPI size of the item (bytes).
    static func size(_ item: StoredItem) -> Int {
        let c = item.contact
        let text = c.fields.values.reduce(0) { $0 + $1.utf8.count } + c.emailAddresses.values.reduce(0) { $0 + $1.utf8.count }
        return 1024 + 2 * text + item.attachments.reduce(0) { $0 + $1.content.count }
    }
}
