import Foundation
import Hummingbird

extension PeopleEmulator {
    typealias Operation = @Sendable (APIRequest, inout PeopleAccount, APIEnvironment) throws(GoogleError) -> JSONValue

    /// Every request: OAuth endpoints, photo downloads, then the bearer-authenticated `/v1` API.
    func handle(_ request: Request, _ context: EmulatorRequestContext) async -> Response {
        guard let body = await context.collectBody(request) else {
            return GoogleError(code: 413, status: "INVALID_ARGUMENT", message: "Request too large").response
        }
        let path = request.uri.path.removingPercentEncoding ?? request.uri.path
        let query = FormFields.parse(request.uri.query ?? "")
        switch (request.method, path) {
        case (.get, "/o/oauth2/v2/auth"), (.get, "/o/oauth2/auth"):
            return await guarded("oauth.authorize", context: context) { authorize(query) }
        case (.post, "/o/oauth2/v2/auth/approve"):
            return await guarded("oauth.authorize", context: context) { approve(FormFields.parse(String(decoding: body, as: UTF8.self))) }
        case (.post, "/token"), (.post, "/o/oauth2/token"):
            let form = FormFields.parse(String(decoding: body, as: UTF8.self))
            let grant = form.last { $0.0 == "grant_type" }?.1 ?? ""
            return await guarded("oauth.token", counted: "oauth.token.\(grant)", context: context) {
                token(form, authorization: request.headers[.authorization])
            }
        case (.post, "/revoke"), (.get, "/revoke"):
            let form = query + FormFields.parse(String(decoding: body, as: UTF8.self))
            return revoke(form)
        case (.get, _) where path.hasPrefix("/photos/"):
            return photo(path)
        default:
            break
        }
        guard let (operation, id, run) = route(request.method, path) else {
            return GoogleError(code: 404, status: "NOT_FOUND", message: "Method not found.").response
        }
        var api = APIRequest(query: query, body: body)
        api.id = id
        return await call(operation, write: request.method != .get, api, authorization: request.headers[.authorization],
                          context: context, run)
    }

    /// Method + path → Google method id, path parameter and operation.
    func route(_ method: HTTPRequest.Method, _ path: String) -> (String, String, Operation)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.first == "v1", parts.count >= 2 else { return nil }
        let rest = Array(parts.dropFirst())
        switch (method, rest.count, rest[0]) {
        case (.get, 1, "people:batchGet"): return ("people.getBatchGet", "", ContactOps.batchGet)
        case (.post, 1, "people:createContact"): return ("people.createContact", "", ContactOps.create)
        case (.post, 1, "people:batchCreateContacts"): return ("people.batchCreateContacts", "", BatchOps.create)
        case (.post, 1, "people:batchUpdateContacts"): return ("people.batchUpdateContacts", "", BatchOps.update)
        case (.post, 1, "people:batchDeleteContacts"): return ("people.batchDeleteContacts", "", BatchOps.delete)
        case (.get, 1, "contactGroups"): return ("contactGroups.list", "", GroupOps.list)
        case (.post, 1, "contactGroups"): return ("contactGroups.create", "", GroupOps.create)
        case (.get, 1, "contactGroups:batchGet"): return ("contactGroups.batchGet", "", GroupOps.batchGet)
        default: break
        }
        if rest.count == 3, rest[0] == "people", rest[2] == "connections", method == .get {
            return rest[1] == "me" ? ("people.connections.list", "", ConnectionsOp.list) : nil
        }
        if rest.count == 2, rest[0] == "people" {
            let (id, verb) = Self.splitVerb(rest[1])
            switch (method, verb) {
            case (.get, nil): return ("people.get", id, ContactOps.get)
            case (.patch, "updateContact"): return ("people.updateContact", id, ContactOps.update)
            case (.delete, "deleteContact"): return ("people.deleteContact", id, ContactOps.delete)
            case (.patch, "updateContactPhoto"): return ("people.updateContactPhoto", id, PhotoOps.update)
            case (.delete, "deleteContactPhoto"): return ("people.deleteContactPhoto", id, PhotoOps.delete)
            default: return nil
            }
        }
        if rest.count == 2, rest[0] == "contactGroups" {
            switch method {
            case .get: return ("contactGroups.get", rest[1], GroupOps.get)
            case .put: return ("contactGroups.update", rest[1], GroupOps.update)
            case .delete: return ("contactGroups.delete", rest[1], GroupOps.delete)
            default: return nil
            }
        }
        if rest.count == 3, rest[0] == "contactGroups", rest[2] == "members:modify", method == .post {
            return ("contactGroups.members.modify", rest[1], GroupOps.modifyMembers)
        }
        return nil
    }

    /// `c123:updateContact` → (`c123`, `updateContact`).
    static func splitVerb(_ segment: String) -> (String, String?) {
        guard let colon = segment.firstIndex(of: ":") else { return (segment, nil) }
        return (String(segment[..<colon]), String(segment[segment.index(after: colon)...]))
    }

    /// Authenticates the bearer token, then counts, applies faults and quota, and runs the
    /// operation atomically on the caller's account.
    func call(_ operation: String, write: Bool, _ api: APIRequest, authorization: String?,
              context: EmulatorRequestContext, _ run: @escaping Operation) async -> Response {
        let method = "google.people.v1.\(operation)"
        let token = authorization.flatMap { $0.lowercased().hasPrefix("bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        let account: String, scope: String
        switch oauth.check(accessToken: token) {
        case .ok(let a, let s): (account, scope) = (a, s)
        case .expired:
            count("unauthenticated")
            return GoogleError.unauthenticated(expired: true, method: method).response
        case .unknown:
            count("unauthenticated")
            return GoogleError.unauthenticated(expired: false, method: method).response
        }
        return await guarded(operation, context: context) {
            if let refused = spendQuota(account: account, write: write) { return refused.response }
            let scopes = Set(scope.split(separator: " ").map(String.init))
            let readonly = "https://www.googleapis.com/auth/contacts.readonly"
            guard scopes.contains(Self.contactsScope) || (!write && scopes.contains(readonly)) else {
                return GoogleError.insufficientScope(method: method).response
            }
            let env = settings.withLock { APIEnvironment(now: now, root: root, syncTokenMaxAge: $0.syncTokenMaxAge) }
            do throws(GoogleError) {
                let result = try store.with(account) { (acct: inout PeopleAccount) throws(GoogleError) -> JSONValue in
                    try run(api, &acct, env)
                }
                guard let result else { return GoogleError.unauthenticated(expired: false, method: method).response }
                return .json(result)
            } catch {
                return error.response
            }
        }
    }

    /// Counts the request and applies the fault plan around `body`.
    func guarded(_ operation: String, counted: String? = nil, context: EmulatorRequestContext,
                 _ body: () async -> Response) async -> Response {
        count(counted ?? operation)
        return await faults.around(operation, context: context, body, status: { code, retryAfter in
            var error = GoogleError.forHTTPStatus(code)
            if let retryAfter { error.headers.append(("Retry-After", "\(retryAfter)")) }
            return error.response
        }, busy: { _ in GoogleError.forHTTPStatus(503).response })
    }
}
