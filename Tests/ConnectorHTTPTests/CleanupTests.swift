import ConnectorHTTP
import ConnectorKit
import Foundation
import Synchronization
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// What a test starts is stopped on every path: a server that fails to start leaves no process
/// behind, and a transport is shut down when the test body throws (an AsyncHTTPClient that is
/// not crashes the whole test process in its deinit, which is how these failed before).
@Suite struct CleanupTests {
    @Test func aServerThatExitsAtStartIsAnErrorNotACrash() async throws {
        try OutsideTools.require(.python)
        let shutDown = Mutex(false)
        let error = await #expect(throws: ServerError.self) {
            try await withResource({ AHCTransport() }, close: { t in
                try await t.shutdown()
                shutDown.withLock { $0 = true }
            }) { _ in
                _ = try await ServerProcess("python3") { _, _ in ["-c", "import sys; sys.exit(3)"] }
            }
        }
        #expect(error?.description.hasPrefix("server exited (3)") == true, "\(String(describing: error))")
        #expect(shutDown.withLock { $0 })
    }

    @Test func aServerThatNeverListensIsStoppedWhenItsStartGivesUp() async throws {
        try OutsideTools.require(.python)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-cleanup-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("pid")
        await #expect(throws: ServerError.self) {
            try await withTransport { _ in
                _ = try await ServerProcess("python3", directory: dir, startTimeout: .milliseconds(800)) { _, _ in
                    ["-c", "import os, time; open('\(pidFile.path)', 'w').write(str(os.getpid())); time.sleep(60)"]
                }
            }
        }
        let pid = try #require(Int32(String(contentsOf: pidFile, encoding: .utf8)))
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "the server \(pid) is still running")
    }

    @Test func aTransportIsShutDownWhenTheTestBodyThrows() async throws {
        struct Boom: Error {}
        let closed = Mutex(0)
        await #expect(throws: Boom.self) {
            try await withResource({ AHCTransport() }, close: { t in
                try await t.shutdown()
                closed.withLock { $0 += 1 }
            }) { _ in throw Boom() }
        }
        #expect(closed.withLock { $0 } == 1)
    }
}
