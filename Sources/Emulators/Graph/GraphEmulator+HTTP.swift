import Foundation
import Hummingbird

extension GraphEmulator {
    /// Every request: the identity platform endpoints, then the bearer-authenticated `/v1.0` API.
    func handle(_ request: Request, _ context: EmulatorRequestContext) async -> Response {
        guard let body = await context.collectBody(request) else {
            return GraphReply.error(GraphError(status: 413, code: "RequestEntityTooLarge", message: "Request too large"), now: now).response
        }
        let rawPath = request.uri.path
        let segments = rawPath.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let query = FormFields.parse(request.uri.query ?? "")
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName.lowercased()
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        // HTTP/1.1's Host arrives as the request's authority, not as a header field.
        if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
        guard segments.first == "v1.0" else {
            return await identity(request.method.rawValue, segments, query: query, body: body, headers: headers, context: context)
        }
        let req = GraphRequest(method: request.method.rawValue, segments: Array(segments.dropFirst()), query: query,
                               headers: headers, body: body)
        let token = headers["authorization"].flatMap { $0.lowercased().hasPrefix("bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        let caller: GraphCaller, scope: String
        switch oauth.check(accessToken: token) {
        case .ok(let account, let granted): (caller, scope) = (account.isEmpty ? .app : .user(account), granted)
        case .expired:
            count("unauthenticated", path: nil)
            return GraphReply.error(.unauthenticated(expired: true), now: now).response
        case .unknown:
            count("unauthenticated", path: nil)
            return GraphReply.error(.unauthenticated(expired: false), now: now).response
        }
        if GraphRoute.parse(req.segments) == .batch {
            count("batch", path: "POST /v1.0/$batch")
            let (reply, drop) = await guarded("batch") { await batch(req, caller: caller, scope: scope) }
            // A member's lost answer loses the whole envelope (status 0 marks it).
            if drop || reply.status == 0 { context.closeConnection(); return .text(.internalServerError, "") }
            return reply.response
        }
        let (reply, drop) = await perform(req, caller: caller, scope: scope)
        if drop { context.closeConnection(); return .text(.internalServerError, "") }
        return reply.response
    }

    /// One API call (a request or a `$batch` member): counted, admitted by the mailbox's
    /// concurrency limit and budget, faulted, then run atomically on the tenant. `drop`: the
    /// connection must close without an answer.
    func perform(_ req: GraphRequest, caller: GraphCaller, scope: String) async -> (GraphReply, drop: Bool) {
        guard let route = GraphRoute.parse(req.segments) else {
            count("unknown", path: nil)
            return (.error(.segmentNotFound(req.segments.last ?? ""), now: now), false)
        }
        let operation = route.operation(req.method)
        count(operation, path: "\(req.method) /v1.0/" + req.segments.joined(separator: "/"))
        let mailbox: String? = switch route {
        case .mailbox(let p, _): store.with { t in p == .me ? (caller == .app ? nil : callerID(caller)) : userKey(p, t) }
        default: nil
        }
        if let mailbox, let refused = admit(mailbox) { return (.error(refused, now: now), false) }
        defer { if let mailbox { release(mailbox) } }
        return await guarded(operation) { run(route, req, caller: caller, scope: scope) }
    }

    func callerID(_ caller: GraphCaller) -> String? { if case .user(let id) = caller { return id }; return nil }
    func userKey(_ p: GraphPrincipal, _ t: GraphTenant) -> String? { if case .user(let k) = p { return t.userID(k) }; return nil }

    /// The fault plan around `body`, in Graph's shape.
    func guarded(_ operation: String, _ body: () async -> GraphReply) async -> (GraphReply, drop: Bool) {
        switch await faults.before(operation: operation) {
        case nil: return (await body(), false)
        case .httpStatus(let code, let retryAfter)?: return (.error(.forHTTPStatus(code, retryAfter: retryAfter), now: now), false)
        case .serverBusy?: return (.error(.forHTTPStatus(503, retryAfter: nil), now: now), false)
        case .dropConnection?: return (.noContent, true)
        case .dropAnswer?: _ = await body(); return (.noContent, true)
        }
    }

    /// Takes a concurrency slot and spends one request of the budget; the error when refused.
    func admit(_ mailbox: String) -> GraphError? {
        let s = settings.withLock { $0 }
        let now = self.now
        return stats.withLock { st -> GraphError? in
            if let budget = s.budget {
                var (start, used) = st.window[mailbox] ?? (now, 0)
                if now.timeIntervalSince(start) >= s.budgetWindow { (start, used) = (now, 0) }
                used += 1
                st.window[mailbox] = (start, used)
                if used > budget { st.throttled += 1; return .tooManyRequests(retryAfter: s.budgetRetryAfter) }
            }
            let running = st.inFlight[mailbox] ?? 0
            if running >= s.concurrencyLimit { st.throttled += 1; return .mailboxConcurrency(retryAfter: s.concurrencyRetryAfter) }
            st.inFlight[mailbox] = running + 1
            st.peakInFlight[mailbox] = max(st.peakInFlight[mailbox] ?? 0, running + 1)
            return nil
        }
    }

    func release(_ mailbox: String) { stats.withLock { $0.inFlight[mailbox, default: 1] -= 1 } }

    /// `host`: the request's Host header; links (nextLink, deltaLink) name the host the client
    /// reached, so a client behind a relay (a benchmark counting requests) follows them through it.
    func environment(host: String? = nil) -> GraphEnvironment {
        let base = host.flatMap { h in h.hasPrefix("127.0.0.1:") || h.hasPrefix("localhost:") ? "http://" + h : nil } ?? root
        return settings.withLock { GraphEnvironment(now: now, base: base + "/v1.0", deltaExpiry: $0.deltaExpiry, replayInDelta: $0.replayInDelta) }
    }

    /// Runs a parsed call on the tenant under its lock.
    func run(_ route: GraphRoute, _ req: GraphRequest, caller: GraphCaller, scope: String) -> GraphReply {
        let env = environment(host: req.header("host"))
        let url = env.base + "/" + req.segments.joined(separator: "/")
        var reply: GraphReply
        do throws(GraphError) {
            reply = try store.with { (t: inout GraphTenant) throws(GraphError) -> GraphReply in
                try dispatch(route, req, &t, caller: caller, scope: scope, url: url, env)
            }
        } catch {
            reply = .error(error, now: env.now)
        }
        if req.wantsImmutableIDs { reply.headers.append(("Preference-Applied", "IdType=\"ImmutableId\"")) }
        return reply
    }

    func dispatch(_ route: GraphRoute, _ req: GraphRequest, _ t: inout GraphTenant, caller: GraphCaller, scope: String,
                  url: String, _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let scopes = Set(scope.split(separator: " ").map { $0.replacingOccurrences(of: "https://graph.microsoft.com/", with: "") })
        func resolve(_ p: GraphPrincipal, directory: Bool) throws(GraphError) -> String {
            switch (p, caller) {
            case (.me, .app): throw GraphError.meNeedsDelegated
            case (.me, .user(let id)): return id
            case (.user(let key), _):
                guard let id = t.userID(key) else { throw directory ? GraphError.directoryNotFound(key) : GraphError.invalidUser(key) }
                if !directory, case .user(let me) = caller, me != id { throw GraphError.accessDenied }
                return id
            }
        }
        func needDirectory() throws(GraphError) {
            guard caller == .app || !scopes.isDisjoint(with: ["User.Read.All", "User.ReadBasic.All", "Directory.Read.All"]) else {
                throw GraphError(status: 403, code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation.")
            }
        }
        switch (route, req.method) {
        case (.users, "GET"): try needDirectory(); return try GraphDirectoryOps.listUsers(req, &t, url: url, env)
        case (.usersDelta, "GET"): try needDirectory(); return try GraphDirectoryOps.usersDelta(req, &t, url: url, env)
        case (.user(let p), "GET"):
            let id = try resolve(p, directory: true)
            return try GraphDirectoryOps.getUser(req, &t, key: id, env)
        case (.userPhoto(let p), "GET"): return try GraphDirectoryOps.userPhoto(req, &t, key: try resolve(p, directory: true))
        case (.groups, "GET"): try needDirectory(); return try GraphDirectoryOps.listGroups(req, &t, url: url, env)
        case (.group(let id), "GET"): try needDirectory(); return try GraphDirectoryOps.getGroup(&t, id: id, env)
        case (.groupMembers(let id, let transitive, let usersOnly), "GET"):
            try needDirectory()
            return try GraphDirectoryOps.members(req, &t, id: id, transitive: transitive, usersOnly: usersOnly, url: url, env)
        case (.mailbox(let p, let m), _):
            let id = try resolve(p, directory: false)
            let write = req.method != "GET"
            guard caller == .app || scopes.contains("Contacts.ReadWrite") || (!write && scopes.contains("Contacts.Read")) else {
                throw GraphError.accessDenied
            }
            guard t.mailboxes[id] != nil else {
                throw GraphError(status: 404, code: "MailboxNotEnabledForRESTAPI",
                                 message: "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
            }
            let scope = MailboxScope(owner: "users('\(id)')", url: url)
            return try t.onMailbox(id) { (mb: inout GraphMailbox) throws(GraphError) -> GraphReply in try GraphMailboxOps.run(m, req, &mb, scope, env) }
        default:
            throw GraphError(status: 405, code: "Request_BadRequest", message: "Specified HTTP method is not allowed for the request target.")
        }
    }
}

/// Mailbox routes × methods → operations.
enum GraphMailboxOps {
    static func run(_ m: MailboxRoute, _ req: GraphRequest, _ mb: inout GraphMailbox, _ scope: MailboxScope,
                    _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        switch (m, req.method) {
        case (.contacts(let f), "GET"): return try GraphContactOps.list(req, &mb, folder: f, scope, env)
        case (.contacts(let f), "POST"): return try GraphContactOps.create(req, &mb, folder: f, scope, env)
        case (.delta(let f), "GET"): return try GraphDeltaOps.delta(req, &mb, folder: f, scope, env)
        case (.contact(let id, let f), "GET"): return try GraphContactOps.get(req, &mb, id: id, folder: f, scope, env)
        case (.contact(let id, let f), "PATCH"): return try GraphContactOps.update(req, &mb, id: id, folder: f, scope, env)
        case (.contact(let id, let f), "DELETE"): return try GraphContactOps.delete(req, &mb, id: id, folder: f, env)
        case (.photo(let id, let value), _): return try GraphContactOps.photo(req, &mb, id: id, value: value, scope, env)
        case (.folders(let p), "GET"): return try GraphFolderOps.list(req, &mb, parent: p, scope, env)
        case (.folders(let p), "POST"): return try GraphFolderOps.create(req, &mb, parent: p, scope, env)
        case (.folder(let id), "GET"): return try GraphFolderOps.get(&mb, id: id, scope, env)
        case (.folder(let id), "DELETE"): return try GraphFolderOps.delete(&mb, id: id)
        case (.translateIds, "POST"): return try GraphFolderOps.translate(req)
        default:
            throw GraphError(status: 405, code: "ErrorInvalidRequest", message: "The OData request is not supported.")
        }
    }
}
