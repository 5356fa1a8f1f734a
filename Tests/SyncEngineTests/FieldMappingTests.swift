import Foundation
import Testing
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// Field mapping: a spoke field stands for a custom hub field, both ways.
/// Spoke 0: no mapping. Spoke 1: `title` ↔ hub `custom.JobCode`. Spoke 2: `department` ↔ hub
/// `custom.JobCode` and its own custom `X-Region` ↔ hub `custom.Region`.
@Suite struct FieldMappingTests {
    static let options: [SpokeOptions] = [
        .init(),
        .init(fieldMappings: [FieldMapping(spokeField: .text(.title), hubField: "JobCode")]),
        .init(fieldMappings: [
            FieldMapping(spokeField: .text(.department), hubField: "JobCode"),
            FieldMapping(spokeField: .custom("X-Region"), hubField: "Region"),
        ]),
    ]

    @Test(arguments: StoreKind.allCases)
    func textFieldMapsToCustomHubFieldBothWays(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        h.spokes[1].userUpsert(person("Ada", email: "ada@example.com", title: "J-42"))
        let run = try await h.sync()
        #expect(run.status == .succeeded)

        // In the hub the spoke's title is the custom field, and the hub's title stays empty.
        let ada = try #require(try h.liveItem("Ada")).contact
        #expect(ada.custom == ["JobCode": "J-42"])
        #expect(ada.title == nil)
        // The unmapped spoke sees neither; spoke 2 sees it as its department.
        let ada0 = try #require(h.spokes[0].contact("Ada"))
        #expect(ada0.title == nil && ada0.custom.isEmpty && ada0.department == nil)
        let ada2 = try #require(h.spokes[2].contact("Ada"))
        #expect(ada2.department == "J-42")
        #expect(ada2.title == nil)
        #expect(ada2.custom.isEmpty)

        // The hub's own title (set in spoke 0) does not reach spoke 1's title, nor does the echo
        // of either mapping overwrite the other.
        h.spokes[0].edit("Ada") { $0.title = "Engineer" }
        let r2 = try await h.sync()
        #expect(h.stats(r2, 1).pushedUpdates + h.stats(r2, 1).pushedCreates == 0)
        let hub2 = try #require(try h.liveItem("Ada")).contact
        #expect(hub2.title == "Engineer")
        #expect(hub2.custom == ["JobCode": "J-42"])
        #expect(h.spokes[1].contact("Ada")?.title == "J-42")
        #expect(h.spokes[2].contact("Ada")?.title == "Engineer")
        #expect(h.spokes[2].contact("Ada")?.department == "J-42")

        // Spoke 1 changes its title: the custom field follows, spoke 2's department follows, and
        // spoke 0 (which cannot hold the field) is not written to.
        h.spokes[1].edit("Ada") { $0.title = "J-43" }
        let r3 = try await h.sync()
        #expect(h.stats(r3, 0).pushedUpdates == 0)
        let hub3 = try #require(try h.liveItem("Ada")).contact
        #expect(hub3.custom == ["JobCode": "J-43"])
        #expect(hub3.title == "Engineer")
        #expect(h.spokes[2].contact("Ada")?.department == "J-43")
        #expect(h.spokes[0].contact("Ada")?.title == "Engineer")

        // And back from spoke 2's department to spoke 1's title.
        h.spokes[2].edit("Ada") { $0.department = "J-50" }
        try await h.sync()
        #expect(try h.liveItem("Ada")?.contact.custom["JobCode"] == "J-50")
        #expect(h.spokes[1].contact("Ada")?.title == "J-50")
        #expect(h.spokes[0].contact("Ada")?.title == "Engineer")

        // Quiet afterwards: no write ping-pong between the mappings.
        try await h.sync()
        let quiet = try await h.sync()
        #expect(quiet.stats.values.allSatisfy { $0.hubUpdated + $0.pushedUpdates + $0.pushedCreates == 0 })
    }

    @Test(arguments: StoreKind.allCases)
    func unmappedSpokeTitleIsNotSentToTheMappedSpoke(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        h.spokes[0].userUpsert(person("Bob", email: "bob@example.com", title: "Manager"))
        try await h.sync()
        #expect(try h.liveItem("Bob")?.contact.title == "Manager")
        #expect(try h.liveItem("Bob")?.contact.custom.isEmpty == true)
        // Spoke 1's title means JobCode, which Bob does not have.
        #expect(h.spokes[1].contact("Bob")?.title == nil)
        // Setting it there does not touch the hub's title.
        h.spokes[1].edit("Bob") { $0.title = "M-1" }
        try await h.sync()
        let bob = try #require(try h.liveItem("Bob")).contact
        #expect(bob.title == "Manager")
        #expect(bob.custom == ["JobCode": "M-1"])
        #expect(h.spokes[0].contact("Bob")?.title == "Manager")
        // Clearing it there clears the custom field only.
        h.spokes[1].edit("Bob") { $0.title = nil }
        try await h.sync()
        let cleared = try #require(try h.liveItem("Bob")).contact
        #expect(cleared.title == "Manager")
        #expect(cleared.custom.isEmpty)
        #expect(h.spokes[2].contact("Bob")?.department == nil)
    }

    @Test(arguments: StoreKind.allCases)
    func spokeCustomFieldMapsToHubCustomField(_ store: StoreKind) async throws {
        let h = try Harness(store: store.make(), spokeOptions: Self.options)
        h.spokes[2].userUpsert(Contact(
            givenName: "Cy", familyName: "Test", emails: [LabeledValue("cy@example.com")],
            custom: ["X-Region": "EMEA", "X-Unmapped": "zzz"]))
        try await h.sync()
        let cy = try #require(try h.liveItem("Cy")).contact
        // Mapped under the hub's name; the spoke's unmapped custom field stays in the spoke.
        #expect(cy.custom == ["Region": "EMEA"])
        #expect(h.spokes[2].contact("Cy")?.custom == ["X-Region": "EMEA", "X-Unmapped": "zzz"])
        #expect(h.spokes[0].contact("Cy")?.custom.isEmpty == true)
        #expect(h.spokes[1].contact("Cy")?.custom.isEmpty == true)

        h.spokes[2].edit("Cy") { $0.custom["X-Region"] = "APAC" }
        try await h.sync()
        #expect(try h.liveItem("Cy")?.contact.custom == ["Region": "APAC"])

        // A hub-side change of the custom field (an undo) is written back to the spoke's field.
        let cyID = try #require(try h.liveItem("Cy")).id
        let entry = try #require(try h.journal().first { $0.item == cyID && $0.kind == .updated })
        try h.engine.restore(hub: h.hub, entry: entry.seq)
        #expect(try h.liveItem("Cy")?.contact.custom == ["Region": "EMEA"])
        let run = try await h.sync()
        #expect(h.stats(run, 2).pushedUpdates == 1)
        #expect(h.stats(run, 0).pushedUpdates == 0)
        #expect(h.spokes[2].contact("Cy")?.custom["X-Region"] == "EMEA")
    }
}
