import Emulators
import Foundation
import Testing

@Suite struct ProtocolTests {
    @Test func versionHeaderAndRefusal() async throws {
        let fx = try await EWSFixture.start(version: .exchange2010SP2)
        defer { Task { await fx.emulator.stop() } }
        let op = "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id=\"contacts\"/></m:FolderIds></m:GetFolder>"
        let refused = try await fx.soap(op, version: "Exchange2016")
        #expect(refused.status == 500)
        let fault = try refused.xml().descendant("Fault")
        #expect(fault?.childText("faultcode") == "a:ErrorInvalidServerVersion")
        #expect(fault?.child("detail")?.childText("ResponseCode") == "ErrorInvalidServerVersion")
        #expect(refused.body.contains("The specified server version is invalid."))
        let ok = try await fx.soap(op, version: "Exchange2010_SP2")
        let info = try ok.xml().path("Header", "ServerVersionInfo")
        #expect(info?.attr("MajorVersion") == "14" && info?.attr("MinorVersion") == "2")
        #expect(info?.attr("Version") == "Exchange2010_SP2")

        let fx16 = try await EWSFixture.start(version: .exchange2016)
        defer { Task { await fx16.emulator.stop() } }
        let info16 = try await fx16.soap(op).xml().path("Header", "ServerVersionInfo")
        #expect(info16?.attr("MajorVersion") == "15" && info16?.attr("MinorVersion") == "1")
    }

    /// As Exchange: children of t:Contact out of schema order fail the whole request.
    @Test func contactsOutOfSchemaOrderAreRefused() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        func create(_ contact: String) -> String {
            "<m:CreateItem><m:SavedItemFolderId><t:DistinguishedFolderId Id=\"contacts\"/></m:SavedItemFolderId>"
                + "<m:Items><t:Contact>\(contact)</t:Contact></m:Items></m:CreateItem>"
        }
        let bad = try await fx.soap(create("<t:Surname>Lovelace</t:Surname><t:GivenName>Ada</t:GivenName>"))
        #expect(bad.status == 500)
        #expect(try bad.xml().descendant("Fault")?.child("detail")?.childText("ResponseCode") == "ErrorSchemaValidation")
        let street = "<t:PhysicalAddresses><t:Entry Key=\"Home\"><t:City>Bath</t:City><t:Street>1 Way</t:Street></t:Entry></t:PhysicalAddresses>"
        #expect(try await fx.soap(create(street)).status == 500)
        let good = try await fx.soap(create("<t:GivenName>Ada</t:GivenName><t:Surname>Lovelace</t:Surname>"))
        #expect(good.status == 200)
        #expect(try fx.emulator.contacts(in: EWSFixture.email).count == 1)
    }

    @Test func foldersAndSubfolders() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        let sub = try fx.emulator.addContactsFolder(named: "Team", in: EWSFixture.email)
        try fx.emulator.seedContacts(2, in: EWSFixture.email, folder: sub.id)
        let r = try await fx.soap("""
            <m:FindFolder Traversal="Deep"><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>\
            <m:ParentFolderIds><t:DistinguishedFolderId Id="contacts"/></m:ParentFolderIds></m:FindFolder>
            """)
        let folder = try #require(r.xml().findAll("ContactsFolder").first)
        #expect(folder.childText("DisplayName") == "Team")
        #expect(folder.childText("TotalCount") == "2")
        #expect(folder.childText("FolderClass") == "IPF.Contact")
        #expect(folder.child("FolderId")?.attr("Id") == sub.id && folder.child("FolderId")?.attr("ChangeKey") != nil)
        let root = try await fx.soap("""
            <m:GetFolder><m:FolderShape><t:BaseShape>AllProperties</t:BaseShape></m:FolderShape>\
            <m:FolderIds><t:DistinguishedFolderId Id="msgfolderroot"/><t:FolderId Id="\(sub.id)"/>\
            <t:DistinguishedFolderId Id="contacts"/></m:FolderIds></m:GetFolder>
            """)
        #expect(try root.xml().findAll("DisplayName").map(\.text) == ["Top of Information Store", "Team", "Contacts"])
        #expect(try root.xml().findAll("ContactsFolder").last?.childText("ChildFolderCount") == "1")
    }

    @Test func getItemMixedIdsAndEscaping() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        var c = EWSContact(givenName: "Zoë & <Co>", surname: "O'Neil \"Q\"", email: "z@example.com")
        c.title = "Dr."
        c.suffix = "Jr."
        let rec = try fx.emulator.createContact(c, in: EWSFixture.email)
        let r = try await fx.soap(Ops.getItem([rec.id, "AAMkAGZha2VmYWtlZmFrZWZha2VmYWtlZmFrZWZha2VmYWtl", "not-an-id!"]))
        #expect(try r.responseCodes().map(\.1) == ["NoError", "ErrorItemNotFound", "ErrorInvalidIdMalformed"])
        #expect(try r.responseCodes().map(\.0) == ["Success", "Error", "Error"])
        let contact = try #require(r.xml().findAll("Contact").first)
        #expect(contact.childText("GivenName") == "Zoë & <Co>")
        #expect(contact.childText("Surname") == "O'Neil \"Q\"")
        #expect(contact.path("CompleteName", "Title")?.text == "Dr.")
        #expect(contact.path("CompleteName", "Suffix")?.text == "Jr.")
        // Schema order: ItemId first, FileAs before DisplayName before Surname, HasPicture last.
        let names = contact.children.map(\.name)
        #expect(names.first == "ItemId")
        #expect(names.firstIndex(of: "FileAs")! < names.firstIndex(of: "DisplayName")!)
        #expect(names.firstIndex(of: "EmailAddresses")! < names.firstIndex(of: "Surname")!)
        #expect(names.last == "HasPicture")
    }

    @Test func findItemPagingAndRestriction() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        try fx.emulator.seedContacts(5, in: EWSFixture.email)
        var marked = EWSContact(givenName: "Marked", surname: "One")
        marked.setExtendedProperty(.init(propertySetId: "C11FF724-AA03-4555-9952-8FA248A11C3E", propertyName: "HubSyncId",
                                         value: "hub-42"))
        try fx.emulator.createContact(marked, in: EWSFixture.email)
        func page(_ offset: Int) async throws -> XNode {
            let r = try await fx.soap("""
                <m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>\
                <m:IndexedPageItemView MaxEntriesReturned="4" Offset="\(offset)" BasePoint="Beginning"/>\
                <m:ParentFolderIds><t:DistinguishedFolderId Id="contacts"/></m:ParentFolderIds></m:FindItem>
                """)
            return try #require(r.xml().descendant("RootFolder"))
        }
        let first = try await page(0), second = try await page(4)
        #expect(first.attr("TotalItemsInView") == "6" && first.attr("IncludesLastItemInRange") == "false")
        #expect(first.attr("IndexedPagingOffset") == "4" && first.findAll("ItemId").count == 4)
        #expect(second.attr("IncludesLastItemInRange") == "true" && second.findAll("ItemId").count == 2)
        let filtered = try await fx.soap("""
            <m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>\
            <t:FieldURI FieldURI="contacts:GivenName"/><t:ExtendedFieldURI PropertySetId="c11ff724-aa03-4555-9952-8fa248a11c3e" \
            PropertyName="HubSyncId" PropertyType="String"/></t:AdditionalProperties></m:ItemShape>\
            <m:Restriction><t:IsEqualTo><t:ExtendedFieldURI PropertySetId="c11ff724-aa03-4555-9952-8fa248a11c3e" \
            PropertyName="HubSyncId" PropertyType="String"/><t:FieldURIOrConstant><t:Constant Value="hub-42"/>\
            </t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>\
            <m:ParentFolderIds><t:DistinguishedFolderId Id="contacts"/></m:ParentFolderIds></m:FindItem>
            """)
        let items = try filtered.xml().findAll("Contact")
        #expect(items.map { $0.childText("GivenName") } == ["Marked"])
        #expect(items.first?.path("ExtendedProperty", "Value")?.text == "hub-42")
    }

    @Test func extendedPropertiesAndTitle() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        let marker = "<t:ExtendedFieldURI DistinguishedPropertySetId=\"PublicStrings\" PropertyName=\"X-Marker\" PropertyType=\"String\"/>"
        let title = "<t:ExtendedFieldURI PropertyTag=\"0x3A45\" PropertyType=\"String\"/>"
        let created = try await fx.soap(Ops.createContact(given: "Eve", surname: "Ext", extra: """
            <t:ExtendedProperty>\(marker)<t:Value>m-1</t:Value></t:ExtendedProperty>\
            <t:ExtendedProperty>\(title)<t:Value>Prof.</t:Value></t:ExtendedProperty>
            """))
        let id = try #require(created.xml().findAll("ItemId").first?.attr("Id"))
        #expect(fx.emulator.contact(id: id, in: EWSFixture.email)?.contact.title == "Prof.")
        let plain = try await fx.soap(Ops.getItem([id]))
        #expect(try plain.xml().findAll("ExtendedProperty").isEmpty)  // only when asked for, like Exchange
        #expect(try plain.xml().findAll("Title").first?.text == "Prof.")
        let asked = try await fx.soap(Ops.getItem([id], shape: "IdOnly", additional: marker))
        let prop = try #require(asked.xml().findAll("ExtendedProperty").first)
        #expect(prop.child("ExtendedFieldURI")?.attr("DistinguishedPropertySetId") == "PublicStrings")
        #expect(prop.childText("Value") == "m-1")
        let key = try #require(asked.xml().findAll("ItemId").first?.attr("ChangeKey"))
        let update = try await fx.soap("""
            <m:UpdateItem ConflictResolution="NeverOverwrite"><m:ItemChanges><t:ItemChange>\
            <t:ItemId Id="\(id)" ChangeKey="\(key)"/><t:Updates>\
            <t:SetItemField>\(marker)<t:Contact><t:ExtendedProperty>\(marker)<t:Value>m-2</t:Value></t:ExtendedProperty>\
            </t:Contact></t:SetItemField><t:DeleteItemField>\(title)</t:DeleteItemField>\
            <t:AppendToItemField><t:FieldURI FieldURI="item:Categories"/><t:Contact><t:Categories><t:String>VIP</t:String>\
            </t:Categories></t:Contact></t:AppendToItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>
            """)
        #expect(try update.responseCodes().map(\.1) == ["NoError"])
        let after = try #require(fx.emulator.contact(id: id, in: EWSFixture.email)?.contact)
        #expect(after.title == nil && after.categories == ["VIP"])
        #expect(after.extendedProperties.first?.value == "m-2")
    }
}
