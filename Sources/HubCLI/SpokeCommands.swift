import ArgumentParser
import Foundation
import SyncModel
import SyncStore

/// The sync options of a spoke, as flags shared by `spoke add` and `spoke set`.
struct SpokeOptionFlags: ParsableArguments {
    @Flag(help: "The spoke only feeds the hub (\"Allow Hub to create and sync items\" off).") var oneWay = false
    @Flag(help: "The hub creates and syncs items in the spoke too.") var twoWay = false
    @Option(help: "Category the hub adds to items it writes into the spoke.") var categorize: String?
    @Flag(help: "Stop adding a category.") var noCategorize = false
    @Option(help: "Only hub items with this category flow into the spoke (repeatable).")
    var filterCategory: [String] = []
    @Option(help: "Only items of this company (repeatable).") var filterCompany: [String] = []
    @Option(help: "Only items with an email in this domain (repeatable).") var filterDomain: [String] = []
    @Flag(help: "Only items with an email address.") var requireEmail = false
    @Flag(help: "Only items with a phone number.") var requirePhone = false
    @Flag(help: "Remove every filter first.") var clearFilters = false
    @Option(help: "Map a spoke field to a custom hub field: SPOKEFIELD=HUBFIELD, e.g. title=JobCode (repeatable).")
    var map: [String] = []
    @Flag(help: "Remove every field mapping first.") var clearMappings = false

    func validate() throws {
        if oneWay && twoWay { throw ValidationError("--one-way and --two-way exclude each other") }
        if categorize != nil && noCategorize { throw ValidationError("--categorize and --no-categorize exclude each other") }
        for m in map { _ = try Self.mapping(m) }
    }

    static func mapping(_ s: String) throws -> FieldMapping {
        let parts = s.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[1].isEmpty, let spoke = SpokeFieldRef(parsing: parts[0]) else {
            let fields = TextField.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--map wants SPOKEFIELD=HUBFIELD, with SPOKEFIELD one of \(fields) or custom.NAME")
        }
        return FieldMapping(spokeField: spoke, hubField: parts[1])
    }

    func apply(to o: inout SpokeOptions) throws {
        if oneWay { o.twoWay = false }
        if twoWay { o.twoWay = true }
        if let categorize { o.categorizeAs = categorize.trimmingCharacters(in: .whitespaces) }
        if noCategorize { o.categorizeAs = nil }
        if clearFilters { o.filter = SpokeFilter() }
        o.filter.categories += filterCategory.map { $0.trimmingCharacters(in: .whitespaces) }
        o.filter.companies += filterCompany
        o.filter.emailDomains += filterDomain
        if requireEmail { o.filter.requireEmail = true }
        if requirePhone { o.filter.requirePhone = true }
        if clearMappings { o.fieldMappings = [] }
        for m in map {
            let mapping = try Self.mapping(m)
            o.fieldMappings.removeAll { $0.spokeField == mapping.spokeField }
            o.fieldMappings.append(mapping)
        }
    }
}

struct SpokeGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spoke", abstract: "Connect sources to a hub and set their sync options.",
        subcommands: [Add.self, Set.self, List.self, Remove.self, AddGroup.self, Groups.self, RemoveGroup.self, GroupMode.self, Migrate.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a spoke to a hub.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String
        @Option(help: "The spoke's name.") var name: String
        @Option(help: "Kind of source: folder, carddav, ews, google, m365 (Microsoft 365) or m365-directory (a tenant's users, read-only); on a calendar hub caldav or ics-folder.")
        var kind: SpokeKind = .folder
        @Option(help: "For a folder spoke: the directory of .vcf files (.ics for ics-folder; created when missing).") var path: String?
        @OptionGroup var network: NetworkFlags
        @OptionGroup var exchange: ExchangeFlags
        @OptionGroup var google: GoogleFlags
        @OptionGroup var m365: M365Flags
        @OptionGroup var options: SpokeOptionFlags
        @OptionGroup var calendar: CalendarOptionFlags

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            let existing = try ctx.store.spokes(hub: h.id)
            let name = try checkedName(self.name, what: "spoke")
            let id = SpokeID(slug(name))
            if existing.contains(where: { $0.id == id }) { throw CLIError("hub \(h.id) has a spoke \(id) already") }
            try CalendarSpokes.check(kind, fits: h)
            let settings = try await cliSetup { try await checkedSettings(ctx) }
            var o = SpokeOptions()
            try options.apply(to: &o)
            try calendar.apply(to: &o, kind: h.objectKind)
            o = kind.adjusted(o)
            let spoke = SpokeConfig(
                id: id, hub: h.id, name: name, kind: kind, position: (existing.map(\.position).max() ?? -1) + 1,
                options: o, settings: settings)
            if kind.objectKind == .calendar { _ = try ctx.calendarConnector(for: spoke) } else { _ = try ctx.connector(for: spoke) }
            try ctx.store.saveSpoke(spoke)
            Console.line("added spoke \(id) (\(name)) to hub \(h.id)")
            for line in describe(o) { Console.line("  " + line) }
            Console.line("next: hubsync sync \(h.id)")
        }

        /// Checks the source now, not at the first sync, and makes the settings to store.
        private func checkedSettings(_ ctx: Context) async throws -> [String: String] {
            let input = network.input
            switch kind {
            case .folder:
                guard path != nil else { throw CLIError("a folder spoke needs --path DIR") }
                return try FolderSetup.settings(path)
            case .carddav:
                let client = input.client(logger: ctx.logger)
                let book = try await CardDAVSetup.addressBook(input, client: client)
                Console.line("address book: \(book.url.absoluteString)" + (book.displayName.map { " (\($0))" } ?? ""))
                return try input.settings(url: book.url, client: client, secrets: ctx.secrets())
            case .ews:
                let client = EWSSetup.client(input, logger: ctx.logger)
                let exchange = try self.exchange.input(mailbox: m365.mailbox)
                let found = try await EWSSetup.folders(input, exchange, client: client)
                if found.autodiscovered { Console.line("Autodiscover: \(found.url.absoluteString)") }
                let folder = try EWSSetup.pick(self.exchange.folder, in: found.folders)
                Console.line("contacts folder: \(folder.path)" + (found.folders.count > 1 && self.exchange.folder == nil
                    ? " (others: \(found.folders.filter { $0.id != folder.id }.map(\.path).joined(separator: ", ")); choose with --folder)" : ""))
                if folder.readOnly && !options.oneWay {
                    Console.line("this account may only read the folder: the hub's changes to it will be refused (--one-way does not try them)")
                }
                return try EWSSetup.settings(input, exchange, found: found, folder: folder, client: client, secrets: ctx.secrets())
            case .google:
                let (settings, signedIn) = try await GoogleSetup.signIn(google, logger: ctx.logger)
                Console.line("signed in to Google" + (signedIn.account.map { " as \($0)" } ?? ""))
                return try GoogleSetup.store(settings, signedIn, secrets: ctx.secrets())
            case .graph:
                let client = M365ClientInput.from(id: google.clientId, secret: google.clientSecret, tenant: m365.tenant,
                                                  authority: m365.authorityUrl, graph: m365.graphUrl)
                let settings = try client.settings(mailbox: m365.mailbox)
                let tokens = settings.appOnly ? nil : try await M365Setup.signIn(settings, openWith: google.openWith, logger: ctx.logger)
                let made = try await M365Setup.settings(
                    settings, tokens: tokens, folder: exchange.folder, createFolder: m365.createFolder, secrets: ctx.secrets(), logger: ctx.logger)
                Console.line("Microsoft 365" + (made.account.map { " mailbox \($0)" } ?? "") + ", contacts folder: \(made.folder.path)")
                return made.settings
            case .directory:
                let client = M365ClientInput.from(id: google.clientId, secret: google.clientSecret, tenant: m365.tenant,
                                                  authority: m365.authorityUrl, graph: m365.graphUrl)
                let made = try await DirectorySetup.settings(client, excluding: m365.exclude, secrets: ctx.secrets(), logger: ctx.logger)
                Console.line("Microsoft 365 directory of tenant \(m365.tenant ?? ""): \(made.users)\(made.users == 100 ? "+" : "") users readable")
                return made.settings
            case .memory:
                return [:]
            case .caldav:
                let client = input.client(logger: ctx.logger)
                let calendar = try await CalendarSpokes.calendar(input, client: client)
                Console.line("calendar: \(calendar.url.absoluteString)" + (calendar.displayName.map { " (\($0))" } ?? ""))
                return try input.settings(url: calendar.url, client: client, secrets: ctx.secrets())
            case .icsFolder:
                guard path != nil else { throw CLIError("an ics-folder spoke needs --path DIR") }
                return try FolderSetup.settings(path)
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a spoke's sync options or password.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: SpokeArguments
        @Option(help: "Rename the spoke.") var name: String?
        @Option(help: "Network spokes: a new password (stored encrypted).") var password: String?
        @OptionGroup var options: SpokeOptionFlags
        @OptionGroup var calendar: CalendarOptionFlags

        func run() async throws {
            let ctx = try global.context()
            let (h, found) = try target.resolve(ctx)
            var s = found
            try options.apply(to: &s.options)
            try calendar.apply(to: &s.options, kind: h.objectKind)
            if let name { s.name = try checkedName(name, what: "spoke") }
            if let password {
                s.settings = try await cliSetup { try NetworkSettings.changingPassword(s, to: password, secrets: ctx.secrets()) }
                Console.line("password changed")
            }
            try ctx.engine.saveSpoke(s)
            Console.line("spoke \(s.id) (\(s.name)):")
            for line in describe(s.options) { Console.line("  " + line) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a hub's spokes.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Hub id or name.") var hub: String

        func run() async throws {
            let ctx = try global.context()
            let h = try ctx.hub(hub)
            var rows = [["ID", "NAME", "KIND", "DIRECTION", "LINKED", "LAST SYNC"]]
            for s in try ctx.store.spokes(hub: h.id) {
                let state = try ctx.store.spokeState(hub: h.id, spoke: s.id)
                rows.append([
                    s.id.rawValue, s.name, s.kind.rawValue, s.options.twoWay ? "two-way" : "one-way",
                    "\(try ctx.store.linkCount(hub: h.id, spoke: s.id))",
                    state.lastSyncAt.map(timestamp) ?? "never",
                ])
            }
            Console.line(table(rows))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disconnect a spoke. The hub keeps its contacts; the source is left as it is.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: SpokeArguments

        func run() async throws {
            let ctx = try global.context()
            let (h, s) = try target.resolve(ctx)
            try HubLock.exclusive(database: global.databasePath, hub: h.id) {
                try ctx.store.deleteSpoke(s.id, hub: h.id)
            }
            Console.line("removed spoke \(s.id) from hub \(h.id)")
        }
    }
}

extension SpokeKind: ExpressibleByArgument {
    /// `m365` (and `office365`) name the Microsoft Graph spoke, as people call the product.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "m365", "office365", "microsoft365": self = .graph
        case "m365-directory", "directory": self = .directory
        default: self.init(rawValue: argument.lowercased())
        }
    }
}
