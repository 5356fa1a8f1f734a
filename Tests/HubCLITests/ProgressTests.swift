import Foundation
import Synchronization
import Testing
import SyncEngine
import SyncModel
@testable import HubCLI

@Suite struct ProgressTests {
    func p(_ phase: SyncProgress.Phase, _ name: String, _ done: Int, _ total: Int?) -> SyncProgress {
        SyncProgress(spoke: SpokeID(name), spokeName: name, phase: phase, done: done, total: total)
    }

    @Test func barShowsShareDone() {
        #expect(ProgressDisplay.bar(p(.push, "Google", 250, 1000), width: 8)
            == "push Google             [##......]  250/1000")
        #expect(ProgressDisplay.bar(p(.pull, "Google", 12, nil)) == "pull Google             12 items")
        // A push total is an upper bound: the bar never overflows.
        #expect(ProgressDisplay.bar(p(.push, "G", 12, 10), width: 4).hasSuffix("[####]  10/10"))
    }

    @Test func terminalRedrawsOneLinePerPhase() {
        let out = Mutex("")
        let d = ProgressDisplay(console: Console(isTerminal: true) { s in out.withLock { $0 += s } })
        d.update(p(.pull, "A", 1, 2))
        d.update(p(.pull, "A", 2, 2))
        d.update(p(.push, "B", 1, 1))
        d.finish()
        let s = out.withLock { $0 }
        #expect(s.components(separatedBy: "\r").count == 4)
        #expect(s.components(separatedBy: "\n").count == 3)
    }

    @Test func plainLinesAtPhaseEndsAndEveryNItems() {
        let out = Mutex("")
        let d = ProgressDisplay(console: Console(isTerminal: false) { s in out.withLock { $0 += s } }, lineEvery: 100)
        for done in stride(from: 0, through: 250, by: 50) { d.update(p(.pull, "A", done, 250)) }
        d.update(p(.push, "B", 0, 3))
        d.update(p(.push, "B", 3, 3))
        d.finish()
        #expect(out.withLock { $0 } == "pull A: 100 items\npull A: 200 items\npull A: 250 items\npush B: 3 items\n")
    }
}
