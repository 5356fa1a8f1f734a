import Foundation
import Loopback
#if canImport(Glibc)
import Glibc
#endif

/// A real server (Radicale, Xandikos, a Python test server) run on loopback for the length of a
/// test: started on a free port, ready once the port accepts connections, killed on `stop()` or
/// when the value goes away. Its output goes to a log file in its own temporary directory.
public final class ServerProcess: @unchecked Sendable {
    public let port: Int
    public let directory: URL
    public var log: URL { directory.appendingPathComponent("server.log") }
    private let process: Process

    /// `arguments(port, directory)` builds the command line; `executable` is looked up in PATH.
    public init(
        _ executable: String, environment: [String: String] = [:],
        arguments: (Int, URL) throws -> [String]
    ) async throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hubsync-server-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        process = Process()
        guard let path = Self.which(executable) else {
            throw ServerError("\(executable) not found in PATH: run `.ci/run` once, or `pip install -r .ci/requirements.txt`")
        }
        // Through a shim that asks the kernel to end the server with this process, so a crashed
        // or interrupted test run leaves no server behind (PR_SET_PDEATHSIG survives exec), and
        // that unblocks the signals a Swift concurrency thread blocks (else SIGTERM never lands).
        process.executableURL = URL(fileURLWithPath: Self.which("python3") ?? "/usr/bin/python3")
        process.arguments = ["-c", Self.shim, path] + (try arguments(port, directory))
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, b in b }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let out = try FileHandle(forWritingTo: log)
        process.standardOutput = out
        process.standardError = out
        try process.run()
        try await waitUntilListening()
    }

    deinit { stop() }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// What the server printed so far (for failure messages).
    public func output() -> String {
        (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    }

    /// Polls the port: servers say "listening" in many ways, a connect is the one test that holds.
    private func waitUntilListening() async throws {
        for _ in 0..<400 {
            if !process.isRunning {
                throw ServerError("server exited (\(process.terminationStatus)):\n\(output())")
            }
            if Self.accepts(port) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        stop()
        throw ServerError("server not listening on \(port) after 10 s:\n\(output())")
    }

    private static let shim = """
        import ctypes, os, signal, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)
        os.execv(sys.argv[1], sys.argv[1:])
        """

    static func which(_ name: String) -> String? {
        if name.contains("/") { return name }
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static func freePort() throws -> Int { try Loopback.freePort() }

    static func accepts(_ port: Int) -> Bool { Loopback.accepts(port) }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

extension ServerProcess {
    /// Radicale (PyPI) on loopback with a fresh storage folder and Basic auth for one user.
    public static func radicale(user: String, password: String) async throws -> ServerProcess {
        try await ServerProcess("python3") { port, dir in
            let users = dir.appendingPathComponent("users")
            try "\(user):\(password)\n".write(to: users, atomically: true, encoding: .utf8)
            return [
                "-m", "radicale", "--server-hosts", "127.0.0.1:\(port)",
                "--storage-filesystem-folder", dir.appendingPathComponent("data").path,
                "--auth-type", "htpasswd", "--auth-htpasswd-filename", users.path,
                "--auth-htpasswd-encryption", "plain", "--logging-level", "info",
            ]
        }
    }
}
