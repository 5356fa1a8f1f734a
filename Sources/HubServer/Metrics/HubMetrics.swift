import Foundation
import Prometheus
import SyncModel
import SyncStore

/// What a server (or a worker) counts, for `/metrics` in Prometheus's text format. Each server
/// gets its own registry, handed in, never a global `MetricsSystem.bootstrap`: tests run many
/// servers in one process, and each must count only its own passes.
public final class HubMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let passDuration: ValueHistogram
    private let leaseLag: ValueHistogram

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        passDuration = registry.makeValueHistogram(
            descriptor: Name.passDuration, labels: [], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800])
        leaseLag = registry.makeValueHistogram(
            descriptor: Name.leaseLag, labels: [], buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600])
        // Every outcome shows from the start, at 0: a rate over a series that appears late is wrong.
        for outcome in Outcome.allCases { _ = passes(outcome) }
    }

    /// How a pass ended: the run record's status, or `error` when it threw before writing one.
    public enum Outcome: String, CaseIterable, Sendable {
        case succeeded, partial, failed, error
    }

    /// One finished pass, from its run record (the one place passes are counted): each spoke's
    /// numbers go to the series of its kind (`kinds`; a spoke not there counts as "unknown").
    public func record(_ run: RunRecord, kinds: [SpokeID: SpokeKind]) {
        let outcome: Outcome = switch run.status {
        case .succeeded: .succeeded
        case .partial: .partial
        case .failed: .failed
        // A record still running is not a finished pass; count it as what it is not, an error.
        case .running: .error
        }
        passes(outcome).increment()
        if let finished = run.finishedAt { passDuration.record(max(0, finished.timeIntervalSince(run.startedAt))) }
        for (spoke, stats) in run.stats {
            let kind = kinds[spoke]?.rawValue ?? "unknown"
            add(Name.pulled, kind, stats.pulled)
            add(Name.pushed, kind, stats.pushedCreates, op: "create")
            add(Name.pushed, kind, stats.pushedUpdates, op: "update")
            add(Name.pushed, kind, stats.pushedDeletes, op: "delete")
            add(Name.failed, kind, stats.itemErrors)
            add(Name.conflicts, kind, stats.conflicts)
            add(Name.held, kind, stats.heldDeletions)
        }
    }

    /// A pass that threw before its run record was finished (the store failed, say).
    public func recordError() { passes(.error).increment() }

    /// How late a due hub's pass started after it was due (a scheduler's slot, a worker's lease):
    /// the number that grows first when passes outrun the machines running them.
    public func observeLeaseLag(due: Date, started: Date) {
        leaseLag.record(max(0, started.timeIntervalSince(due)))
    }

    /// One HTTP answer, by status class and route group (never the path: ids would make a
    /// series per hub).
    func recordAnswer(status: Int, route: RouteGroup) {
        registry.makeCounter(descriptor: Name.answers, labels: [("code", "\(status / 100)xx"), ("route", route.rawValue)]).increment()
    }

    /// The exposition text.
    public func text() -> String { registry.emitToString() }

    private func passes(_ outcome: Outcome) -> Counter {
        registry.makeCounter(descriptor: Name.passes, labels: [("outcome", outcome.rawValue)])
    }

    private func add(_ name: MetricNameDescriptor, _ kind: String, _ n: Int, op: String? = nil) {
        guard n > 0 else { return }
        var labels = [("kind", kind)]
        if let op { labels.append(("op", op)) }
        registry.makeCounter(descriptor: name, labels: labels).increment(by: Int64(n))
    }

    /// Each metric's one name and help text (the registry refuses a second help for a name).
    enum Name {
        static func counter(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "hubsync", metricName: name, unitName: "total", helpText: help)
        }
        static var passes: MetricNameDescriptor { counter("passes", "Sync passes finished, by outcome.") }
        static var pulled: MetricNameDescriptor { counter("items_pulled", "Items read from spokes, by spoke kind.") }
        static var pushed: MetricNameDescriptor { counter("items_pushed", "Items written to spokes, by spoke kind and operation.") }
        static var failed: MetricNameDescriptor { counter("items_failed", "Items a spoke failed to take or give, by spoke kind.") }
        static var conflicts: MetricNameDescriptor { counter("conflicts", "Conflicts found (both sides changed the same field), by spoke kind.") }
        static var held: MetricNameDescriptor { counter("items_held", "Deletions and blanking changes held for an admin, by spoke kind.") }
        static var answers: MetricNameDescriptor { counter("http_responses", "HTTP answers, by status class and route group.") }
        static var passDuration: MetricNameDescriptor {
            MetricNameDescriptor(namespace: "hubsync", metricName: "pass_duration", unitName: "seconds", helpText: "How long sync passes take.")
        }
        static var leaseLag: MetricNameDescriptor {
            MetricNameDescriptor(
                namespace: "hubsync", metricName: "lease_lag", unitName: "seconds",
                helpText: "How late a due hub's pass starts after its due time.")
        }
    }
}

/// The few groups HTTP answers are counted by.
enum RouteGroup: String, Sendable {
    case api, page, invite, oauth, asset, metrics, health

    init(path: String) {
        let first = path.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        self = switch first {
        case "api": .api
        case "invite": .invite
        case "oauth": .oauth
        case "static": .asset
        case "metrics": .metrics
        case "healthz", "readyz": .health
        default: .page
        }
    }
}
