import Foundation

/// Polls what another process changes (a database, a worker, a server) until `done`: there is
/// no clock to move. Never blocks a thread: tests running beside this one need the few the
/// machine has.
public func pollUntil(
    _ what: String, seconds: Double, every interval: Duration = .milliseconds(100), _ done: () throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try !done() {
        guard Date() < deadline else { throw PollTimeout(description: "\(what): not within \(Int(seconds)) s") }
        try await Task.sleep(for: interval)
    }
}

public struct PollTimeout: Error, CustomStringConvertible {
    public let description: String
}
