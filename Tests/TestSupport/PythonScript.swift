import Foundation
import Loopback
import Testing

/// Runs a Python script of the tests (the official clients driving the emulators, selenium
/// driving the web app) without blocking the concurrency pool, in a temporary directory of its
/// own (also its TMPDIR: exchangelib keeps its autodiscover cache there). Throws with the
/// script's output when it exits non-zero.
public enum PythonScript {
    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// `directory/script args…`, skipped (failed in CI) when a tool it `needs` is missing.
    public static func run(
        _ script: String, in directory: URL, _ args: [String], needs: [OutsideTool], environment: [String: String] = [:]
    ) async throws -> String {
        try OutsideTools.require(needs)
        guard let python = Python.path else { throw Failed(description: OutsideTools.message(needs)) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hubsync-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [directory.appendingPathComponent(script).path] + args
        var env = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        env["TMPDIR"] = dir.path
        env["PYTHONUNBUFFERED"] = "1"
        env["NO_PROXY"] = "127.0.0.1,localhost"
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        let status: Int32 = try await withCheckedThrowingContinuation { cont in
            process.terminationHandler = { cont.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { cont.resume(throwing: error) }
        }
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw Failed(description: "\(script) exited \(status)\n--- stdout\n\(out)\n--- stderr\n\(err)\n"
                + "(it needs \(needs.map(\.description).joined(separator: ", ")): `script/bootstrap` installs them)")
        }
        return out
    }

}
