import Foundation
import TestSupport

extension PythonScript {
    /// The Python client scripts next to these tests.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python")

    /// Runs `python/NAME` (see TestSupport's `PythonScript`).
    static func run(_ script: String, _ args: [String], needs: [OutsideTool]) async throws -> String {
        try await run(script, in: directory, args, needs: needs)
    }
}
