import ArgumentParser
import ConnectorGraph
import Foundation
import HubServer
import SyncModel

extension SpokeGroup {
    /// `hubsync spoke migrate HUB SPOKE --to m365`: an Exchange Online spoke leaves EWS (blocked
    /// in Exchange Online since October 2026) for Microsoft Graph, keeping its links.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an Exchange Online spoke from EWS to Microsoft 365 (Graph), keeping its links.",
            discussion: """
                The spoke keeps its name, options, filters, field mappings and history; its items keep their \
                links (their EWS ids become Graph ids through translateExchangeIds), so the next sync matches, \
                creates and sends nothing again. App-only access: --tenant, --client-id, --client-secret (and \
                --mailbox, default: the Exchange user's address). Otherwise you sign in with Microsoft in the browser.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: SpokeArguments
        @Option(help: "The kind to move to: m365 (Microsoft 365 through Microsoft Graph).") var to: SpokeKind
        @Option(help: "The Entra ID tenant (id or domain). Delegated sign-in defaults to 'organizations'.") var tenant: String?
        @Option(help: "The app registration's client id (or HUBSYNC_M365_CLIENT_ID).") var clientId: String?
        @Option(help: "App-only: the app's client secret (or HUBSYNC_M365_CLIENT_SECRET).") var clientSecret: String?
        @Option(help: "App-only: the mailbox (UPN or user id); default: the Exchange spoke's user, when an address.")
        var mailbox: String?
        @Option(help: "Another identity platform base URL (an emulator).") var authorityUrl: String?
        @Option(help: "Another Microsoft Graph base URL (an emulator), ending in /v1.0.") var graphUrl: String?
        @Option(help: "Delegated sign-in: open the sign-in page with this program instead of printing it.") var openWith: String?

        func validate() throws {
            guard to == .graph else { throw ValidationError("--to takes m365: an Exchange spoke moves to Microsoft 365") }
        }

        func run() async throws {
            let ctx = try global.context()
            let (h, spoke) = try target.resolve(ctx)
            let prepared = try await cliSetup {
                let client = M365ClientInput.from(id: clientId, secret: clientSecret, tenant: tenant, authority: authorityUrl,
                                                  graph: graphUrl)
                // App-only when the app's secret and tenant are given: the mailbox is the Exchange spoke's.
                let appOnly = mailbox != nil || (client.clientSecret != nil && client.tenant != nil)
                let box = mailbox ?? (appOnly ? SpokeMigration.defaultMailbox(spoke) : nil)
                if appOnly && box == nil {
                    throw SetupError(field: "mailbox", "Name the mailbox to reach (--mailbox): the Exchange spoke's user is not an address.")
                }
                let settings = try client.settings(mailbox: box)
                let tokens = settings.appOnly ? nil : try await M365Setup.signIn(settings, openWith: openWith)
                return try await SpokeMigration.prepare(spoke, store: ctx.store, graph: settings, tokens: tokens, secrets: ctx.secrets())
            }
            _ = try ctx.connector(for: prepared.change.spoke)
            let report = try HubLock.exclusive(database: global.databasePath, hub: h.id) {
                try ctx.engine.switchConnector(hub: h.id, prepared.change)
            }
            Console.line("moved spoke \(spoke.id) (\(spoke.name)) to Microsoft 365"
                + (prepared.account.map { ", mailbox \($0)" } ?? "") + ", contacts folder: \(prepared.folder.path)")
            Console.line("  \(report.moved) link(s) kept under their Graph ids"
                + (report.refind > 0 ? "; \(report.refind) to find again by marker or matching at the next sync" : ""))
            Console.line("next: hubsync sync \(h.id)")
        }
    }
}
