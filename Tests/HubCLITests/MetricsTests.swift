import Foundation
import Testing
import SyncModel
import SyncStore
import SyncStoreSQLite
@testable import HubCLI
@testable import HubServer

/// `/metrics` through the real composition root: passes over folder spokes move the counters by
/// what the passes' run records say, and the answer is valid Prometheus text.
@Suite struct MetricsTests {
    @Test func passesOverFolderSpokesMoveTheCounters() async throws {
        let cli = try CLI()
        _ = await cli.run("hub create Team")
        let a = try cli.folder("a"), b = try cli.folder("b")
        for (i, name) in ["Ann", "Bob", "Cy"].enumerated() {
            try writeCard(person(name, "Lee", "\(name.lowercased())@example.com"), "a\(i)", in: a)
        }
        for (name, dir) in [("A", a), ("B", b)] {
            let r = await cli.run(["spoke", "add", "team", "--name", name, "--path", dir.path])
            try #require(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        }
        let (app, store) = try Self.app(cli)
        let port = try await app.start()
        let hub = HubID("team")

        try app.runner.start(hub)
        await app.waitForSync(hub)
        try writeCard(person("Dee", "Lee", "dee@example.com"), "b0", in: b)
        try app.runner.start(hub)
        await app.waitForSync(hub)

        let text = try curl(["--fail", "http://127.0.0.1:\(port)/metrics"])
        let samples = try PrometheusText.parse(text)
        let runs = try store.runs(hub: hub, limit: 10)
        #expect(runs.count == 2)
        let stats = runs.flatMap(\.stats.values)
        #expect(samples[#"hubsync_passes_total{outcome="succeeded"}"#] == 2, "\(text)")
        #expect(samples[#"hubsync_passes_total{outcome="failed"}"#] == 0)
        #expect(samples[#"hubsync_items_pulled_total{kind="folder"}"#] == Double(stats.map(\.pulled).reduce(0, +)))
        #expect(samples[#"hubsync_items_pulled_total{kind="folder"}"#] ?? 0 >= 4)
        // Three cards to B, then Dee to A.
        #expect(samples[#"hubsync_items_pushed_total{kind="folder",op="create"}"#] == 4, "\(text)")
        #expect(samples[#"hubsync_items_pushed_total{kind="folder",op="update"}"#] == nil)
        #expect(samples["hubsync_pass_duration_seconds_count"] == 2)
        #expect(samples[#"hubsync_http_responses_total{code="2xx",route="metrics"}"#] == nil, "counted once answered")

        let again = try PrometheusText.parse(try curl(["--fail", "http://127.0.0.1:\(port)/metrics"]))
        #expect(again[#"hubsync_http_responses_total{code="2xx",route="metrics"}"#] == 1)
        await app.stop()
    }

    static func app(_ cli: CLI) throws -> (HubApp, any SyncStore & AccountStore) {
        let global = try GlobalOptions.parse(["--db", cli.db])
        // A path opens SQLite (openStore gives any store since PostgreSQL came).
        let store = try #require(try global.openStore() as? SQLiteStore)
        let ctx = try global.serverContext(store: store, logger: GlobalOptions.logger(verbose: false))
        var settings = HubApp.Settings(host: "127.0.0.1", port: 0, bcryptCost: 4, scheduler: false)
        settings.maxPasses = 2
        let app = HubApp(store: store, provider: ConnectorProvider(context: ctx, google: nil, m365: nil), settings: settings)
        return (app, store)
    }
}

/// A strict reader of Prometheus's text format (0.0.4), enough to refuse what a scraper would:
/// every line a `# HELP`/`# TYPE` comment or `name{label="value",…} number`, each TYPE once and
/// before its samples. The samples by their series (`name{labels}` as written).
enum PrometheusText {
    struct Invalid: Error, CustomStringConvertible { let description: String }

    static func parse(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var typed: Set<String> = []
        let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
        let label = #"[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*""#
        let sample = try Regex("^(\(name))(\\{\(label)(?:,\(label))*\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)$")
        let type = try Regex("^# TYPE (\(name)) (counter|gauge|histogram|summary|untyped)$")
        let help = try Regex("^# HELP \(name) .*$")
        guard text.hasSuffix("\n") else { throw Invalid(description: "no final newline") }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let line = String(line)
            if let m = try type.wholeMatch(in: line) {
                let n = String(m.output[1].substring ?? "")
                guard typed.insert(n).inserted else { throw Invalid(description: "TYPE twice: \(line)") }
            } else if try help.wholeMatch(in: line) != nil {
                continue
            } else if let m = try sample.wholeMatch(in: line) {
                let n = String(m.output[1].substring ?? "")
                let family = ["_bucket", "_sum", "_count"].reduce(n) { $0.hasSuffix($1) && typed.contains(String($0.dropLast($1.count))) ? String($0.dropLast($1.count)) : $0 }
                guard typed.contains(family) else { throw Invalid(description: "a sample before its TYPE: \(line)") }
                let value = String(m.output[3].substring ?? "")
                guard let v = Double(value == "+Inf" ? "inf" : value == "-Inf" ? "-inf" : value) else {
                    throw Invalid(description: "not a number: \(line)")
                }
                let series = String(line[..<line.lastIndex(of: " ")!])
                guard samples.updateValue(v, forKey: series) == nil else { throw Invalid(description: "series twice: \(line)") }
            } else {
                throw Invalid(description: "not Prometheus text: \(line)")
            }
        }
        return samples
    }
}
