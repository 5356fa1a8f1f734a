import Foundation
import Hummingbird
import SyncModel
import SyncStore

/// Hubs and their spokes: create, read, change, remove.
extension HubApp {
    func addHubRoutes(_ router: Router<WebContext>) {
        // `?q=` (in the name or id), `?offset=`, `?limit=` (else all): only the page's hubs are
        // summed up, so a thousand hubs list as fast as a hundred; the total is a header.
        router.get("/api/hubs") { request, _ in
            let q = request.uri.queryParameters
            let search = q["q"].map { String($0).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
            let all = try self.store.hubs().filter { hub in
                search.map { hub.name.lowercased().contains($0) || hub.id.rawValue.contains($0) } ?? true
            }
            let offset = max(0, q["offset"].flatMap { Int(String($0)) } ?? 0)
            let limit = q["limit"] == nil ? all.count : Self.limit(request, default: 100)
            return EditedResponse(
                headers: [HTTPFields.Element.Name("X-Total-Count")!: "\(all.count)"],
                response: try all.dropFirst(offset).prefix(limit).map(self.summary))
        }
        router.post("/api/hubs") { request, context in
            let new = try await request.json(NewHub.self, context: context)
            let name = try Self.name(new.name, what: "hub")
            let id = HubID(slugOf: name)
            guard try self.store.hub(id) == nil else { throw APIError(.conflict, words: APIWords.hubExists, field: "name") }
            try self.store.saveHub(HubConfig(
                id: id, name: name, scheduleMinutes: try Self.schedule(new.scheduleMinutes), objectKind: new.objectKind))
            return EditedResponse(status: .created, response: try self.detail(id))
        }
        router.get("/api/hubs/:hub") { _, context in try self.detail(try self.hub(context).id) }
        router.patch("/api/hubs/:hub") { request, context in
            var hub = try self.hub(context)
            let patch = try await request.json(HubPatch.self, context: context)
            if let name = patch.name { hub.name = try Self.name(name, what: "hub") }
            // Absent: unchanged; 0: off.
            if let minutes = patch.scheduleMinutes { hub.scheduleMinutes = try Self.schedule(minutes) }
            if let g = patch.deletionGuard {
                guard (1...100).contains(g.percent), g.minimum >= 0 else {
                    throw APIError(.badRequest, words: APIWords.guardPercent, field: "deletionGuard")
                }
                hub.deletionGuard = g
            }
            try self.store.saveHub(hub)
            return try self.detail(hub.id)
        }
        router.delete("/api/hubs/:hub") { _, context in
            let hub = try self.hub(context)
            // Behind the hub's running pass and under its lock, like every admin write.
            try await self.runner.exclusive(hub.id) { try self.store.deleteHub(hub.id) }
            return Response(status: .noContent)
        }

        router.post("/api/hubs/:hub/spokes") { request, context in
            let hub = try self.hub(context)
            let session = try context.requireSession()
            let new = try await request.json(NewSpoke.self, context: context)
            return EditedResponse(status: .created, response: try await self.addSpoke(new, to: hub, session: session))
        }
        router.get("/api/hubs/:hub/spokes/:spoke") { _, context in
            let (hub, spoke) = try self.spoke(context)
            return try self.spokeDTO(spoke, hub: hub.id)
        }
        router.patch("/api/hubs/:hub/spokes/:spoke") { request, context in
            let (hub, found) = try self.spoke(context)
            var spoke = found
            let patch = try await request.json(SpokePatch.self, context: context)
            if let name = patch.name { spoke.name = try Self.name(name, what: "source") }
            if let password = patch.password {
                spoke.settings = try Self.setupSync { try self.provider.changingPassword(spoke, to: password) }
            }
            if let o = patch.options { spoke.options = try o.options() }
            let saved = spoke
            try await self.runner.exclusive(hub.id) { try Self.engine { try self.runner.engine.saveSpoke(saved) } }
            return try self.spokeDTO(spoke, hub: hub.id)
        }
        router.delete("/api/hubs/:hub/spokes/:spoke") { _, context in
            let (hub, spoke) = try self.spoke(context)
            try await self.runner.exclusive(hub.id) { try self.store.deleteSpoke(spoke.id, hub: hub.id) }
            return Response(status: .noContent)
        }
    }

    private func addSpoke(_ new: NewSpoke, to hub: HubConfig, session: Session) async throws -> SpokeDTO {
        let name = try Self.name(new.name, what: "source")
        guard provider.kinds.contains(where: { $0.kind == new.kind && $0.available }) else {
            throw APIError(.badRequest, words: APIWords.kindUnavailable, ["kind": new.kind.rawValue], field: "kind")
        }
        // A hub holds one kind of item: a source of the other kind would have nothing to sync.
        if new.kind.objectKind != hub.objectKind {
            let words = hub.objectKind == .calendar ? APIWords.sourceHoldsContacts : APIWords.sourceHoldsEvents
            throw APIError(.badRequest, words: words, ["kind": new.kind.rawValue], field: "kind")
        }
        let existing = try store.spokes(hub: hub.id)
        let id = SpokeID(slugOf: name)
        guard !existing.contains(where: { $0.id == id }) else {
            throw APIError(.conflict, words: APIWords.sourceExists, field: "name")
        }
        let form = try resolved(new.form, session: session)
        let settings = try await Self.setup { try await provider.settings(new.kind, form, folder: new.folder) }
        let spoke = SpokeConfig(
            id: id, hub: hub.id, name: name, kind: new.kind, position: (existing.map(\.position).max() ?? -1) + 1,
            options: new.kind.adjusted(try new.options?.options() ?? SpokeOptions()), settings: settings)
        try Self.setupSync { try provider.checkConnector(for: spoke) }
        try store.saveSpoke(spoke)
        if let signIn = new.form.signIn { try signIns.forget(signIn) }
        return try spokeDTO(spoke, hub: hub.id)
    }

    // MARK: Lookups and mapping

    func hub(_ context: WebContext) throws -> HubConfig {
        let id = HubID(try context.pathParameter("hub"))
        guard let hub = try store.hub(id) else { throw APIError(.notFound, words: APIWords.noHub, ["id": "\(id)"]) }
        return hub
    }

    func spoke(_ context: WebContext) throws -> (HubConfig, SpokeConfig) {
        let hub = try hub(context)
        let id = SpokeID(try context.pathParameter("spoke"))
        guard let spoke = try store.spokes(hub: hub.id).first(where: { $0.id == id }) else {
            throw APIError(.notFound, words: APIWords.noSource, ["id": "\(id)", "hub": "\(hub.id)"])
        }
        return (hub, spoke)
    }

    /// One hub in the list: each store read once (runs and holds serve two facts each).
    func summary(_ hub: HubConfig) throws -> HubSummaryDTO {
        let runs = try store.runs(hub: hub.id, limit: 2)
        let holds = try store.pendingHolds(hub: hub.id)
        return HubSummaryDTO(
            id: hub.id.rawValue, name: hub.name, objectKind: hub.objectKind.rawValue, scheduleMinutes: hub.scheduleMinutes,
            spokeCount: try store.spokes(hub: hub.id).count, itemCount: try store.liveItemCount(hub: hub.id),
            lastRun: runs.first(where: { $0.finishedAt != nil }).map(RunDTO.init), syncing: runner.isRunning(hub.id),
            holds: holds.count, heldDeletions: holds.reduce(0) { $0 + $1.items.count },
            nextSyncAt: nextSync(hub, lastStarted: runs.first?.startedAt))
    }

    /// When the scheduler starts this hub's next pass; nil without a schedule or a scheduler.
    func nextSync(_ hub: HubConfig) throws -> Date? {
        nextSync(hub, lastStarted: try store.runs(hub: hub.id, limit: 1).first?.startedAt)
    }

    func nextSync(_ hub: HubConfig, lastStarted: Date?) -> Date? {
        guard settings.scheduler else { return nil }
        return Schedule.next(hub, lastStarted: lastStarted, now: clock())
    }

    func detail(_ id: HubID) throws -> HubDetailDTO {
        guard let hub = try store.hub(id) else { throw APIError(.notFound, words: APIWords.noHub, ["id": "\(id)"]) }
        let spokes = try store.spokes(hub: id)
        let names = Dictionary(uniqueKeysWithValues: spokes.map { ($0.id, $0.name) })
        let sync = try runner.status(id)
        let holds = try store.pendingHolds(hub: id).map { h in
            let sample = try heldNames(hub.objectKind.shown, hub: id, Array(h.items.prefix(10)))
            return HoldDTO(
                spoke: h.spoke.rawValue, spokeName: names[h.spoke] ?? h.spoke.rawValue, detectedAt: h.detectedAt,
                count: h.items.count, reason: h.reason, sample: sample)
        }
        return HubDetailDTO(
            id: id.rawValue, name: hub.name, objectKind: hub.objectKind.rawValue, scheduleMinutes: hub.scheduleMinutes,
            deletionGuard: hub.deletionGuard,
            itemCount: try store.liveItemCount(hub: id), spokes: try spokes.map { try spokeDTO($0, hub: id) },
            holds: holds, lastRun: sync.lastRun, sync: sync, nextSyncAt: try nextSync(hub),
            conflictCount: try store.conflictCount(hub: id))
    }

    /// The names of held items, for the hold's sample.
    func heldNames<Item: ShownItem>(_ kind: Item.Type, hub: HubID, _ ids: [ItemID]) throws -> [String] {
        try store.items(kind, hub: hub, ids: ids).values.map(\.item.shownName).sorted()
    }

    func spokeDTO(_ s: SpokeConfig, hub: HubID) throws -> SpokeDTO {
        let state = try store.spokeState(hub: hub, spoke: s.id)
        var described = provider.describe(s)
        // Whatever its kind, a source whose invited account took its access back is paused.
        if let paused = s.settings[InvitationService.pausedKey] { described["paused"] = paused }
        return SpokeDTO(
            id: s.id.rawValue, name: s.name, kind: s.kind,
            kindName: provider.kinds.first(where: { $0.kind == s.kind })?.name ?? s.kind.rawValue,
            position: s.position, options: OptionsDTO(s.options), settings: described,
            status: SpokeStatusDTO(
                lastSyncAt: state.lastSyncAt, lastError: state.lastError, linked: try store.linkCount(hub: hub, spoke: s.id),
                lastStats: state.lastSyncAt == nil ? nil : state.lastStats,
                problem: state.lastError.map(PlainProblem.of),
                heldDeletions: try store.pendingHolds(hub: hub).filter { $0.spoke == s.id }.reduce(0) { $0 + $1.items.count }),
            direction: SpokeDirection(s.options, described: described))
    }

    /// Hub and spoke names: 1 to 100 characters; user names: 1 to 64.
    static let maxNameLength = 100

    /// A name the admin typed, trimmed: not empty, at most `limit` characters, and one plain
    /// line (no control or text-direction characters: names reach terminals and logs).
    static func name(_ raw: String, what: String, field: String = "name", limit: Int = maxNameLength) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw APIError(.badRequest, words: APIWords.nameEmpty(what), field: field) }
        guard name.count <= limit else {
            throw APIError(.badRequest, words: APIWords.nameLong(what), ["limit": "\(limit)", "count": "\(name.count)"], field: field)
        }
        guard !DisplayText.hasControls(name) else {
            throw APIError(.badRequest, words: APIWords.nameControls(what), field: field)
        }
        return name
    }

    /// Minutes between scheduled syncs: nil or 0 is off.
    static func schedule(_ minutes: Int?) throws -> Int? {
        guard let minutes, minutes != 0 else { return nil }
        guard (1...10_080).contains(minutes) else {
            throw APIError(.badRequest, words: APIWords.schedule, field: "scheduleMinutes")
        }
        return minutes
    }
}
