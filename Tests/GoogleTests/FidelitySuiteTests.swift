import ConnectorEWS
import ConnectorFolder
import ConnectorGoogle
import ConnectorHTTP
import ConnectorKit
import ConnectorMemory
import Emulators
import Foundation
import SyncModel
import Testing
import TestSupport

/// Round-trip fidelity: awkward real-world contacts go in at one source, through the hub, out to
/// a folder of vCards, an Exchange mailbox and a Google account, and are read back from each.
/// Every byte that changed is listed per field; the only changes allowed are those the source
/// cannot represent (its `fit`), each named here.
@Suite struct FidelitySuiteTests {
    static let corpus: [Contact] = [
        Contact(
            namePrefix: "Dr.", givenName: "José María", familyName: "de la Cruz y Peña", nameSuffix: "Jr.",
            organization: "Ñandú & Hijos, S.A.", title: "Directora",
            birthday: PartialDate(year: nil, month: 2, day: 29),
            notes: "Línea uno\nLine two 🎉 — with; semicolons, commas \\ backslash\n\nLast line",
            emails: [LabeledValue("Jose.Maria@Nandu.EXAMPLE", label: .work), LabeledValue("jm.home@Example.org", label: .home)],
            phones: [LabeledValue("+34 91 123 45 67", label: .work), LabeledValue("(555) 010-0100", label: .mobile)]),
        Contact(
            givenName: "Ludwig", middleName: "van", familyName: "Beethoven", nickname: "Louis",
            anniversary: PartialDate(year: 1795, month: 3, day: 29),
            emails: [LabeledValue("LUDWIG@Bonn.Example", label: .home)],
            phones: [LabeledValue("0049 228 981 750", label: .home), LabeledValue("+1 (555) 010-0199 ext. 42", label: .work)],
            addresses: [PostalAddress(
                label: .home, street: "Bonngasse 20, Hinterhaus, zweiter Stock links, bei Familie van den Eeckhout-Schmidt",
                city: "Bonn", region: "Nordrhein-Westfalen", postalCode: "53111", country: "Deutschland")]),
        Contact(
            givenName: "Zoë", familyName: "Ørsted-Ångström", organization: "Ålesund Ølfabrikk",
            department: "R&D", notes: "日本語のメモ\n🇳🇴 fjord trip",
            emails: [LabeledValue("Zoe.Orsted@ÅLESUND.example", label: .work)],
            phones: [LabeledValue("+47 22 33 44 55", label: .work), LabeledValue("+81 3-1234-5678", label: .mobile)]),
    ]

    /// What each source cannot hold, by field: the only fields allowed to differ.
    static let allowed: [String: Set<ContactField>] = [
        // FN is mandatory: a contact without a display name comes back with the composed name.
        "folder": [.text(.displayName)],
        // Exchange makes up a display name; email and IM slots have no labels; one address per
        // kind, PO box and extended lines folded into the street.
        "exchange": [.text(.displayName), .emails],
        // Google computes the display name (not compared); other fields as written.
        "google": [],
    ]

    @Test func awkwardContactsComeBackAsTypedFromEverySource() async throws {
        try await ExchangeAndGoogle.with(auth: .basic) { both in
            let exchange = both.exchange, g = both.google
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fidelity-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let source = MemorySpoke(name: "source")
            let targets: [(String, any SpokeConnector)] = [
                ("folder", FolderSpoke(directory: dir)),
                ("exchange", both.ewsSpoke(.basic(user: "ada", password: "pw"))),
                ("google", g.spoke()),
            ]
            var hub = try HubFixture()
            try hub.add("source", .memory, source)
            for (name, c) in targets { try hub.add(name, name == "folder" ? .folder : name == "exchange" ? .ews : .google, c) }
            let ids = Self.corpus.map { source.userUpsert($0) }
            #expect(try await hub.sync().status == .succeeded)
            var report: [String] = []
            for (name, connector) in targets {
                let held = try await Self.readAll(connector)
                for original in Self.corpus.map({ $0.normalized() }) {
                    guard let got = held.first(where: { $0.givenName == original.givenName })?.normalized() else {
                        Issue.record("\(name): \(original.givenName ?? "?") missing")
                        continue
                    }
                    let expected = connector.fit.map { $0(original).normalized() } ?? original
                    let changes = original.changes(to: got)
                    for c in changes { report.append("\(name) \(original.givenName ?? ""): \(c)") }
                    #expect(got == expected, "\(name): not what the source is declared to keep:\n\(changes)")
                    // Google marks one of several values primary whatever was written: read as
                    // "preferred", declared in its fit; no other change of those values is allowed.
                    let compared = name == "google" ? original.changes(to: Self.preferredAsIn(original, got)) : changes
                    let unexpected = compared.filter { !(Self.allowed[name] ?? []).contains($0.field) }
                    #expect(unexpected.isEmpty, "\(name): \(unexpected)")
                }
            }
            // The source itself is untouched, byte for byte, and a second sync does nothing.
            for (id, original) in zip(ids, Self.corpus) {
                #expect(source.contact(id) == original)
            }
            let calm = try await hub.sync()
            #expect(calm.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 && $0.pushedCreates == 0 })
            print("fidelity report (fields that changed, all declared):\n" + report.joined(separator: "\n"))
        }
    }

    /// `got` with the preferred flags of `original`.
    static func preferredAsIn(_ original: Contact, _ got: Contact) -> Contact {
        var out = got
        func same(_ a: [LabeledValue], _ b: inout [LabeledValue]) {
            for i in b.indices { b[i].preferred = a.first { $0.value == b[i].value }?.preferred ?? false }
        }
        same(original.emails, &out.emails)
        same(original.phones, &out.phones)
        same(original.websites, &out.websites)
        same(original.ims, &out.ims)
        return out
    }

    static func readAll(_ c: any SpokeConnector) async throws -> [Contact] {
        var out: [Contact] = []
        var page: PageToken?
        repeat {
            let p = try await c.pull(since: nil, page: page)
            for case .upsert(let r) in p.changes { out.append(r.contact) }
            page = p.next
        } while page != nil
        return out
    }
}
