import Foundation
import Synchronization

/// The Python that runs the outside tools (Radicale, Xandikos, the official client libraries of
/// the tests): `$HUBSYNC_PYTHON`, else the project's own virtual environment that
/// `script/bootstrap` makes (`.build/venv` under the current directory, which `swift test` and
/// `swift run` set to the package root), else `python3` on PATH.
public enum Python {
    /// Where the project's virtual environment lives, relative to the package root.
    public static let venv = ".build/venv"

    public static var path: String? {
        let env = ProcessInfo.processInfo.environment
        if let given = env["HUBSYNC_PYTHON"], !given.isEmpty { return given }
        let local = FileManager.default.currentDirectoryPath + "/\(venv)/bin/python3"
        if FileManager.default.isExecutableFile(atPath: local) { return local }
        return ServerProcess.which("python3")
    }

    private static let imports = Mutex<[String: Bool]>([:])

    /// Whether this Python imports every module (asked once per module list and process).
    public static func canImport(_ modules: [String]) -> Bool {
        let key = modules.joined(separator: ", ")
        if let known = imports.withLock({ $0[key] }) { return known }
        let answer = run(["-c", "import " + key])
        imports.withLock { $0[key] = answer }
        return answer
    }

    private static func run(_ arguments: [String]) -> Bool {
        guard let python = path else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}
