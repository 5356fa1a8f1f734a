import Foundation
import TestSupport
import Testing

/// An API token made on the Settings page (python/web_tokens.py) works from a script, only for
/// reading, until it is revoked on the same page. Skipped without chromium, chromedriver and
/// selenium, unless CI is set.
@Suite(.serialized) struct TokenBrowserTests {
    typealias F = WebFixture

    /// The status of a request with the token, on a thread of its own (not the pool the server answers on).
    static func call(_ url: URL, _ secret: String, post: Bool = false) async throws -> Int {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Int, any Error>) in
            Thread.detachNewThread {
                cont.resume(with: Result {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                    p.arguments = ["-sS", "--max-time", "60", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(secret)"]
                        + (post ? ["-H", "Content-Type: application/json", "--data", #"{"name":"Team"}"#] : []) + [url.absoluteString]
                    let out = Pipe()
                    p.standardOutput = out
                    try p.run()
                    let data = out.fileHandleForReading.readDataToEndOfFile()
                    p.waitUntilExit()
                    return Int(String(decoding: data, as: UTF8.self)) ?? 0
                })
            }
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func aTokenMadeOnTheSettingsPageReadsUntilRevoked() async throws {
        try OutsideTools.require(BrowserTools.needed + [.curl])
        let fx = try await F.start()
        defer { Task { await fx.stop() } }
        try fx.app.createAdmin(user: F.admin, password: F.adminPassword)
        let made = try await fx.browser("create", ["--name", "monitoring", "--scope", "read"], script: "web_tokens.py", shots: "tokens")
        #expect(made.contains("SUMMARY: create all checks passed"))
        let secret = try #require(made.firstMatch(of: /SECRET: (hubsync_\S+)/)?.1).description
        let hubs = fx.url.appendingPathComponent("api/hubs")
        #expect(try await Self.call(hubs, secret) == 200)
        #expect(try await Self.call(hubs, secret, post: true) == 403)
        #expect(try fx.store.apiTokens().first?.lastUsed != nil)

        let revoked = try await fx.browser("revoke", ["--name", "monitoring"], script: "web_tokens.py", shots: "tokens")
        #expect(revoked.contains("SUMMARY: revoke all checks passed"))
        #expect(try await Self.call(hubs, secret) == 401)
    }
}
