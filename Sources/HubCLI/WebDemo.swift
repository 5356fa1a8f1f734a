import ConnectorGoogle
import Emulators
import Foundation
import HubServer
import Logging
import Secrets
import ConnectorGraph
import SyncModel
import SyncStore
import SyncStoreSQLite

/// The web demo behind `hubsync demo`: the web app on a fresh SQLite database, with stand-ins
/// for real sources running locally (an Exchange mailbox, a Google account and a Microsoft 365
/// tenant from the emulators, a Radicale CardDAV server when it is installed, a folder), each
/// filled with sample contacts, and an admin login made up front. The tenant's company-directory
/// hub is made and synced up front, so there is one working hub to look at. The wizard's forms can be filled with the values
/// that reach them (`SpokeKindInfo.demo`).
public final class WebDemo: Sendable {
    public struct Options: Sendable {
        /// Where the database, key and folders go (default: a new temporary directory).
        public var directory: URL?
        /// The database (default: hub.sqlite in `directory`).
        public var database: String?
        /// 0: any free port.
        public var port: Int
        /// People in the Exchange mailbox; Google gets three quarters as many.
        public var contacts: Int
        /// bcrypt work factor of the admin password.
        public var bcryptCost: UInt8
        /// The Google emulator asks "Allow?" on a page, as Google does; false: it agrees at once
        /// (a test following redirects with no browser).
        public var googleConsentPage: Bool
        /// The same for the Microsoft 365 tenant's "Sign in with Microsoft".
        public var microsoftConsentPage: Bool
        /// Start Radicale when it is installed.
        public var radicale: Bool
        /// Told each start-up step as it begins (the CLI prints them: a first start takes a while).
        public var progress: @Sendable (String) -> Void = { _ in }

        public init(
            directory: URL? = nil, database: String? = nil, port: Int = 8080, contacts: Int = 40, bcryptCost: UInt8 = 10,
            googleConsentPage: Bool = true, microsoftConsentPage: Bool = true, radicale: Bool = true
        ) {
            self.directory = directory
            self.database = database
            self.port = port
            self.contacts = contacts
            self.bcryptCost = bcryptCost
            self.googleConsentPage = googleConsentPage
            self.microsoftConsentPage = microsoftConsentPage
            self.radicale = radicale
        }
    }

    public struct Login: Sendable, Hashable {
        public var user: String
        public var password: String
    }

    public let app: HubApp
    public let directory: URL
    public let database: String
    public let admin: Login
    /// What the wizard's "fill in demo values" puts into each kind's form.
    public let forms: [SpokeKind: SpokeForm]
    public let exchange: EWSEmulator
    public let google: PeopleEmulator
    /// The Microsoft 365 tenant (Graph emulator).
    public var microsoft: GraphEmulator { tenant.graph }
    /// The company-directory hub made at start-up, and its first sync.
    public let companyHub: (hub: HubConfig, run: RunRecord)
    /// The calendar hub made at start-up: its series, and its first sync.
    public let calendarHub: (hub: HubConfig, series: Int, run: RunRecord)
    let tenant: DemoTenant
    let provider: ConnectorProvider
    let radicale: DemoRadicale?
    let people: DemoPeople

    static let mailbox = "alex@contoso.example"
    static let googleAccount = "alex.morgan@gmail.example"

    /// Sets everything up and starts the sources; the web app is built, not started (`app.run`
    /// or `app.start`).
    public static func prepare(_ options: Options) async throws -> WebDemo {
        let root = options.directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-demo-\(UUID().uuidString.prefix(8))")
        let database = options.database ?? root.appendingPathComponent("hub.sqlite").path
        if FileManager.default.fileExists(atPath: database) { throw CLIError("\(database) exists already: pick another --dir") }
        try makePrivateDirectory(root)
        try makePrivateDirectory(URL(fileURLWithPath: database).deletingLastPathComponent())
        options.progress("preparing \(options.contacts) sample contacts in \(root.path)")
        let people = DemoPeople(contacts: options.contacts)
        let exchange = try makeExchange(people)
        let google = try makeGoogle(people, consentPage: options.googleConsentPage)
        let tenant = try DemoTenant.make(consentPage: options.microsoftConsentPage)
        do {
            return try await assemble(
                options, root: root, database: database, people: people, exchange: exchange, google: google, tenant: tenant)
        } catch {
            // Radicale, if it started, stops when its value goes.
            await exchange.stop()
            await google.stop()
            await tenant.stop()
            throw error
        }
    }

    private static func assemble(
        _ options: Options, root: URL, database: String, people: DemoPeople, exchange: EWSEmulator, google: PeopleEmulator,
        tenant: DemoTenant
    ) async throws -> WebDemo {
        var forms: [SpokeKind: SpokeForm] = [:]
        options.progress("starting the Exchange and Google stand-ins")
        let exchangeURL = try await exchange.start()
        forms[.ews] = SpokeForm(
            url: "http://127.0.0.1:\(exchangeURL.port ?? 0)", user: "alex", password: exchangePassword, email: mailbox, version: "2016")
        let googleSettings = GoogleSettings.emulator(try await google.start(), clientID: googleClientID, clientSecret: googleClientSecret)
        options.progress("starting the Microsoft 365 stand-in (\(tenant.users.count) mailboxes, the group \(DemoTenant.groupName), a directory)")
        try await tenant.start()
        forms[.graph] = tenant.form(mailbox: tenant.users[0].upn)
        forms[.directory] = tenant.form()

        var radicale: DemoRadicale?
        if options.radicale, DemoRadicale.available() {
            options.progress("starting Radicale (CardDAV) and filling its address book")
            let r = try await DemoRadicale(directory: root.appendingPathComponent("radicale"), user: "alex", password: davPassword)
            try await r.fill(people.carddav.enumerated().map { i, c in
                let uid = "crm-\(i)"
                return (uid, DemoPeople.vcard(c, uid: uid))
            })
            forms[.carddav] = SpokeForm(url: r.base.absoluteString, user: r.user, password: r.password)
            forms[.caldav] = forms[.carddav]
            radicale = r
        } else if options.radicale {
            options.progress("Radicale is not installed: going on without a CardDAV server")
        }

        let folder = root.appendingPathComponent("vcards")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        forms[.folder] = SpokeForm(path: folder.path)
        forms[.icsFolder] = SpokeForm(path: root.appendingPathComponent("ics").path)

        let logger = GlobalOptions.logger(verbose: false)
        options.progress("opening the database and the web app")
        let store = try SQLiteStore(path: database)
        let keyFile = URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("hubsync.key")
        let box = try SecretBox.load(keyFile: keyFile)
        let context = Context(store: store, logger: logger, secrets: { box })
        let provider = ConnectorProvider(
            context: context, google: googleSettings, m365: tenant.app, demo: forms,
            autodiscover: exchange.autodiscoverURL.map { [$0] })
        let app = HubApp(
            store: store, provider: provider,
            settings: HubApp.Settings(host: "127.0.0.1", port: options.port, bcryptCost: options.bcryptCost),
            lock: { hub in try HubLock(database: database, hub: hub.rawValue) }, logger: logger)
        let admin = Login(user: "admin", password: randomPassword())
        try app.createAdmin(user: admin.user, password: admin.password)
        options.progress("making the hub \"\(DemoTenant.hubName)\": the directory into the mailboxes of \(DemoTenant.groupName), synced once")
        let companyHub = try await tenant.companyHub(ctx: context)
        options.progress("making the hub \"\(DemoCalendarHub.hubName)\": a folder of .ics files"
            + (radicale == nil ? "" : " and a calendar on Radicale") + ", synced once")
        let calendarHub = try await DemoCalendarHub.make(
            provider: provider, store: store, folder: root.appendingPathComponent("team-calendar"),
            calendar: radicale.map { SpokeForm(url: $0.calendar.absoluteString, user: $0.user, password: $0.password) },
            today: DemoCalendarHub.today(), ctx: context)
        return WebDemo(
            app: app, directory: root, database: database, admin: admin, forms: forms, exchange: exchange, google: google,
            tenant: tenant, companyHub: companyHub, calendarHub: calendarHub, provider: provider, radicale: radicale, people: people)
    }

    private init(
        app: HubApp, directory: URL, database: String, admin: Login, forms: [SpokeKind: SpokeForm], exchange: EWSEmulator,
        google: PeopleEmulator, tenant: DemoTenant, companyHub: (hub: HubConfig, run: RunRecord),
        calendarHub: (hub: HubConfig, series: Int, run: RunRecord), provider: ConnectorProvider,
        radicale: DemoRadicale?, people: DemoPeople
    ) {
        self.app = app
        self.directory = directory
        self.database = database
        self.admin = admin
        self.forms = forms
        self.exchange = exchange
        self.google = google
        self.tenant = tenant
        self.companyHub = companyHub
        self.calendarHub = calendarHub
        self.provider = provider
        self.radicale = radicale
        self.people = people
    }

    /// Stops the sources (the web app is stopped by whoever started it).
    public func shutdown() async {
        await exchange.stop()
        await google.stop()
        await tenant.stop()
        radicale?.stop()
    }

    // MARK: The sources

    // Fixed, not secret: these servers run on loopback for the demo's length and hold sample data.
    static let exchangePassword = "Contoso-demo-1"
    static let davPassword = "Radicale-demo-1"

    static let googleClientID = "hubsync-demo.apps.googleusercontent.com"
    /// Per run: the client secret is the one credential of the emulated Google a page never shows.
    static let googleClientSecret = randomPassword()

    private static func makeExchange(_ people: DemoPeople) throws -> EWSEmulator {
        let ews = EWSEmulator(version: .exchange2016, auth: [.ntlm, .basic])
        ews.addMailbox(email: mailbox, user: "alex", password: exchangePassword, domain: "CONTOSO", displayName: "Alex Morgan")
        for c in people.exchange { try ews.createContact(DemoPeople.ews(c), in: mailbox) }
        let suppliers = try ews.addContactsFolder(named: "Suppliers", in: mailbox)
        for c in people.exchangeSuppliers { try ews.createContact(DemoPeople.ews(c), in: mailbox, folder: suppliers.id) }
        return ews
    }

    private static func makeGoogle(_ people: DemoPeople, consentPage: Bool) throws -> PeopleEmulator {
        let google = PeopleEmulator()
        google.addAccount(email: googleAccount, clientID: googleClientID, clientSecret: googleClientSecret, displayName: "Alex Morgan")
        google.consent = consentPage ? .consentPage : .autoApprove
        for c in people.google { try google.createContact(in: googleAccount, fields: DemoPeople.people(c)) }
        return google
    }

    /// 16 letters and digits in groups of four, nothing to mistake for another.
    static func randomPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var rng = SystemRandomNumberGenerator()
        let chars = (0..<16).map { _ in alphabet.randomElement(using: &rng)! }
        return stride(from: 0, to: 16, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
    }

    // MARK: What to tell the user

    /// The lines `hubsync demo` prints once the web app listens on `port`.
    public func banner(port: Int) -> String {
        let url = "http://127.0.0.1:\(port)/"
        var lines = [
            "HubSync demo: open \(url) and sign in",
            "  user:     \(admin.user)",
            "  password: \(admin.password)",
            "",
            "Then create a hub and add its spokes in the wizard (\"Fill in demo values\" fills each form).",
            "Stand-ins for real sources, running on this machine:",
        ]
        if let f = forms[.ews] {
            lines += [
                "  Exchange Server: a mailbox with \(people.exchange.count) contacts, and \(people.exchangeSuppliers.count) "
                    + "in a Suppliers folder (EWS emulator)",
                "    email \(f.email ?? ""), user \(f.user ?? ""), password \(f.password ?? ""), version 2016,",
                "    server \(f.url ?? "") (or leave it empty: Autodiscover finds it from the email)",
            ]
        }
        lines += [
            "  Google Contacts: an account with \(people.google.count) contacts, \(people.contacts / 4) of them also in "
                + "Exchange, written a little differently (People API emulator)",
            "    \"Sign in with Google\" shows the emulator's consent page for \(Self.googleAccount): click Allow",
        ]
        lines += microsoftLines()
        if let f = forms[.carddav] {
            lines += [
                "  CardDAV server: an address book with \(people.carddav.count) contacts (Radicale)",
                "    server \(f.url ?? ""), user \(f.user ?? ""), password \(f.password ?? "")",
            ]
        } else {
            lines.append("  CardDAV server: Radicale is not installed (`script/bootstrap` or `pip install radicale`), so this demo has none")
        }
        if let f = forms[.folder] {
            lines += ["  Folder of vCard files: \(f.path ?? "") (empty: the hub writes one .vcf file per contact there)"]
        }
        lines += calendarLines()
        lines += ["", "Everything is in \(directory.path). Ctrl-C stops the demo."]
        return lines.joined(separator: "\n")
    }
}

extension WebDemo {
    /// The banner's Microsoft 365 part: the tenant, the hub made from it, and the app's values.
    func microsoftLines() -> [String] {
        let members = tenant.users.map(\.upn)
        let stats = companyHub.run.stats.values
        let intoHub = stats.reduce(0) { $0 + $1.hubCreated }, written = stats.reduce(0) { $0 + $1.pushedCreates }
        return [
            "  Microsoft 365: tenant \(microsoft.domain) with \(members.count) mailboxes (\(members.joined(separator: ", "))), "
                + "the group \(DemoTenant.groupName) of them, and \(tenant.listed.count) people in its directory (Graph emulator)",
            "    hub \"\(companyHub.hub.name)\" is ready: the directory feeds it, and each member's \(GraphFolders.defaultName) "
                + "folder receives it (first sync: \(intoHub) people into the hub, \(written) contacts written to the mailboxes)",
            "    \"Sign in with Microsoft\" shows the emulator's consent page: click Accept",
            "    app-only (directory, a mailbox, \"Mailboxes of a group\"): tenant \(microsoft.tenantID),",
            "    client id \(DemoTenant.clientID), client secret \(DemoTenant.clientSecret)",
        ]
    }
}

extension WebDemo {
    /// The banner's calendar part: the hub made from the .ics folder and Radicale's calendar.
    func calendarLines() -> [String] {
        let (hub, series, run) = calendarHub
        let written = run.stats.values.reduce(0) { $0 + $1.pushedCreates }
        var lines = [
            "  Calendar hub \"\(hub.name)\" is ready: \(series) series (a weekly meeting with a moved and a cancelled "
                + "instance, holidays, a monthly review, a private appointment) from a folder of .ics files, "
                + (radicale == nil ? "synced once" : "copied to a calendar on Radicale by its first sync (\(written) written)"),
            "    open it and choose \"Upcoming events\"; the folder: \(directory.appendingPathComponent("team-calendar").path)",
        ]
        if let f = forms[.caldav] { lines.append("    CalDAV calendar: server \(f.url ?? ""), user \(f.user ?? ""), password \(f.password ?? "")") }
        return lines
    }
}
