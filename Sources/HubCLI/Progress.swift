import Foundation
import SyncModel
import Synchronization
import SyncEngine

/// Draws sync progress: a bar redrawn in place on a terminal; plain lines otherwise (logs,
/// pipes, CI): one when a phase ends, and one per `lineEvery` items of a long phase.
final class ProgressDisplay: Sendable {
    struct State {
        var last: SyncProgress?
        var printedAt = 0
        var width = 0
    }
    private let console: Console
    private let state = Mutex(State())
    let lineEvery: Int

    init(console: Console, lineEvery: Int = 5000) {
        self.console = console
        self.lineEvery = lineEvery
    }

    func update(_ p: SyncProgress) {
        state.withLock { s in
            let samePhase = s.last.map { $0.spoke == p.spoke && $0.phase == p.phase } ?? false
            if console.isTerminal {
                let line = DisplayText.neutralised(Self.bar(p), allowLayout: false)
                if s.last != nil && !samePhase { console.write("\n") }
                console.write("\r" + line + String(repeating: " ", count: max(0, s.width - line.count)))
                s.width = line.count
            } else {
                if !samePhase {
                    Self.flush(&s, console)
                    s.printedAt = 0
                }
                if p.done - s.printedAt >= lineEvery {
                    console.write(DisplayText.neutralised(Self.plain(p), allowLayout: false) + "\n")
                    s.printedAt = p.done
                }
            }
            s.last = p
        }
    }

    /// Ends the last bar's line, or prints the last phase's count.
    func finish() {
        state.withLock { s in
            if console.isTerminal {
                if s.last != nil { console.write("\n") }
            } else {
                Self.flush(&s, console)
            }
            s.last = nil
        }
    }

    private static func flush(_ s: inout State, _ console: Console) {
        guard let p = s.last, p.done > 0, p.done != s.printedAt else { return }
        console.write(DisplayText.neutralised(plain(p), allowLayout: false) + "\n")
    }

    static func label(_ p: SyncProgress) -> String {
        (p.phase == .pull ? "pull " : "push ") + p.spokeName
    }

    static func plain(_ p: SyncProgress) -> String { "\(label(p)): \(p.done) items" }

    /// `pull Google  [##########..........]  500/1000`; without a total, just the count.
    static func bar(_ p: SyncProgress, width: Int = 24) -> String {
        let name = label(p).padding(toLength: max(label(p).count, 22), withPad: " ", startingAt: 0)
        guard let total = p.total, total > 0 else { return "\(name)  \(p.done) items" }
        let filled = min(width, p.done * width / total)
        return "\(name)  [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "]  \(min(p.done, total))/\(total)"
    }
}
