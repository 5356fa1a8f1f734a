import Foundation
import Testing

/// A program of this package (`hubsync`), as the build left it next to the tests: for tests
/// that need a real process (to kill it, to signal it).
public enum BuiltProgram {
    public static func path(_ name: String) throws -> URL {
        let beside = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).deletingLastPathComponent()
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [beside, beside.deletingLastPathComponent(), package.appendingPathComponent(".build/debug")]
            .map { $0.appendingPathComponent(name) }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        let why = "needs the built `\(name)` program (`swift build`), not found beside the tests"
        if OutsideTools.inCI { throw OutsideTools.Missing(description: "CI is set, and this test \(why)") }
        try Test.cancel("skipped: \(why)")
    }
}
