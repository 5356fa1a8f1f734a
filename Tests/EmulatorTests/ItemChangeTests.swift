import Emulators
import Foundation
import Testing

@Suite struct ItemChangeTests {
    static func update(_ id: String, _ changeKey: String, resolution: String, field: String = "JobTitle", value: String) -> String {
        """
        <m:UpdateItem ConflictResolution="\(resolution)" MessageDisposition="SaveOnly"><m:ItemChanges><t:ItemChange>\
        <t:ItemId Id="\(id)" ChangeKey="\(changeKey)"/><t:Updates><t:SetItemField><t:FieldURI FieldURI="contacts:\(field)"/>\
        <t:Contact><t:\(field)>\(value)</t:\(field)></t:Contact></t:SetItemField>\
        <t:SetItemField><t:IndexedFieldURI FieldURI="contacts:PhysicalAddress:City" FieldIndex="Home"/><t:Contact>\
        <t:PhysicalAddresses><t:Entry Key="Home"><t:City>Bern</t:City></t:Entry></t:PhysicalAddresses></t:Contact></t:SetItemField>\
        <t:DeleteItemField><t:IndexedFieldURI FieldURI="contacts:EmailAddress" FieldIndex="EmailAddress1"/></t:DeleteItemField>\
        </t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>
        """
    }

    @Test func changeKeyConflicts() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        let created = try await fx.soap(Ops.createContact(given: "Ann", surname: "Archer", email: "ann@acme.example"))
        let idNode = try #require(created.xml().findAll("ItemId").first)
        let (id, key1) = (idNode.attr("Id")!, idNode.attr("ChangeKey")!)
        #expect(id.count > 40)

        // Another client edits the contact: new ChangeKey.
        let other = try fx.emulator.updateContact(id: id, in: EWSFixture.email) { $0.department = "Ops" }
        #expect(other.changeKey != key1)

        let never = try await fx.soap(Self.update(id, key1, resolution: "NeverOverwrite", value: "CTO"))
        #expect(try never.responseCodes().map(\.1) == ["ErrorIrresolvableConflict"])
        #expect(fx.emulator.contact(id: id, in: EWSFixture.email)?.contact.jobTitle == nil)

        let auto = try await fx.soap(Self.update(id, key1, resolution: "AutoResolve", value: "CTO"))
        #expect(try auto.responseCodes().map(\.1) == ["NoError"])
        let after = try #require(fx.emulator.contact(id: id, in: EWSFixture.email))
        #expect(after.contact.jobTitle == "CTO" && after.contact.department == "Ops")
        #expect(after.contact.physicalAddresses["Home"]?.city == "Bern")
        #expect(after.contact.emailAddresses.isEmpty)
        #expect(try auto.xml().findAll("ItemId").first?.attr("ChangeKey") == after.changeKey)

        let fresh = try await fx.soap(Self.update(id, after.changeKey, resolution: "NeverOverwrite", value: "CEO"))
        #expect(try fresh.responseCodes().map(\.1) == ["NoError"])
        let gone = try await fx.soap(Self.update("AAMkAGZha2VmYWtlZmFrZWZha2VmYWtlZmFrZWZha2VmYWtl", "x", resolution: "AlwaysOverwrite", value: "x"))
        #expect(try gone.responseCodes().map(\.1) == ["ErrorItemNotFound"])
    }

    @Test func syncFolderItemsPagingAndStates() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        let seeded = try fx.emulator.seedContacts(5, in: EWSFixture.email)

        func sync(_ state: String?, max: Int) async throws -> (state: String, last: Bool, changes: [(String, String)], codes: [String]) {
            let r = try await fx.soap(Ops.sync(state: state, max: max))
            let msg = try #require(r.xml().descendant("SyncFolderItemsResponseMessage"))
            let changes = msg.child("Changes")?.children.map { ($0.name, $0.descendant("ItemId")?.attr("Id") ?? "") } ?? []
            return (msg.childText("SyncState") ?? "", msg.childText("IncludesLastItemInRange") == "true", changes,
                    [msg.childText("ResponseCode") ?? ""])
        }
        var state: String? = nil, creates: [String] = []
        for _ in 0..<3 {
            let page = try await sync(state, max: 2)
            creates += page.changes.filter { $0.0 == "Create" }.map(\.1)
            state = page.state
            if page.last { break }
        }
        #expect(creates == seeded.map(\.id))

        // Another client: update one, delete one, create one.
        try fx.emulator.updateContact(id: seeded[0].id, in: EWSFixture.email) { $0.nickname = "Zero" }
        try fx.emulator.deleteContact(id: seeded[1].id, in: EWSFixture.email)
        let added = try fx.emulator.createContact(EWSContact(givenName: "New", surname: "Person"), in: EWSFixture.email)
        let delta = try await sync(state, max: 512)
        #expect(delta.last)
        #expect(delta.changes.map(\.0) == ["Update", "Delete", "Create"])
        #expect(delta.changes.map(\.1) == [seeded[0].id, seeded[1].id, added.id])

        let quiet = try await sync(delta.state, max: 10)
        #expect(quiet.changes.isEmpty && quiet.last)

        let bogus = try await sync("bm90IGEgc3RhdGU=", max: 10)
        #expect(bogus.codes == ["ErrorInvalidSyncStateData"])

        fx.emulator.expireSyncStates()
        let expired = try await sync(delta.state, max: 10)
        #expect(expired.codes == ["ErrorInvalidSyncStateData"])
        let restart = try await sync(nil, max: 512)
        #expect(restart.changes.count == 5 && restart.changes.allSatisfy { $0.0 == "Create" })

        let tooMany = try await fx.soap(Ops.sync(state: nil, max: 513))
        #expect(tooMany.status == 500 && tooMany.body.contains("ErrorSchemaValidation"))
    }

    @Test func deleteTypes() async throws {
        let fx = try await EWSFixture.start()
        defer { Task { await fx.emulator.stop() } }
        let ids = try fx.emulator.seedContacts(3, in: EWSFixture.email).map(\.id)
        let baseline = try await fx.soap(Ops.sync(state: nil, max: 512))
        let state = try #require(baseline.xml().descendant("SyncState")?.text)
        for (id, type) in zip(ids, ["HardDelete", "SoftDelete", "MoveToDeletedItems"]) {
            let r = try await fx.soap("<m:DeleteItem DeleteType=\"\(type)\"><m:ItemIds><t:ItemId Id=\"\(id)\"/></m:ItemIds></m:DeleteItem>")
            #expect(try r.responseCodes().map(\.1) == ["NoError"], "\(type)")
        }
        #expect(try fx.emulator.contacts(in: EWSFixture.email).isEmpty)
        let trash = try fx.emulator.contacts(in: EWSFixture.email, folder: "deleteditems")
        #expect(trash.count == 1 && trash[0].contact.givenName == "Seed3" && trash[0].id != ids[2])
        let delta = try await fx.soap(Ops.sync(state: state, max: 512))
        let deletes = try delta.xml().findAll("Delete").compactMap { $0.child("ItemId")?.attr("Id") }
        #expect(deletes == ids)
        let again = try await fx.soap("<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"\(ids[0])\"/></m:ItemIds></m:DeleteItem>")
        #expect(try again.responseCodes().map(\.1) == ["ErrorItemNotFound"])
    }
}
