import Foundation
import Hummingbird
import SyncStore

struct APITokenDTO: ResponseCodable {
    var id: String
    var name: String
    var scope: String
    var createdBy: String
    var createdAt: Date
    var lastUsed: Date?

    init(_ t: APIToken) {
        id = t.id
        name = t.name
        scope = t.scope.rawValue
        createdBy = t.createdBy
        createdAt = t.createdAt
        lastUsed = t.lastUsed
    }
}

struct NewAPIToken: Decodable { var name: String; var scope: String }

struct CreatedAPIToken: ResponseCodable {
    var token: APITokenDTO
    /// Shown once, never stored: the caller copies it now.
    var secret: String
}

/// API tokens: made, listed and revoked by an admin (a session, or an admin-scoped token).
extension HubApp {
    var apiTokens: APITokenService { APITokenService(store: webState, clock: clock) }

    func addTokenRoutes(_ router: Router<WebContext>) {
        router.get("/api/tokens") { _, _ in try self.apiTokens.list().map(APITokenDTO.init) }
        router.post("/api/tokens") { request, context in
            let session = try context.requireSession()
            let new = try await request.json(NewAPIToken.self, context: context)
            guard let scope = APITokenScope(rawValue: new.scope) else {
                throw APIError(.badRequest, words: TokenWords.scope, field: "scope")
            }
            let (token, secret) = try self.apiTokens.create(name: new.name, scope: scope, by: session.user)
            self.logger.notice("API token created", metadata: ["token": "\(token.id)", "scope": "\(scope.rawValue)", "by": "\(session.user)"])
            return EditedResponse(status: .created, response: CreatedAPIToken(token: APITokenDTO(token), secret: secret))
        }
        router.delete("/api/tokens/:id") { _, context in
            let id = try context.pathParameter("id")
            guard try self.apiTokens.revoke(id: id) else { throw APIError(.notFound, words: TokenWords.noToken, ["id": id]) }
            self.logger.notice("API token revoked", metadata: ["token": "\(id)"])
            return Response(status: .noContent)
        }
    }
}
