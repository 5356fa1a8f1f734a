import ArgumentParser
import Foundation
import Logging
import Synchronization
import ConnectorKit
import ConnectorMemory
import SyncEngine
import SyncModel
import SyncStore
import SyncStoreSQLite

/// The engine benchmark of issue 2: N generated contacts from one in-memory spoke into the
/// hub (SQLite on disk, the default store) and out to a second spoke; then a no-op re-sync and
/// a re-sync after 1% edits. The baseline is the goals: ratios above 1 meet them.
@main struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubsync-bench", abstract: "HubSync's benchmarks.",
        subcommands: [EngineBench.self, FleetBench.self], defaultSubcommand: EngineBench.self)
}

struct EngineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine", abstract: "Engine throughput and memory, against the goals of issue 2.")

    @Option(help: "Contacts in the first spoke.") var contacts = 100_000
    @Option(help: "Share of contacts edited for the incremental step (percent).") var changePercent = 1.0
    @Option(help: "Engine batch size.") var batch = 500
    @Option(help: "Hub database (default: a new temporary file).") var db: String?

    static let goalInitialRate = 20_000.0
    static let goalNoOpSeconds = 1.0
    static let goalPeakMB = 300.0

    func run() async throws {
        let path = db ?? NSTemporaryDirectory() + "hubsync-bench-\(UUID().uuidString).sqlite"
        defer { if db == nil { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } } }
        let store = try SQLiteStore(path: path)
        let hub = HubID("bench")
        try store.saveHub(HubConfig(id: hub, name: "Benchmark"))
        let a = MemorySpoke(name: "a", pageSize: 1000, maxBatch: 500)
        let b = MemorySpoke(name: "b", pageSize: 1000, maxBatch: 500)
        for (i, id) in [SpokeID("a"), SpokeID("b")].enumerated() {
            try store.saveSpoke(SpokeConfig(id: id, hub: hub, name: id.rawValue, kind: .memory, position: i))
        }
        let connectors: [SpokeID: any SpokeConnector] = ["a": a, "b": b]
        var ids: [RemoteID] = []
        ids.reserveCapacity(contacts)
        for i in 0..<contacts { ids.append(a.userUpsert(SampleContacts.person(i))) }
        let engine = SyncEngine(store: store, batchSize: batch, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
        print("hubsync-bench: \(contacts) contacts, SQLite at \(path), batch \(batch)")
        print("after generating the source: rss \(Memory.currentMB) MB")

        let phases = PhaseClock()
        let initial = try await timed {
            try await engine.sync(hub: hub, connectors: connectors) { phases.note($0) }
        }
        try check(initial.1, b.count == contacts && (try store.liveItemCount(hub: hub)) == contacts, "initial")
        report("initial sync", initial.0, "\(Int(Double(contacts) / initial.0)) contacts/s into the hub and out again",
               ratio: nil, goal: "")
        for line in phases.lines() { print("    " + line) }
        // The goal is for the way in: pull, plan, store.
        let rate = Double(contacts) / (phases.seconds("pull a") ?? initial.0)
        report("  into the hub", phases.seconds("pull a") ?? 0, "\(Int(rate)) contacts/s through plan+store",
               ratio: rate / Self.goalInitialRate, goal: "≥ \(Int(Self.goalInitialRate))/s")

        // The first re-sync pulls b's echo of the 100k items the hub just wrote there (its cursor
        // predates them): each is recognised by its version alone.
        let echo = try await timed { try await engine.sync(hub: hub, connectors: connectors) }
        try check(echo.1, echo.1.stats.values.allSatisfy { $0.hubUpdated == 0 && $0.pushedUpdates == 0 }, "no-op")
        report("no-op re-sync", echo.0, "b's echo of \(contacts) writes", ratio: Self.goalNoOpSeconds / echo.0,
               goal: "< \(Self.goalNoOpSeconds) s")
        let quiet = try await timed { try await engine.sync(hub: hub, connectors: connectors) }
        report("no-op again", quiet.0, "nothing changed anywhere", ratio: Self.goalNoOpSeconds / quiet.0,
               goal: "< \(Self.goalNoOpSeconds) s")

        let changed = max(1, Int(Double(contacts) * changePercent / 100))
        for i in stride(from: 0, to: contacts, by: contacts / changed).prefix(changed) {
            var c = SampleContacts.person(i)
            c.title = "Changed \(i)"
            a.userUpsert(c, id: ids[i])
        }
        let incremental = try await timed { try await engine.sync(hub: hub, connectors: connectors) }
        let pushed = incremental.1.stats[SpokeID("b")]?.pushedUpdates ?? 0
        try check(incremental.1, pushed == changed, "incremental (\(pushed) of \(changed) pushed)")
        report("\(changePercent)% changed", incremental.0, "\(changed) edits, \(Int(Double(changed) / incremental.0)) changes/s",
               ratio: nil, goal: "")

        let peak = Memory.peakMB
        print(String(format: "peak memory     %7.0f MB   ratio %.2f  (goal < %.0f MB; both in-memory spokes included)",
                     peak, Self.goalPeakMB / peak, Self.goalPeakMB))
    }

    func timed(_ body: () async throws -> RunRecord) async throws -> (Double, RunRecord) {
        let start = ContinuousClock.now
        let run = try await body()
        let d = ContinuousClock.now - start
        return (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, run)
    }

    func check(_ run: RunRecord, _ ok: Bool, _ step: String) throws {
        guard run.status == .succeeded, ok else {
            throw ValidationError("\(step): the sync did not do what it should (\(run.status), \(run.errors.prefix(3)))")
        }
    }

    func report(_ name: String, _ seconds: Double, _ detail: String, ratio: Double?, goal: String) {
        let r = ratio.map { String(format: "ratio %.2f  (goal %@)", $0, goal) } ?? ""
        print(String(format: "%-15@ %7.3f s   ", name, seconds) + r + (detail.isEmpty ? "" : "   " + detail))
    }
}

enum Memory {
    /// From /proc/self/status: VmHWM is the peak resident set, VmRSS the current one.
    static func field(_ name: String) -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = s.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return .nan }
        return kb / 1024
    }
    static var peakMB: Double { field("VmHWM") }
    static var currentMB: Int { Int(field("VmRSS")) }
}

/// When each phase of a pass started and last reported, from the engine's progress events.
final class PhaseClock: Sendable {
    struct Span {
        var name: String
        var start: ContinuousClock.Instant
        var end: ContinuousClock.Instant
        var done: Int
    }
    private let spans = Mutex<[Span]>([])

    func note(_ p: SyncProgress) {
        let now = ContinuousClock.now
        let name = "\(p.phase.rawValue) \(p.spokeName)"
        spans.withLock { s in
            if s.last?.name == name {
                s[s.count - 1].end = now
                s[s.count - 1].done = p.done
            } else {
                s.append(Span(name: name, start: now, end: now, done: p.done))
            }
        }
    }

    func seconds(_ name: String) -> Double? {
        spans.withLock { s in
            s.first { $0.name == name }.map { span in
                let d = span.end - span.start
                return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            }
        }
    }

    func lines() -> [String] {
        spans.withLock { s in
            s.filter { $0.done > 0 }.map { span in
                let d = span.end - span.start
                let secs = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
                return String(format: "%-10@ %7.3f s  %6d items  %7.0f items/s", span.name, secs, span.done,
                              Double(span.done) / max(secs, 1e-9))
            }
        }
    }
}
