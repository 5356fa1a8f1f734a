import ConnectorGraph
import ConnectorKit
import Emulators
import Foundation
import HubServer
import SyncEngine
import SyncModel
import SyncStore

/// The web demo's Microsoft 365 tenant: the Graph emulator in-process with three mailbox users
/// (a few contacts each), the group "All Company" of them, and a wider directory (colleagues
/// without a mailbox, a guest, a disabled shared mailbox), as `spoke-emulator --graph-port`
/// seeds it. One app registration serves both "Sign in with Microsoft" (its consent page) and
/// app-only access to the whole tenant.
struct DemoTenant: Sendable {
    let graph: GraphEmulator
    let users: [GraphUserRecord]
    let groupID: String
    /// The users a directory spoke lists (mailbox users and colleagues; not the guest, the
    /// disabled accounts or the room).
    let listed: [String]

    static let clientID = "hubsync-demo-m365"
    /// Per run, like Google's: the app's secret is never shown on a page.
    static let clientSecret = WebDemo.randomPassword()
    static let groupName = "All Company"
    static let hubName = "Company directory"

    /// Seeded, not started.
    static func make(contactsPerUser: Int = 3, consentPage: Bool = true) throws -> DemoTenant {
        let graph = GraphEmulator()
        graph.addApp(clientID: clientID, secret: clientSecret)
        graph.consent = consentPage ? .consentPage : .autoApprove
        let (users, group) = try graph.seedDemoTenant(contactsPerUser: contactsPerUser)
        let colleagues = try graph.seedDemoDirectory()
        return DemoTenant(graph: graph, users: users, groupID: group, listed: users.map(\.upn) + colleagues)
    }

    func start() async throws { _ = try await graph.start() }
    func stop() async { await graph.stop() }

    /// The app as the server knows it (Sign in with Microsoft, and the Graph endpoints every
    /// Microsoft 365 form of the wizard reaches).
    var app: M365ClientInput {
        M365ClientInput(clientID: Self.clientID, clientSecret: Self.clientSecret, tenant: graph.tenantID,
                        authority: graph.authorityURL?.absoluteString, graph: graph.graphURL?.absoluteString)
    }

    /// The app-only values of the wizard's Microsoft 365 forms ("Fill in demo values").
    func form(mailbox: String? = nil) -> SpokeForm {
        var f = SpokeForm(email: mailbox)
        f.tenant = graph.tenantID
        f.clientID = Self.clientID
        f.clientSecret = Self.clientSecret
        return f
    }

    /// The company-directory scenario, ready to look at: a hub fed by the tenant's directory
    /// (one-way), the mailboxes of the group receiving it in a "Company Directory" folder each,
    /// made through the same code as `hubsync spoke add --kind m365-directory` and
    /// `hubsync spoke add-group`, and synced once.
    func companyHub(ctx: Context) async throws -> (hub: HubConfig, run: RunRecord) {
        let hub = HubConfig(id: HubID(slug(Self.hubName)), name: Self.hubName)
        try ctx.store.saveHub(hub)
        let made = try await DirectorySetup.settings(app, secrets: ctx.secrets())
        let directory = SpokeConfig(
            id: SpokeID("directory"), hub: hub.id, name: "Directory", kind: .directory, position: 0,
            options: SpokeKind.directory.adjusted(SpokeOptions()), settings: made.settings)
        _ = try ctx.connector(for: directory)
        try ctx.store.saveSpoke(directory)
        _ = try await GroupMailboxes.add(hub: hub, group: Self.groupName, app: app, ctx: ctx)
        var connectors: [SpokeID: any SpokeConnector] = [:]
        for s in try ctx.store.spokes(hub: hub.id) { connectors[s.id] = try ctx.connector(for: s) }
        let run = try await ctx.engine.sync(hub: hub.id, connectors: connectors) { _ in }
        return (hub, run)
    }

    /// The contacts in a member's "Company Directory" folder (empty before the first sync).
    func directoryFolder(of upn: String) throws -> [GraphContactRecord] {
        guard let f = try graph.folders(in: upn).first(where: { $0.name == GraphFolders.defaultName }) else { return [] }
        return try graph.contacts(in: upn, folder: f.id)
    }
}
