import Foundation
import SyncStore
import Testing

/// The web servers' shared state in every store: sessions, the rate limit's counters, OAuth
/// sign-ins under way, the setup code and API tokens; expired rows go when met or swept.
struct WebStateConformanceTests {
    static func web(_ store: any SyncStore) throws -> any WebStateStore { try #require(store as? any WebStateStore) }

    @Test(arguments: StoreKind.keepingWebState)
    func sessionsTouchedDeletedAndSwept(kind: StoreKind) throws {
        try kind.with { store in
            let web = try Self.web(store)
            let a = WebSession(idHash: "ha", user: "admin", csrf: "c1", createdAt: at(100), lastSeen: at(100))
            let b = WebSession(idHash: "hb", user: "admin", csrf: "c2", createdAt: at(200), lastSeen: at(200))
            try web.insertSession(a)
            try web.insertSession(b)
            #expect(try web.session(idHash: "ha") == a)
            #expect(try web.session(idHash: "nope") == nil)
            try web.touchSession(idHash: "ha", at: at(300))
            #expect(try web.session(idHash: "ha")?.lastSeen == at(300))
            #expect(try web.session(idHash: "ha")?.createdAt == at(100))
            // Seen before 250: b goes, a (touched at 300) stays.
            try web.sweepWebState(now: at(400), sessionsSeenBefore: at(250), failuresBefore: at(0))
            #expect(try web.session(idHash: "hb") == nil)
            #expect(try web.session(idHash: "ha") != nil)
            try web.deleteSession(idHash: "ha")
            #expect(try web.session(idHash: "ha") == nil)
            // Touching a gone session brings nothing back.
            try web.touchSession(idHash: "ha", at: at(500))
            #expect(try web.session(idHash: "ha") == nil)
        }
    }

    @Test(arguments: StoreKind.keepingWebState)
    func signInFailuresCountWithinTheWindow(kind: StoreKind) throws {
        try kind.with { store in
            let web = try Self.web(store)
            #expect(try web.signInFailures(user: "admin", peer: "p1", since: at(0)) == SignInFailures())
            try web.recordSignInFailure(user: "admin", peer: "p1", at: at(10), since: at(0))
            try web.recordSignInFailure(user: "admin", peer: "p2", at: at(20), since: at(0))
            try web.recordSignInFailure(user: "other", peer: "p1", at: at(30), since: at(0))
            let f = try web.signInFailures(user: "admin", peer: "p1", since: at(0))
            #expect(f == SignInFailures(userFailures: 2, userLastFailure: at(20), peerFailures: 2, peerOldestFailure: at(10)))
            // The window forgets: only what is after `since` counts.
            #expect(try web.signInFailures(user: "admin", peer: "p1", since: at(15)).peerFailures == 1)
            #expect(try web.signInFailures(user: "admin", peer: "p1", since: at(10)).peerFailures == 1)
            #expect(try web.signInFailures(user: "admin", peer: "p2", since: at(20)).userFailures == 0)
            #expect(try web.signInFailures(user: "admin", peer: "p1", since: at(25)).userFailures == 0)
            // A success forgets the name's failures and trusts the address, not its own failures.
            try web.recordSignInSuccess(user: "other", peer: "p1", at: at(110))
            let after = try web.signInFailures(user: "other", peer: "p1", since: at(0))
            #expect(after.userFailures == 0 && after.peerTrusted && after.peerFailures == 2)
            #expect(try !web.signInFailures(user: "other", peer: "p2", since: at(0)).peerTrusted)
            // A user name's run restarts once its last failure left the window.
            try web.recordSignInFailure(user: "admin", peer: "p3", at: at(100), since: at(50))
            #expect(try web.signInFailures(user: "admin", peer: "p3", since: at(50)).userFailures == 1)
            // The sweep drops failures before its cut (trust stays).
            try web.sweepWebState(now: at(200), sessionsSeenBefore: at(0), failuresBefore: at(50))
            let swept = try web.signInFailures(user: "admin", peer: "p1", since: at(0))
            #expect(swept.peerFailures == 0 && swept.peerTrusted)
            #expect(try web.signInFailures(user: "admin", peer: "p3", since: at(0)).peerFailures == 1)
            #expect(try web.signInFailures(user: "admin", peer: "p3", since: at(0)).userFailures == 1)
        }
    }

    @Test(arguments: StoreKind.keepingWebState)
    func signInsFinishOnceAndExpire(kind: StoreKind) throws {
        try kind.with { store in
            let web = try Self.web(store)
            let s = PendingSignIn(idHash: "s1", pending: true, sealed: Data([1, 2, 3]), expiresAt: at(100))
            try web.insertSignIn(s)
            #expect(throws: StoreError.self) { try web.insertSignIn(s) }
            #expect(try web.signIn(idHash: "s1", now: at(50)) == s)
            var done = s
            done.pending = false
            done.sealed = Data([9])
            #expect(try web.replaceSignIn(done, ifPending: true))
            // A second answer read it pending too: it loses.
            #expect(try !web.replaceSignIn(done, ifPending: true))
            #expect(try web.signIn(idHash: "s1", now: at(50)) == done)
            #expect(try !web.replaceSignIn(PendingSignIn(idHash: "gone", pending: true, sealed: Data(), expiresAt: at(100)), ifPending: true))
            // Met after its expiry: gone, and stays gone.
            #expect(try web.signIn(idHash: "s1", now: at(100)) == nil)
            #expect(try web.signIn(idHash: "s1", now: at(50)) == nil)
            try web.insertSignIn(PendingSignIn(idHash: "s2", pending: true, sealed: Data([4]), expiresAt: at(300)))
            try web.insertSignIn(PendingSignIn(idHash: "s3", pending: true, sealed: Data([5]), expiresAt: at(150)))
            try web.sweepWebState(now: at(200), sessionsSeenBefore: at(0), failuresBefore: at(0))
            #expect(try web.signIn(idHash: "s3", now: at(0)) == nil)
            #expect(try web.signIn(idHash: "s2", now: at(0)) != nil)
            try web.deleteSignIn(idHash: "s2")
            #expect(try web.signIn(idHash: "s2", now: at(0)) == nil)
        }
    }

    @Test(arguments: StoreKind.keepingWebState)
    func oneSetupCodeForAll(kind: StoreKind) throws {
        try kind.with { store in
            let web = try Self.web(store)
            #expect(try web.setupCode(creating: "aaaa-bbbb-cccc") == "aaaa-bbbb-cccc")
            // A second server's candidate loses: both show the first.
            #expect(try web.setupCode(creating: "dddd-eeee-ffff") == "aaaa-bbbb-cccc")
            try web.deleteSetupCode()
            #expect(try web.setupCode(creating: "dddd-eeee-ffff") == "dddd-eeee-ffff")
        }
    }

    @Test(arguments: StoreKind.keepingWebState)
    func apiTokensKeptByHashAndRevoked(kind: StoreKind) throws {
        try kind.with { store in
            let web = try Self.web(store)
            #expect(try web.apiTokens().isEmpty)
            let monitor = APIToken(id: "t1", name: "monitor", tokenHash: "h1", scope: .read, createdBy: "admin", createdAt: at(1))
            let deploy = APIToken(id: "t2", name: "deploy", tokenHash: "h2", scope: .admin, createdBy: "admin", createdAt: at(2))
            try web.insertAPIToken(monitor)
            try web.insertAPIToken(deploy)
            #expect(try web.apiTokens() == [deploy, monitor])
            #expect(try web.apiToken(hash: "h1") == monitor)
            #expect(try web.apiToken(hash: "nope") == nil)
            #expect(throws: StoreError.self) { try web.insertAPIToken(APIToken(id: "t1", name: "x", tokenHash: "h3", scope: .read, createdBy: "a", createdAt: at(3))) }
            #expect(throws: StoreError.self) { try web.insertAPIToken(APIToken(id: "t3", name: "x", tokenHash: "h2", scope: .read, createdBy: "a", createdAt: at(3))) }
            try web.touchAPIToken(id: "t1", at: at(50))
            #expect(try web.apiToken(hash: "h1")?.lastUsed == at(50))
            #expect(try web.deleteAPIToken(id: "t1"))
            #expect(try !web.deleteAPIToken(id: "t1"))
            #expect(try web.apiToken(hash: "h1") == nil)
            #expect(try web.apiTokens() == [deploy])
        }
    }
}
