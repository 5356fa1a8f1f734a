import Foundation
import Logging
import ConnectorKit
import SyncCore
import SyncModel
import SyncStore

/// Progress of a pass, for a progress bar or the web UI's live view.
public struct SyncProgress: Sendable, Hashable {
    public enum Phase: String, Sendable { case pull, push }
    public var spoke: SpokeID
    public var spokeName: String
    public var phase: Phase
    public var done: Int
    /// The expected count when known: what the source announced for a pull, an upper bound for
    /// a push (hub changes since the spoke's watermark).
    public var total: Int?
    public init(spoke: SpokeID, spokeName: String, phase: Phase, done: Int, total: Int? = nil) {
        self.spoke = spoke
        self.spokeName = spokeName
        self.phase = phase
        self.done = done
        self.total = total
    }
}

public struct EngineError: Error, Sendable, CustomStringConvertible {
    /// What kind of refusal, so a caller (the web API) can answer 404, 409, 422 or 423.
    public enum Kind: String, Sendable { case notFound, conflict, invalid, busy }
    public var kind: Kind
    /// One of `EngineError.texts`: English words with `{name}` places, which a page translates.
    public var template: String
    public var values: [String: String]
    /// `template` filled with `values`: what the CLI prints and the API's `error` says.
    public var message: String { values.reduce(template) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) } }
    public init(_ template: String, _ values: [String: String] = [:], kind: Kind = .conflict) {
        self.template = template
        self.values = values
        self.kind = kind
    }
    public var description: String { message }
}

/// Runs sync passes over a hub: pull every spoke, plan, commit, push. Decisions come from
/// SyncCore; every step is committed as one store transaction, so a pass interrupted at any
/// point converges when run again.
public struct SyncEngine: Sendable {
    public let store: any SyncStore
    public let clock: @Sendable () -> Date
    public let newID: @Sendable () -> String
    public let batchSize: Int
    /// History (journal entries, runs) older than this is let go at the end of each pass, so a
    /// quiet hub's database stops growing; nil keeps it all. The cost is the entries let go.
    public var keepHistory: TimeInterval?
    /// The caller's logger; within a pass it also carries the hub (`hub` metadata).
    public private(set) var logger: Logger
    public static let ids = SortableID()

    /// For callers that pass no logger: a library never logs on a logger of its own making.
    public static let silent = Logger(label: "hubsync.engine") { _ in SwiftLogNoOpLogHandler() }

    public init(
        store: any SyncStore, clock: @escaping @Sendable () -> Date = { Date() },
        newID: @escaping @Sendable () -> String = { SyncEngine.ids.next() },
        batchSize: Int = 500, logger: Logger = SyncEngine.silent
    ) {
        self.store = store
        self.clock = clock
        self.newID = newID
        self.batchSize = batchSize
        self.logger = logger
    }

    /// One pass over a contact hub. `connectors` maps each spoke to its live connector; a spoke
    /// without one is reported (with its entry in `unavailable`, the reason no connector could be
    /// made) and skipped. Connector failures are per spoke; any other error (a store failure, a
    /// crash) ends the pass and is thrown.
    @discardableResult
    public func sync(
        hub hubID: HubID, connectors: [SpokeID: any SpokeConnector], unavailable: [SpokeID: ConnectorError] = [:],
        progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) async throws -> RunRecord {
        try await sync(
            hub: hubID, connectors: .contacts(connectors.mapValues { Self.asItemConnector($0) }), unavailable: unavailable,
            progress: progress)
    }

    /// A contact connector as the generic engine takes it. (Swift does not convert `any
    /// SpokeConnector` to `any ItemConnector<Contact>` directly; opening the existential does.)
    public static func asItemConnector<C: SpokeConnector>(_ connector: C) -> any ItemConnector<Contact> { connector }

    /// One pass over the hub, of whichever kind it holds: the one place that chooses the item
    /// type, from the hub's object kind. `connectors` must be of that kind.
    @discardableResult
    public func sync(
        hub hubID: HubID, connectors: HubConnectors, unavailable: [SpokeID: ConnectorError] = [:],
        progress: (@Sendable (SyncProgress) -> Void)? = nil
    ) async throws -> RunRecord {
        guard let hub = try store.hub(hubID) else { throw EngineError(EngineError.noHub, ["id": "\(hubID)"], kind: .notFound) }
        switch (hub.objectKind, connectors) {
        case (.contacts, .contacts(let c)):
            return try await pass(hub, c, unavailable: unavailable, progress: progress)
        case (.calendar, .calendar(let c)):
            return try await pass(hub, c, unavailable: unavailable, progress: progress)
        case (.contacts, .calendar), (.calendar, .contacts):
            throw EngineError.wrongKind(hubID, holds: hub.objectKind)
        }
    }

    private func pass<Item: CoreItem & StoredItem>(
        _ hub: HubConfig, _ connectors: [SpokeID: any ItemConnector<Item>], unavailable: [SpokeID: ConnectorError],
        progress: (@Sendable (SyncProgress) -> Void)?
    ) async throws -> RunRecord {
        let hubID = hub.id
        let spokes = try store.spokes(hub: hubID)
        // The two runs before this one: the latest is folded away at the end when it, the one
        // before it and this one are all quiet (a streak keeps its first and its latest run).
        let recent = try store.runs(hub: hubID, limit: 2)
        var run = RunRecord(id: RunID(newID()), hub: hubID, startedAt: clock())
        var start = ItemWriteBatch<Item>()
        start.runs = [run]
        try store.commit(hub: hubID, batch: start)
        // Every decision of the pass is logged with its hub.
        var engine = self
        engine.logger[metadataKey: "hub"] = "\(hubID)"
        var pass = Pass<Item>(engine: engine, hub: hub, run: run.id)
        var pulled = Set<SpokeID>()
        // Every spoke's first page is asked for at once: the network waits overlap, while
        // planning and commits still go spoke by spoke, in order. (A spoke's first page depends
        // only on its own cursor and links, which the pulls of the others do not touch.)
        var firstPages: [SpokeID: FirstPage<Item>] = [:]
        let held = Set(try store.holds(hub: hubID).filter { !$0.outgoing }.map(\.spoke))
        for spoke in spokes {
            guard let connector = connectors[spoke.id] else { continue }
            // (A spoke with a hold is listed in full: see `Pass.pull`.)
            let state = try store.spokeState(hub: hubID, spoke: spoke.id)
            let cursor = held.contains(spoke.id) ? nil : state.cursor
            let from = Self.resumePage(state, held: held.contains(spoke.id))
            let known = try knownVersions(hubID, spoke.id)
            firstPages[spoke.id] = FirstPage(
                since: cursor, from: from, page: Task { try await connector.pull(since: cursor, page: from, known: known) })
        }
        defer { for t in firstPages.values { t.page.cancel() } }
        for spoke in spokes {
            guard let connector = connectors[spoke.id] else {
                pass.fail(spoke, unavailable[spoke.id] ?? ConnectorError(.misconfigured, "no connector for spoke \(spoke.name)"))
                continue
            }
            do {
                try await pass.pull(spoke, connector, first: firstPages.removeValue(forKey: spoke.id), progress)
                pulled.insert(spoke.id)
            } catch let e as ConnectorError {
                pass.fail(spoke, e)
            } catch {
                // The pass ends: no first page may still be in flight when it does.
                for t in firstPages.values { t.page.cancel(); _ = try? await t.page.value }
                throw error
            }
        }
        // A spoke that could not be pulled is not pushed to: its remote state is unknown.
        for spoke in spokes where spoke.options.twoWay && pulled.contains(spoke.id) {
            guard let connector = connectors[spoke.id], !connector.readOnly else { continue }
            do {
                try await pass.push(spoke, connector, progress)
            } catch let e as ConnectorError {
                pass.fail(spoke, e)
            }
        }
        run.finishedAt = clock()
        run.stats = pass.stats
        run.errors = pass.errors
        let itemErrors = pass.stats.values.reduce(0) { $0 + $1.itemErrors + $1.heldDeletions }
        run.status = pass.failedSpokes.isEmpty ? (itemErrors == 0 ? .succeeded : .partial)
            : (pass.failedSpokes.count == spokes.count ? .failed : .partial)
        var end = ItemWriteBatch<Item>()
        end.runs = [run]
        if run.isQuiet, recent.count == 2, recent.allSatisfy(\.isQuiet) { end.removedRuns = [recent[0].id] }
        if let keep = keepHistory, let finished = run.finishedAt { end.pruneBefore = finished.addingTimeInterval(-keep) }
        for spoke in spokes {
            var state = try store.spokeState(hub: hubID, spoke: spoke.id)
            state.lastSyncAt = run.finishedAt
            state.lastError = pass.spokeErrors[spoke.id]
            state.lastStats = pass.stats[spoke.id] ?? SpokeRunStats()
            end.spokeStates.append(state)
        }
        try store.commit(hub: hubID, batch: end)
        // The outcome is the host's to log (the CLI's `sync`, the server's `SyncRunner`), once.
        return run
    }

    /// The page an interrupted first listing of the spoke goes on from (nil: from the start).
    static func resumePage(_ state: SpokeState, held: Bool) -> PageToken? {
        guard !held, state.cursor == nil else { return nil }
        return state.resumePage.map { PageToken($0.rawValue) }
    }

    /// What the hub holds of the spoke's items; `.none` while it holds nothing (a first sync),
    /// which lets a connector take every body with its listing.
    func knownVersions(_ hub: HubID, _ spoke: SpokeID) throws -> KnownVersions {
        if try store.linkCount(hub: hub, spoke: spoke) == 0 { return .none }
        return KnownVersions { [store] ids in
            try store.linkVersions(hub: hub, spoke: spoke, remoteIDs: ids).compactMapValues { $0 }
        }
    }

    func view<Item: CoreItem>(_ spoke: SpokeConfig, _ connector: any ItemConnector<Item>) -> ItemView<Item> {
        var options = spoke.options
        if connector.readOnly { options.twoWay = false }
        // The clock sets the calendar window (contacts have none).
        return ItemView(options: options, capabilities: connector.capabilities, fit: connector.fit,
                         now: Int(clock().timeIntervalSince1970))
    }
}

/// A spoke's first page, asked for before its turn: from where (`since`, `from`) and the request.
struct FirstPage<Item: KindedItem> {
    var since: SpokeCursor?
    var from: PageToken?
    var page: Task<ItemPullPage<Item>, any Error>
}

/// The live connectors of a hub's spokes, of the kind the hub holds.
public enum HubConnectors: Sendable {
    case contacts([SpokeID: any ItemConnector<Contact>])
    case calendar([SpokeID: any ItemConnector<Event>])

    public var objectKind: ObjectKind {
        switch self {
        case .contacts: .contacts
        case .calendar: .calendar
        }
    }
}
