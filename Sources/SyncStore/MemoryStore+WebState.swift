import Foundation

/// The memory store's web state: what `SQLiteStore` keeps in its web tables.
struct MemoryWebState {
    var sessions: [String: WebSession] = [:]
    var users: [String: (count: Int, last: Date)] = [:]
    var peerFailures: [String: [Date]] = [:]
    var trusted: [String: Date] = [:]
    var signIns: [String: PendingSignIn] = [:]
    var setupCode: String?
    var tokens: [String: APIToken] = [:]
    /// Bounds on rate-limit rows, so a flood of names or addresses cannot grow memory
    /// (beyond it, rows outside the window are dropped first, then the oldest trusted address).
    static let maxEntries = 10_000
}

extension MemoryStore: WebStateStore {
    public func insertSession(_ session: WebSession) throws { webRows.withLock { $0.sessions[session.idHash] = session } }
    public func session(idHash: String) throws -> WebSession? { webRows.withLock { $0.sessions[idHash] } }
    public func touchSession(idHash: String, at: Date) throws { webRows.withLock { $0.sessions[idHash]?.lastSeen = at } }
    public func deleteSession(idHash: String) throws { _ = webRows.withLock { $0.sessions.removeValue(forKey: idHash) } }

    public func signInFailures(user: String, peer: String, since: Date) throws -> SignInFailures {
        webRows.withLock { w in
            let u = w.users[user].flatMap { $0.last > since ? $0 : nil }
            let recent = (w.peerFailures[peer] ?? []).filter { $0 > since }
            return SignInFailures(
                userFailures: u?.count ?? 0, userLastFailure: u?.last, peerFailures: recent.count,
                peerOldestFailure: recent.min(), peerTrusted: w.trusted[peer] != nil)
        }
    }

    public func recordSignInFailure(user: String, peer: String, at: Date, since: Date) throws {
        webRows.withLock { w in
            if w.users.count >= MemoryWebState.maxEntries { w.users = w.users.filter { $0.value.last > since } }
            if w.peerFailures.count >= MemoryWebState.maxEntries {
                w.peerFailures = w.peerFailures.filter { $0.value.contains { $0 > since } }
            }
            let previous = w.users[user].flatMap { $0.last > since ? $0.count : nil } ?? 0
            w.users[user] = (previous + 1, at)
            w.peerFailures[peer, default: []].removeAll { $0 <= since }
            w.peerFailures[peer, default: []].append(at)
        }
    }

    public func recordSignInSuccess(user: String, peer: String, at: Date) throws {
        webRows.withLock { w in
            w.users[user] = nil
            if w.trusted[peer] == nil, w.trusted.count >= MemoryWebState.maxEntries,
                let oldest = w.trusted.min(by: { $0.value < $1.value })
            {
                w.trusted[oldest.key] = nil
            }
            w.trusted[peer] = at
        }
    }

    public func insertSignIn(_ signIn: PendingSignIn) throws {
        try webRows.withLock { w in
            guard w.signIns[signIn.idHash] == nil else { throw StoreError(.conflict, "the sign-in exists already") }
            w.signIns[signIn.idHash] = signIn
        }
    }

    public func signIn(idHash: String, now: Date) throws -> PendingSignIn? {
        webRows.withLock { w in
            guard let s = w.signIns[idHash] else { return nil }
            guard now < s.expiresAt else {
                w.signIns[idHash] = nil
                return nil
            }
            return s
        }
    }

    public func replaceSignIn(_ signIn: PendingSignIn, ifPending: Bool) throws -> Bool {
        webRows.withLock { w in
            guard let old = w.signIns[signIn.idHash], old.pending == ifPending else { return false }
            w.signIns[signIn.idHash] = signIn
            return true
        }
    }

    public func deleteSignIn(idHash: String) throws { _ = webRows.withLock { $0.signIns.removeValue(forKey: idHash) } }

    public func setupCode(creating candidate: String) throws -> String {
        webRows.withLock { w in
            if let code = w.setupCode { return code }
            w.setupCode = candidate
            return candidate
        }
    }

    public func deleteSetupCode() throws { webRows.withLock { $0.setupCode = nil } }

    public func apiTokens() throws -> [APIToken] {
        webRows.withLock { $0.tokens.values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) } }
    }

    public func apiToken(hash: String) throws -> APIToken? {
        webRows.withLock { $0.tokens.values.first { $0.tokenHash == hash } }
    }

    public func insertAPIToken(_ token: APIToken) throws {
        try webRows.withLock { w in
            guard w.tokens[token.id] == nil, !w.tokens.values.contains(where: { $0.tokenHash == token.tokenHash }) else {
                throw StoreError(.conflict, "API token \(token.id) exists already")
            }
            w.tokens[token.id] = token
        }
    }

    public func deleteAPIToken(id: String) throws -> Bool { webRows.withLock { $0.tokens.removeValue(forKey: id) != nil } }

    public func touchAPIToken(id: String, at: Date) throws { webRows.withLock { $0.tokens[id]?.lastUsed = at } }

    public func sweepWebState(now: Date, sessionsSeenBefore: Date, failuresBefore: Date) throws {
        webRows.withLock { w in
            w.sessions = w.sessions.filter { $0.value.lastSeen >= sessionsSeenBefore }
            w.signIns = w.signIns.filter { now < $0.value.expiresAt }
            w.users = w.users.filter { $0.value.last >= failuresBefore }
            w.peerFailures = w.peerFailures.compactMapValues { times in
                let kept = times.filter { $0 >= failuresBefore }
                return kept.isEmpty ? nil : kept
            }
        }
    }
}
