import Foundation
import Hummingbird
import SyncEngine
import SyncModel

struct SpokeMigrationRequest: Decodable {
    /// The kind to move to: `graph` (Microsoft 365).
    var kind: SpokeKind
    /// How to reach the same mailbox there: app-only (`email` = the mailbox, `tenant`, `clientID`,
    /// `clientSecret`) or a finished "Sign in with Microsoft" (`signIn`).
    var form: SpokeForm
}

struct SpokeMigrationDTO: ResponseCodable {
    var spoke: SpokeDTO
    /// Links kept under their new ids.
    var kept: Int
    /// Items whose id did not translate, found again by marker or matching at the next sync.
    var refind: Int
}

/// "Move to Microsoft 365": an Exchange Online spoke leaves EWS for Graph with its links.
extension HubApp {
    func addMigrationRoutes(_ router: Router<WebContext>) {
        router.post("/api/hubs/:hub/spokes/:spoke/migrate") { request, context in
            let (hub, spoke) = try self.spoke(context)
            let session = try context.requireSession()
            let body = try await request.json(SpokeMigrationRequest.self, context: context)
            guard spoke.kind == .ews, body.kind == .graph else {
                throw APIError(.badRequest, words: APIWords.onlyExchangeMoves, field: "kind")
            }
            let form = try self.resolved(body.form, session: session)
            // Everything that talks to Microsoft happens first; the switch is one transaction.
            let change = try await Self.setup { try await self.provider.migration(spoke, to: body.kind, form) }
            _ = try Self.setupSync { try self.provider.connector(for: change.spoke) }
            let report = try await self.runner.exclusive(hub.id) {
                try Self.engine { try self.runner.engine.switchConnector(hub: hub.id, change) }
            }
            if let signIn = body.form.signIn { try self.signIns.forget(signIn) }
            return SpokeMigrationDTO(spoke: try self.spokeDTO(change.spoke, hub: hub.id), kept: report.moved, refind: report.refind)
        }
    }
}
