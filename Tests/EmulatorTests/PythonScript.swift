import Foundation

/// Runs one of the Python client scripts next to these tests (`python/NAME`) without blocking
/// the concurrency pool, in a temporary directory of its own (also its TMPDIR: exchangelib keeps
/// its autodiscover cache there). Throws with the script's output when it exits non-zero.
enum PythonScript {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python")

    struct Failed: Error, CustomStringConvertible { var description: String }

    static func run(_ script: String, _ args: [String], needs: String) async throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emu-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory.appendingPathComponent(script).path] + args
        var env = ProcessInfo.processInfo.environment
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
                + "(needs python3 with \(needs): pip install -r .ci/requirements.txt)")
        }
        return out
    }
}
