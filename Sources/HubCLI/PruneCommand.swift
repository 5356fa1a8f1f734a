import ArgumentParser
import Foundation

/// `hubsync prune`: history retention. The journal keeps every change with its old and new
/// content, so a busy hub's database grows until old history is let go.
struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forget history older than some days (it can no longer be restored).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Hub id or name.") var hub: String
    @Option(help: "Keep this many days of history.") var keepDays: Int

    func validate() throws {
        if keepDays < 1 { throw ValidationError("--keep-days must be at least 1") }
    }

    func run() async throws {
        let ctx = try global.context()
        let h = try ctx.hub(hub)
        let cutoff = Date().addingTimeInterval(-Double(keepDays) * 86_400)
        try ctx.engine.prune(hub: h.id, before: cutoff)
        Console.line("history of hub \(h.id) before \(timestamp(cutoff)) forgotten")
    }
}
