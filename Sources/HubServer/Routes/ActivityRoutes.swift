import Foundation
import Hummingbird
import SyncEngine
import SyncModel
import SyncStore

/// What happens in a hub: Sync now and its progress, runs, the journal with undo, held
/// deletions, and the contacts themselves.
extension HubApp {
    func addActivityRoutes(_ router: Router<WebContext>) {
        router.post("/api/hubs/:hub/sync") { _, context in
            EditedResponse(status: .accepted, response: try self.runner.start(try self.hub(context).id))
        }
        router.get("/api/hubs/:hub/sync") { _, context in try self.runner.status(try self.hub(context).id) }
        router.get("/api/hubs/:hub/runs") { request, context in
            let hub = try self.hub(context)
            return try self.store.runs(hub: hub.id, limit: Self.limit(request, default: 20)).map(RunDTO.init)
        }
        router.post("/api/hubs/:hub/runs/:run/undo") { request, context in
            let hub = try self.hub(context)
            let run = RunID(try context.pathParameter("run"))
            let engine = self.runner.engine
            // Undoing a run that added contacts deletes them everywhere: never without a yes.
            let deletions = try Self.engine { try engine.deletionsUndoing(hub: hub.id, run: run) }
            if deletions > 0 && request.uri.queryParameters["confirm"] != "deletions" {
                var ask = APIError(.conflict, words: APIWords.undoRunDeletes, ["n": "\(deletions)"], field: "confirm")
                // The English for one; the page takes the catalog's plural form by n.
                if deletions == 1 { ask.message = "Undoing this sync deletes the contact it added: from the hub now, and from every source that gets hub changes at the next sync." }
                throw ask
            }
            return Restored(restored: try await self.runner.exclusive(hub.id) {
                try Self.engine { try engine.undo(hub: hub.id, run: run) }
            })
        }

        router.get("/api/hubs/:hub/journal") { request, context in
            let hub = try self.hub(context)
            return try self.journalPage(hub.objectKind.shown, hub: hub.id, request, limit: Self.limit(request, default: 50))
        }
        router.post("/api/hubs/:hub/journal/:seq/undo") { request, context in
            let hub = try self.hub(context)
            guard let seq = Int64(try context.pathParameter("seq")) else { throw APIError.notFound("journal entry") }
            let confirmed = request.uri.queryParameters["confirm"] == "deletions"
            return Restored(restored: try await self.runner.exclusive(hub.id) {
                // Undoing an "Added" deletes that contact everywhere: as for a run, never without
                // a yes (asked once the running pass is done, on the hub as it is then).
                if try self.undoDeletes(hub.objectKind.shown, hub: hub.id, entry: seq) && !confirmed {
                    throw APIError(.conflict, words: APIWords.undoEntryDeletes, field: "confirm")
                }
                return try Self.engine { try self.runner.engine.undo(hub: hub.id, entry: seq) }
            })
        }

        router.post("/api/hubs/:hub/holds/:spoke/approve") { _, context in
            let (hub, spoke) = try self.spoke(context)
            try await self.runner.exclusive(hub.id) {
                try Self.engine { try self.runner.engine.approveHold(hub: hub.id, spoke: spoke.id) }
            }
            return Response(status: .noContent)
        }
        router.post("/api/hubs/:hub/holds/:spoke/reject") { _, context in
            let (hub, spoke) = try self.spoke(context)
            try await self.runner.exclusive(hub.id) {
                try Self.engine { try self.runner.engine.rejectHold(hub: hub.id, spoke: spoke.id) }
            }
            return Response(status: .noContent)
        }

        router.get("/api/hubs/:hub/contacts") { request, context in
            let hub = try self.hub(context)
            let q = request.uri.queryParameters
            let search = q["q"].map { String($0).lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
            let offset = max(0, q["offset"].flatMap { Int(String($0)) } ?? 0)
            // A calendar hub's series, by summary and location, so the history can be filtered by one.
            let live = switch hub.objectKind {
            case .contacts: try self.store.liveItems(hub: hub.id).map(Self.contact)
            case .calendar: try self.store.liveItems(Event.self, hub: hub.id).map(Self.series)
            }
            let all = live
                .filter { c in search.map { s in Self.matches(c, s) } ?? true }
                .sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
            return ContactPage(total: all.count, contacts: Array(all.dropFirst(offset).prefix(Self.limit(request, default: 100))))
        }
    }

    /// An engine refusal (no such entry, nothing to restore, no hold) is the admin's 4xx, by its kind.
    static func engine<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as EngineError { throw APIError(engine: e) }
    }

    /// The store filters by item (`item`), sync (`run`) and conflicts; the source and the kind of
    /// change are read from pages of 500 until `limit` entries match or 10,000 were looked at.
    /// `next` goes on from the last one seen.
    func journalPage<Item: ShownItem>(
        _ kind: Item.Type, hub: HubID, _ request: Request, limit: Int
    ) throws -> JournalPage {
        let q = request.uri.queryParameters
        let source = q["source"].map(String.init), kind = q["kind"].flatMap { JournalKind(rawValue: String($0)) }
        let filtered = source != nil || kind != nil
        var before = q["before"].flatMap { Int64(String($0)) }
        var entries: [ItemJournalEntry<Item>] = [], scanned = 0, more = true
        let names = try spokeNames(hub)
        while entries.count < limit && more && scanned < 10_000 {
            let page = try store.journal(Item.self, hub: hub, JournalQuery(
                item: q["item"].map { ItemID(String($0)) }, run: q["run"].map { RunID(String($0)) },
                before: before, limit: filtered ? 500 : limit, conflicts: q["conflicts"] == "1"))
            more = page.count == (filtered ? 500 : limit)
            scanned += page.count
            for e in page {
                before = e.seq
                if let source, Self.entry(e, names: names).source != source { continue }
                if let kind, e.kind != kind { continue }
                entries.append(e)
                if entries.count == limit { more = true; break }
            }
        }
        return JournalPage(
            entries: entries.map { Self.entry($0, names: names) },
            next: more || scanned >= 10_000 ? before : nil)
    }

    /// Whether undoing journal entry `seq` takes a live item out (the entry added it).
    func undoDeletes<Item: ShownItem>(_ kind: Item.Type, hub: HubID, entry seq: Int64) throws -> Bool {
        guard let e = try store.journal(kind, hub: hub, JournalQuery(before: seq + 1, limit: 1)).first, e.seq == seq,
            e.old == nil
        else { return false }
        return try store.items(kind, hub: hub, ids: [e.item]).values.contains { !$0.deleted }
    }

    static func limit(_ request: Request, default d: Int) -> Int {
        min(1000, max(1, request.uri.queryParameters["limit"].flatMap { Int(String($0)) } ?? d))
    }

    static func entry<Item: ShownItem>(_ e: ItemJournalEntry<Item>, names: [SpokeID: String]) -> EntryDTO {
        let (source, sourceName): (String, String) = switch e.source {
        case .spoke(let s): ("spoke:\(s)", names[s] ?? s.rawValue)
        case .restore: ("restore", "an undo")
        case .approval(let s): ("approval:\(s)", "\(names[s] ?? s.rawValue), deletion approved by an admin")
        }
        let changes = e.new.map { Item.shownChanges(from: e.old, to: $0) } ?? []
        let shown = changes.map { c in
            c.added.isEmpty && c.removed.isEmpty
                ? ChangeDTO(field: c.field.description, old: c.old, new: c.new)
                : ChangeDTO(field: c.field.description, old: c.removed.isEmpty ? nil : c.removed.joined(separator: ", "),
                            new: c.added.isEmpty ? nil : c.added.joined(separator: ", "))
        }
        let name = (e.new ?? e.old)?.shownName ?? ""
        return EntryDTO(
            seq: e.seq, at: e.at, kind: e.kind, item: e.item.rawValue, name: name.isEmpty ? e.item.rawValue : name,
            source: source, sourceName: sourceName, run: e.run?.rawValue, conflicts: e.conflicts.map(\.description),
            changes: shown)
    }

    static func contact(_ item: HubItem) -> ContactDTO {
        let c = item.contact
        return ContactDTO(
            id: item.id.rawValue, name: c.formattedName, organization: c.organization, emails: c.emails.map(\.value),
            phones: c.phones.map(\.value), categories: c.categories)
    }

    static func series(_ record: HubRecord<Event>) -> ContactDTO {
        let f = record.item.master ?? record.item.overrides.first?.fields
        return ContactDTO(
            id: record.id.rawValue, name: Normalize.text(f?.summary) ?? "(no title)", organization: Normalize.text(f?.location),
            emails: [], phones: [], categories: f?.categories ?? [])
    }

    static func matches(_ c: ContactDTO, _ s: String) -> Bool {
        ([c.name, c.organization ?? ""] + c.emails + c.phones).contains { $0.lowercased().contains(s) }
    }
}
