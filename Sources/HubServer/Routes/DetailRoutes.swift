import Foundation
import Hummingbird
import ServiceLifecycle
import Synchronization
import SyncCore
import SyncEngine
import SyncModel
import SyncStore

/// Conflicts (with "use the other value"), one contact in detail, and the live sync status as
/// server-sent events.
extension HubApp {
    func addDetailRoutes(_ router: Router<WebContext>) {
        // Newest first, `limit` (50) at a time; `before` (the last seq seen) pages back.
        router.get("/api/hubs/:hub/conflicts") { request, context in
            let hub = try self.hub(context)
            let names = try self.spokeNames(hub.id)
            let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
            return try self.conflictDTOs(
                hub.objectKind.shown, hub: hub.id, JournalQuery(before: before, limit: Self.limit(request, default: 50), conflicts: true),
                names: names)
        }
        // The losing side's values of the conflicting fields only, journaled like an undo.
        router.post("/api/hubs/:hub/conflicts/:seq/use-other") { _, context in
            let hub = try self.hub(context)
            guard let seq = Int64(try context.pathParameter("seq")) else { throw APIError.notFound("conflict") }
            return Restored(restored: try await self.runner.exclusive(hub.id) {
                try Self.engine {
                    switch hub.objectKind {
                    case .contacts: try self.runner.engine.useOtherValue(Contact.self, hub: hub.id, entry: seq).count
                    case .calendar: try self.runner.engine.useOtherValue(Event.self, hub: hub.id, entry: seq).count
                    }
                }
            })
        }
        router.get("/api/hubs/:hub/contacts/:item") { _, context in
            let hub = try self.hub(context)
            let id = ItemID(try context.pathParameter("item"))
            guard let item = try self.store.items(hub: hub.id, ids: [id])[id] else { throw APIError.notFound("contact \(id)") }
            return try self.contactDetail(item, hub: hub.id)
        }
        router.get("/api/hubs/:hub/sync/events") { _, context in
            let hub = try self.hub(context).id
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { [self] writer in try await self.streamStatus(hub, to: &writer) })
        }
    }

    /// Sends the sync status now and at each change, until a pass seen running ends, 25 s pass
    /// (the browser's EventSource connects again: no stream outlives its use) or the server shuts
    /// down gracefully.
    func streamStatus(_ hub: HubID, to writer: inout any ResponseBodyWriter) async throws {
        let (watch, changes) = runner.watch()
        defer { runner.unwatch(watch) }
        let end = StreamEnd()
        let idle = Task { [sleep, runner] in
            guard (try? await sleep(.seconds(25))) != nil else { return }
            end.set()
            runner.signal(watch)
        }
        defer { idle.cancel() }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let event = { (status: SyncStatusDTO) in
            ByteBuffer(string: "event: status\ndata: \(String(decoding: try encoder.encode(status), as: UTF8.self))\n\n")
        }
        try await withGracefulShutdownHandler {
            var status = try runner.status(hub)
            try await writer.write(ByteBuffer(string: "retry: 2000\n"))
            try await writer.write(try event(status))
            var sawRunning = status.running
            for await _ in changes {
                if end.isSet { break }
                status = try runner.status(hub)
                try await writer.write(try event(status))
                if sawRunning && !status.running { break }
                sawRunning = sawRunning || status.running
            }
        } onGracefulShutdown: { [runner] in
            end.set()
            runner.signal(watch)
        }
        try await writer.finish(nil)
    }

    func spokeNames(_ hub: HubID) throws -> [SpokeID: String] {
        Dictionary(uniqueKeysWithValues: try store.spokes(hub: hub).map { ($0.id, $0.name) })
    }

    /// The conflicts `query` finds (one of `conflicts: true`), as the conflicts page shows them.
    func conflictDTOs<Item: ShownItem>(
        _ kind: Item.Type, hub: HubID, _ query: JournalQuery, names: [SpokeID: String]
    ) throws -> [ConflictDTO] {
        try store.journal(kind, hub: hub, query).map { try conflictDTO($0, hub: hub, names: names) }
    }

    func conflictDTO<Item: ShownItem>(_ e: ItemJournalEntry<Item>, hub: HubID, names: [SpokeID: String]) throws -> ConflictDTO {
        // Who set the hub's side: the entry for this item before this one.
        let before = try store.journal(Item.self, hub: hub, JournalQuery(item: e.item, before: e.seq, limit: 1)).first
        let entrySource = Self.entry(e, names: names).sourceName
        let hubSource = before.map { Self.entry($0, names: names).sourceName } ?? "the hub"
        let hubWon = e.kind == .conflict
        let fields = Item.shownChanges(from: e.old, to: e.new!).filter { e.conflicts.contains($0.field) }.map { c in
            ConflictFieldDTO(field: c.field.description, winner: Self.values(c.new, c.added), other: Self.values(c.old, c.removed))
        }
        let name = e.new?.shownName ?? ""
        return ConflictDTO(
            seq: e.seq, at: e.at, item: e.item.rawValue, name: name.isEmpty ? e.item.rawValue : name, run: e.run?.rawValue,
            fields: fields.isEmpty ? e.conflicts.map { ConflictFieldDTO(field: $0.description, winner: nil, other: nil) } : fields,
            winnerSource: hubWon ? hubSource : entrySource, otherSource: hubWon ? entrySource : hubSource)
    }

    static func values(_ one: String?, _ list: [String]) -> String? {
        list.isEmpty ? one : list.joined(separator: ", ")
    }

    func contactDetail(_ item: HubItem, hub: HubID) throws -> ContactDetailDTO {
        let names = try spokeNames(hub)
        let fields = Contact().changes(to: item.contact).map { c in
            FieldValueDTO(field: c.field.description, value: Self.values(c.new, c.added) ?? "")
        }
        let sources = try store.spokes(hub: hub).map { spoke -> ContactSourceDTO in
            let link = try store.links(hub: hub, spoke: spoke.id, items: [item.id])[item.id]
            let state: String = switch (link, item.deleted) {
            case (nil, _): "absent"
            case (let l?, _) where l.leavingFilter: "leaving"
            case (let l?, false) where l.hubVersionSeen >= item.version: "inSync"
            case (_?, _): "pending"
            }
            return ContactSourceDTO(
                spoke: spoke.id.rawValue, spokeName: spoke.name, remoteID: link?.remoteID.rawValue, state: state,
                filteredOut: spoke.options.twoWay ? Self.filterReasons(spoke.options.filter, item.contact) : [],
                twoWay: spoke.options.twoWay)
        }
        let history = try store.journal(hub: hub, JournalQuery(item: item.id, limit: 50)).map { Self.entry($0, names: names) }
        return ContactDetailDTO(
            contact: Self.contact(item), deleted: item.deleted, fields: fields, sources: sources, history: history)
    }

    /// Each criterion of `filter` that keeps `c` out, in words (empty: the filter admits it).
    static func filterReasons(_ filter: SpokeFilter, _ c: Contact) -> [String] {
        var out: [String] = []
        if filter.requireEmail && !SpokeFilter(requireEmail: true).admits(c) { out.append("it has no email address") }
        if filter.requirePhone && !SpokeFilter(requirePhone: true).admits(c) { out.append("it has no phone number") }
        if !filter.categories.isEmpty && !SpokeFilter(categories: filter.categories).admits(c) {
            out.append("it is in none of the categories \(filter.categories.joined(separator: ", "))")
        }
        if !filter.companies.isEmpty && !SpokeFilter(companies: filter.companies).admits(c) {
            out.append("its company is not \(filter.companies.joined(separator: " or "))")
        }
        if !filter.emailDomains.isEmpty && !SpokeFilter(emailDomains: filter.emailDomains).admits(c) {
            out.append("no email address at \(filter.emailDomains.joined(separator: " or "))")
        }
        return out
    }
}

/// Set once a status stream should end (its time is up, or the server is shutting down).
final class StreamEnd: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var isSet: Bool { flag.withLock { $0 } }
}

struct ConflictFieldDTO: ResponseCodable { var field: String; var winner: String?; var other: String? }
struct ConflictDTO: ResponseCodable {
    var seq: Int64
    var at: Date
    var item: String
    var name: String
    var run: String?
    var fields: [ConflictFieldDTO]
    var winnerSource: String
    var otherSource: String
}
struct FieldValueDTO: ResponseCodable { var field: String; var value: String }
struct ContactSourceDTO: ResponseCodable {
    var spoke: String
    var spokeName: String
    var remoteID: String?
    /// inSync, pending (a change waits for the next sync), leaving (left the filter), absent.
    var state: String
    /// Why the spoke's filter keeps the contact out (empty: it does not).
    var filteredOut: [String]
    var twoWay: Bool
}
struct ContactDetailDTO: ResponseCodable {
    var contact: ContactDTO
    var deleted: Bool
    var fields: [FieldValueDTO]
    var sources: [ContactSourceDTO]
    var history: [EntryDTO]
}
