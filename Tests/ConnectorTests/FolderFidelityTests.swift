import Foundation
import Testing
import ConnectorFolder
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import TestSupport

/// Values keep the text their user wrote, through a folder of `.vcf` files and the hub.
@Suite struct FolderFidelityTests {
    struct Setup {
        let h: Harness
        let dir: URL
        let connectors: [SpokeID: any SpokeConnector]
        let memoryID: RemoteID

        init(_ contact: Contact) throws {
            dir = try TempDir.make()
            h = try Harness(spokeOptions: [.init(), .init()]) { i, clock in MemorySpoke(name: "s\(i)", clock: clock.closure) }
            connectors = [h.configs[0].id: h.spokes[0], h.configs[1].id: FolderSpoke(directory: dir)]
            memoryID = h.spokes[0].userUpsert(contact)
        }

        func sync() async throws {
            h.clock.advance()
            let run = try await h.engine.sync(hub: h.hub, connectors: connectors)
            #expect(run.status == .succeeded)
        }

        var file: URL {
            get throws {
                let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".vcf") }
                try #require(names.count == 1)
                return dir.appendingPathComponent(names[0])
            }
        }

        func text() throws -> String { try String(contentsOf: try file, encoding: .utf8) }

        func edit(_ old: String, _ new: String) throws {
            let t = try text()
            try #require(t.contains(old))
            try Data(t.replacingOccurrences(of: old, with: new).utf8).write(to: try file)
        }
    }

    static let ada = Contact(
        givenName: "Ada", familyName: "Lovelace", displayName: "Ada Lovelace", organization: "Analytical Engines",
        emails: [LabeledValue("Ada.Lovelace@Engines.EXAMPLE", label: .work)],
        phones: [LabeledValue("+1 (555) 010-0100", label: .work), LabeledValue("0044 20 7946 0900", label: .home)])

    /// The web walk's "Display name: Ada Lovelace → (empty)": FN equal to the composed name read
    /// back as no display name, so an ORG edit in the file cleared it everywhere.
    @Test func anOrgEditKeepsTheDisplayName() async throws {
        let s = try Setup(Self.ada)
        try await s.sync()
        try s.edit("ORG:Analytical Engines", "ORG:Babbage & Co")
        try await s.sync()
        let hub = try #require(try s.h.hubContacts().first)
        #expect(hub.organization == "Babbage & Co")
        #expect(hub.displayName == "Ada Lovelace")
        #expect(s.h.spokes[0].contact(s.memoryID)?.displayName == "Ada Lovelace")
        let entries = try s.h.store.journal(hub: s.h.hub, JournalQuery())
        let changed = entries.compactMap { e in e.old.flatMap { old in e.new.map { old.changedFields(to: $0) } } }
        #expect(!changed.flatMap { $0 }.contains(.text(.displayName)))
    }

    /// Phones and emails reach the file as typed, and an unrelated edit there leaves them as they
    /// are on both sides.
    @Test func displayFormsTravelAndStay() async throws {
        let s = try Setup(Self.ada)
        try await s.sync()
        let written = try s.text()
        #expect(written.contains("+1 (555) 010-0100"))
        #expect(written.contains("0044 20 7946 0900"))
        #expect(written.contains("Ada.Lovelace@Engines.EXAMPLE"))
        try s.edit("ORG:Analytical Engines", "ORG:Analytical Engines\r\nNOTE:Met at the Royal Society")
        try await s.sync()
        let back = try #require(s.h.spokes[0].contact(s.memoryID))
        #expect(back.notes == "Met at the Royal Society")
        #expect(back.phones == Self.ada.phones)
        #expect(back.emails == Self.ada.emails)
        #expect(try s.text().contains("+1 (555) 010-0100"))
    }

    /// A format-only edit (same key) is an edit of the display form, taken like any other.
    @Test func aFormatOnlyEditIsAnEdit() async throws {
        let s = try Setup(Self.ada)
        try await s.sync()
        try s.edit("+1 (555) 010-0100", "+1 555-010-0100")
        try await s.sync()
        let hub = try #require(try s.h.hubContacts().first)
        #expect(hub.phones.map(\.value) == ["+1 555-010-0100", "0044 20 7946 0900"])
        #expect(s.h.spokes[0].contact(s.memoryID)?.phones.map(\.value) == ["+1 555-010-0100", "0044 20 7946 0900"])
    }

    /// Two sources that write the same number differently from the start: no conflict, neither
    /// rewritten, and an unrelated edit later leaves each as it was.
    @Test func sourcesThatAgreeInOtherFormsAreLeftAlone() async throws {
        let s = try Setup(Self.ada)
        try Data(("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nORG:Analytical Engines\r\n"
            + "EMAIL;TYPE=WORK:ada.lovelace@engines.example\r\nTEL;TYPE=WORK:+15550100100\r\nEND:VCARD\r\n").utf8)
            .write(to: s.dir.appendingPathComponent("ada.vcf"))
        try await s.sync()
        #expect(try s.h.hubContacts().count == 1)
        #expect(try s.text().contains(":+15550100100\r\n"))
        #expect(try s.text().contains("ada.lovelace@engines.example"))
        #expect(s.h.spokes[0].contact(s.memoryID)?.phones.first?.value == "+1 (555) 010-0100")
        try s.edit("ORG:Analytical Engines", "ORG:Analytical Engines\r\nNOTE:hello")
        try await s.sync()
        #expect(s.h.spokes[0].contact(s.memoryID)?.notes == "hello")
        #expect(s.h.spokes[0].contact(s.memoryID)?.phones.map(\.value) == ["+1 (555) 010-0100", "0044 20 7946 0900"])
        #expect(s.h.spokes[0].contact(s.memoryID)?.emails.first?.value == "Ada.Lovelace@Engines.EXAMPLE")
        #expect(try s.text().contains(":+15550100100\r\n"))
        #expect(try s.text().contains("ada.lovelace@engines.example"))
        #expect(try s.text().contains("0044 20 7946 0900"))
        #expect(try !s.text().contains("(555)"))
    }

    /// A card its user wrote in a style of their own (LF line ends, TYPE=INTERNET, no PRODID):
    /// a note edited elsewhere replaces the NOTE line and leaves every other byte of the file.
    @Test func aNoteEditedElsewhereRewritesOnlyTheNoteLine() async throws {
        let ludwig = Contact(givenName: "Ludwig", familyName: "Beethoven", notes: "Bonn",
                             emails: [LabeledValue("LUDWIG@Bonn.Example", label: .home)],
                             phones: [LabeledValue("0049 228 981 750", label: .home)])
        let s = try Setup(ludwig)
        try await s.sync()
        let typed = "BEGIN:VCARD\nVERSION:3.0\nUID:ludwig-1\nN:Beethoven;Ludwig;;;\nFN:Ludwig Beethoven\n"
            + "EMAIL;TYPE=INTERNET,HOME:LUDWIG@Bonn.Example\nTEL;TYPE=HOME,VOICE:0049 228 981 750\nNOTE:Bonn\nEND:VCARD\n"
        try Data(typed.utf8).write(to: try s.file)
        try await s.sync()
        var edited = try #require(s.h.spokes[0].contact(s.memoryID))
        edited.notes = "Wien"
        _ = s.h.spokes[0].userUpsert(edited, id: s.memoryID)
        try await s.sync()
        #expect(try s.text() == typed.replacingOccurrences(of: "NOTE:Bonn\n", with: "NOTE:Wien\n"))
    }
}

@Suite struct ClearedMappedFieldTests {
    /// A mapped custom field cleared in the hub goes from a spoke that keeps the custom fields an
    /// update does not name; the spoke's own unmapped fields stay.
    @Test func aClearedMappedFieldGoesAndTheSpokesOwnStay() async throws {
        let dir = try TempDir.make()
        let h = try Harness(spokeOptions: [
            .init(fieldMappings: [FieldMapping(spokeField: .custom("Region"), hubField: "Region")]),
            .init(fieldMappings: [FieldMapping(spokeField: .custom("X-REGION"), hubField: "Region")]),
        ]) { i, clock in MemorySpoke(name: "s\(i)", clock: clock.closure) }
        let connectors: [SpokeID: any SpokeConnector] = [h.configs[0].id: h.spokes[0], h.configs[1].id: FolderSpoke(directory: dir)]
        try Data("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nX-REGION:EMEA\r\nX-SHOE-SIZE:38\r\nEND:VCARD\r\n".utf8)
            .write(to: dir.appendingPathComponent("ada.vcf"))
        func sync() async throws {
            h.clock.advance()
            #expect(try await h.engine.sync(hub: h.hub, connectors: connectors).status == .succeeded)
        }
        try await sync()
        let (id, entry) = try #require(h.spokes[0].entries.first)
        #expect(entry.contact.custom["Region"] == "EMEA")
        var c = entry.contact
        c.custom["Region"] = nil
        h.spokes[0].userUpsert(c, id: id)
        try await sync()
        let text = try String(contentsOf: dir.appendingPathComponent("ada.vcf"), encoding: .utf8)
        #expect(!text.contains("X-REGION"))
        #expect(text.contains("X-SHOE-SIZE:38"))
        #expect(try h.hubContacts().first?.custom["Region"] == nil)
    }
}
