import ArgumentParser
import Foundation
import ConnectorMemory
import PIMFormats
import SyncModel
import SyncStore

/// `hubsync tour`: a hub with three spokes, each a folder of vCard files standing in for a
/// source (an Exchange mailbox, a Google account, a CRM export), synced, edited and synced again,
/// all in the terminal. Everything stays on disk, so the user can edit a file and run
/// `hubsync sync demo` after it.
struct Tour: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A scripted tour in the terminal: three folders of vCards synced, edited, undone.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Where to put the demo (default: a new temporary directory).") var dir: String?
    @Option(help: "How many generated contacts each source starts with (at least 16).") var contacts = 40

    func validate() throws {
        // The scripted edits touch the fourth of the people Exchange and Google share.
        if contacts < 16 { throw ValidationError("--contacts must be at least 16") }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: dir ?? NSTemporaryDirectory() + "hubsync-demo-\(UUID().uuidString.prefix(8))")
        var g = global
        if g.db == nil { g.db = root.appendingPathComponent("hub.sqlite").path }
        if FileManager.default.fileExists(atPath: g.databasePath) {
            throw CLIError("\(g.databasePath) exists already: pick another --dir")
        }
        let ctx = try g.context()
        let folders = DemoFolders(root: root)
        try folders.seed(contacts: contacts)
        let h = try folders.configure(ctx.store)

        Console.line("Demo hub '\(h.name)' with three spokes, each a folder of .vcf files under \(root.path):")
        Console.line("  exchange: two-way, tags what the hub writes with category 'HubSync'")
        Console.line("  google:   two-way, only contacts that have an email")
        Console.line("  crm:      one-way, only feeds the hub")
        Console.line("Exchange and Google already share \(contacts / 4) people, written a little differently.")
        Console.line("")
        _ = try await Sync.sync(h, ctx: ctx)

        Console.line("")
        Console.line("Now some edits in the sources: a new phone number in Google, a contact deleted in")
        Console.line("Exchange, a new lead in the CRM, and the same title edited in two places.")
        try folders.edit()
        let run = try await Sync.sync(h, ctx: ctx)
        Console.line("")
        Console.line("What the hub recorded (hubsync history \(h.id) --run \(run.id)):")
        try History.show(
            try ctx.store.journal(hub: h.id, JournalQuery(run: run.id, limit: 10)).reversed(), of: h, ctx: ctx,
            indent: "  ")

        Console.line("")
        Console.line("Undo the deletion (hubsync restore), then sync again: it comes back everywhere.")
        if let deletion = try ctx.store.journal(hub: h.id, JournalQuery(run: run.id, limit: 100))
            .first(where: { $0.kind == .deleted })
        {
            try ctx.engine.restore(hub: h.id, entry: deletion.seq)
        }
        _ = try await Sync.sync(h, ctx: ctx)

        Console.line("")
        Console.line("Hub: \(try ctx.store.liveItemCount(hub: h.id)) contacts. In the folders: "
            + folders.counts().map { "\($0.0) \($0.1)" }.joined(separator: ", ") + " files.")
        Console.line("Go on from here: edit or delete a file in \(root.path)/google, then")
        Console.line("  export HUBSYNC_DB=\(g.databasePath)")
        Console.line("  hubsync sync \(h.id)")
        Console.line("  hubsync history \(h.id)")
        Console.line("  hubsync hub show \(h.id)")
    }
}

/// The demo's three source folders and the edits made "by people" in them.
struct DemoFolders {
    let root: URL
    var exchange: URL { root.appendingPathComponent("exchange") }
    var google: URL { root.appendingPathComponent("google") }
    var crm: URL { root.appendingPathComponent("crm") }

    func seed(contacts n: Int) throws {
        for d in [exchange, google, crm] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        for i in 0..<n { try put(SampleContacts.person(i), "ex-\(i)", in: exchange) }
        // A quarter of the Exchange people are in Google too, typed differently: same people.
        for i in 0..<(n / 4) {
            var c = SampleContacts.person(i)
            c.emails = c.emails.map { LabeledValue($0.value.uppercased(), label: $0.label) }
            c.phones = c.phones.map { LabeledValue($0.value.replacingOccurrences(of: " ", with: "-"), label: $0.label) }
            try put(c, "g-\(i)", in: google, version: .v4)
        }
        for i in n..<(n + n / 2) {
            var c = SampleContacts.person(i)
            if i % 3 == 0 { c.emails = [] }  // kept out of Google by its filter
            try put(c, "g-\(i)", in: google, version: .v4)
        }
        for i in (2 * n)..<(2 * n + n / 4) { try put(SampleContacts.person(i), "crm-\(i)", in: crm) }
    }

    func configure(_ store: any SyncStore) throws -> HubConfig {
        let hub = HubConfig(id: HubID("demo"), name: "Demo contacts")
        try store.saveHub(hub)
        let spokes: [(String, URL, SpokeOptions)] = [
            ("exchange", exchange, SpokeOptions(categorizeAs: "HubSync")),
            ("google", google, SpokeOptions(filter: SpokeFilter(requireEmail: true))),
            ("crm", crm, SpokeOptions(twoWay: false)),
        ]
        for (i, (name, dir, options)) in spokes.enumerated() {
            try store.saveSpoke(SpokeConfig(
                id: SpokeID(name), hub: hub.id, name: name, kind: .folder, position: i, options: options,
                settings: ["path": dir.path]))
        }
        return hub
    }

    func edit() throws {
        try change("g-1", in: google) { $0.phones.append(LabeledValue("+1 555 999 0001", label: .mobile)) }
        try FileManager.default.removeItem(at: exchange.appendingPathComponent("ex-2.vcf"))
        try put(Contact(givenName: "New", familyName: "Lead", organization: "Prospect Ltd",
                        emails: [LabeledValue("new.lead@prospect.example")]), "crm-new", in: crm)
        try change("ex-3", in: exchange) { $0.title = "Head of Finance" }
        try change("g-3", in: google) { $0.title = "CFO" }
    }

    func counts() -> [(String, Int)] {
        [("exchange", exchange), ("google", google), ("crm", crm)].map { name, dir in
            (name, ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".vcf") }.count)
        }
    }

    private func put(_ c: Contact, _ name: String, in dir: URL, version: VCardVersion = .v3) throws {
        let card = VCard(version: version, uid: name, contact: c)
        try Data(VCardWriter.write(card).utf8).write(to: dir.appendingPathComponent(name + ".vcf"))
    }

    private func change(_ name: String, in dir: URL, _ edit: (inout Contact) -> Void) throws {
        let url = dir.appendingPathComponent(name + ".vcf")
        var card = try VCardParser.parse(data: try Data(contentsOf: url))
        edit(&card.contact)
        try Data(VCardWriter.write(card).utf8).write(to: url)
    }
}
