import Foundation
import SyncModel

/// Where commands write. A task-local, so tests capture output without a subprocess.
public struct Console: Sendable {
    public var write: @Sendable (String) -> Void
    /// A terminal that can redraw a line (progress bar) rather than a log or a pipe.
    public var isTerminal: Bool
    /// Where log lines go (`-v`, warnings): standard error, so they never mix with the output.
    public var log: @Sendable (String) -> Void

    public init(
        isTerminal: Bool, log: @escaping @Sendable (String) -> Void = Console.standardError,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.isTerminal = isTerminal
        self.log = log
        self.write = write
    }

    public static let standard = Console(isTerminal: isatty(STDOUT_FILENO) == 1) { s in
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    public static let standardError: @Sendable (String) -> Void = { s in FileHandle.standardError.write(Data(s.utf8)) }

    @TaskLocal public static var current = Console.standard

    /// A line of output: any control or text-direction character in it (from contact data, a
    /// source's folder name, an error a server sent) is shown as U+FFFD, never run by the terminal.
    static func line(_ s: String = "") { current.write(DisplayText.neutralised(s) + "\n") }
}

/// The CLI's one error type: a message for the user, and the exit code.
public struct CLIError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    /// Printed by ArgumentParser to the terminal: neutralised like every other line.
    public var description: String { DisplayText.neutralised(message) }
}
