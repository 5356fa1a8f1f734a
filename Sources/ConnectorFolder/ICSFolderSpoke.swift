import Foundation
import ConnectorKit
import PIMFormats
import SyncModel

/// A folder of iCalendar files, one series per `.ics` file (the layout of vdirsyncer's
/// filesystem storage and of khal): the file name is the remote id, a hash of its bytes the
/// version. Series the hub creates get a file named after their UID (`ICalNames`).
public struct ICSFolderSpoke: ItemConnector {
    public typealias Item = Event
    public let directory: URL
    public let pageSize: Int
    /// Bounds on one file (a hostile or broken one is reported and kept, never read whole).
    public let limits: ICalLimits
    /// The clock a missing DTSTAMP is read from.
    let now: @Sendable () -> Date
    public var capabilities: Set<Event.Field>? { nil }
    public var maxBatch: Int { 100 }

    public init(directory: URL, pageSize: Int = 500, limits: ICalLimits = .default, now: @escaping @Sendable () -> Date = { Date() }) {
        (self.directory, self.pageSize, self.limits, self.now) = (directory, pageSize, limits, now)
    }

    var files: FolderDirectory { FolderDirectory(directory: directory, suffix: ".ics", maxFileBytes: limits.maxBytes) }

    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Event> {
        try await pull(since: cursor, page: page, known: .none)
    }

    /// Always a full listing (a folder keeps no change log); files at the version the hub holds
    /// are listed as unchanged without parsing. A file that exists but cannot be read is an item
    /// error, never a deletion, and while one is there the listing is not final (`incremental`).
    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> ItemPullPage<Event> {
        let names = try files.listing()
        let start = page.flatMap { Int($0.rawValue) } ?? 0
        let end = min(start + pageSize, names.count)
        let ids = names[min(start, end)..<end].map { RemoteID($0) }
        let held = try await known(ids)
        var changes: [ItemChange<Event>] = []
        var unchanged: [RemoteID] = []
        var errors: [ItemError] = []
        var unreadable = false
        for id in ids {
            switch read(id) {
            case .missing: continue
            case .failed(let e):
                errors.append(e)
                unreadable = true
            case .file(let data, let cal, let skipped):
                if held[id] == FolderDirectory.version(of: data) {
                    unchanged.append(id)
                    continue
                }
                guard let cal else { continue }  // a task list, a journal: not the hub's
                changes.append(.upsert(item(id, data, cal)))
                errors += skipped
            }
        }
        let last = end >= names.count
        let complete = !last || (!unreadable && names.allSatisfy(files.readable))
        return ItemPullPage<Event>(
            mode: complete ? .full : .incremental, changes: changes, errors: errors,
            next: last ? nil : PageToken(String(end)), cursor: nil, total: names.count, unchanged: unchanged)
    }

    public func write(_ ops: [ItemWriteOp<Event>]) async throws -> [WriteOutcome] {
        ops.map { op in
            do {
                return try apply(op)
            } catch let e as ItemError {
                return .failed(e)
            } catch {
                return .failed(ItemError(remoteID: nil, message: "\(error)"))
            }
        }
    }

    public func fetch(_ id: RemoteID) async throws -> Remote<Event>? {
        switch read(id) {
        case .missing: return nil
        // nil would read as deleted: a file that is there but unreadable fails the pass instead.
        case .failed(let e): throw ConnectorError(.unavailable, e.message)
        case .file(let data, let cal?, _): return item(id, data, cal)
        case .file(_, nil, _): return nil
        }
    }

    /// Creates are named after the UID and carry the marker (`ICalMarker`): the files that hold
    /// the marker's text are read, and the one whose series carries it is the create's.
    public func find(marker: CreateMarker) async throws -> Remote<Event>? {
        let text = Data(marker.description.utf8)
        for name in try files.listing() {
            // Unfolded first: a long marker line is folded, which splits its text.
            guard case .data(let d) = files.contents(name), Self.unfolded(d).range(of: text) != nil,
                  case .file(let data, let cal?, _) = read(RemoteID(name)) else { continue }
            let r = item(RemoteID(name), data, cal)
            if r.marker == marker { return r }
        }
        return nil
    }

    /// The bytes with line folds (CRLF or LF, then a space or tab) taken out.
    static func unfolded(_ d: Data) -> Data {
        let b = [UInt8](d)
        var out = Data(capacity: b.count)
        var i = 0
        while i < b.count {
            let fold = b[i] == 0x0D && i + 1 < b.count && b[i + 1] == 0x0A ? 2 : b[i] == 0x0A ? 1 : 0
            if fold > 0, i + fold < b.count, b[i + fold] == 0x20 || b[i + fold] == 0x09 {
                i += fold + 1
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }

    // MARK: -

    /// The file for a series the hub creates.
    public static func fileName(uid: String) -> String { ICalNames.baseName(uid: uid) + ".ics" }

    enum Read {
        case missing
        case failed(ItemError)
        /// The file's bytes and its one series (nil: it holds no event); lines skipped in it.
        case file(Data, ICalendar?, [ItemError])
    }

    func read(_ id: RemoteID) -> Read {
        let name = id.rawValue
        let data: Data
        switch files.contents(name) {
        case .missing: return .missing
        case .unreadable(let why): return .failed(ItemError(remoteID: id, message: "cannot read \(name): \(why); kept as it was"))
        case .data(let d): data = d
        }
        let cal: ICalendar
        do {
            cal = try ICalParser.parse(data: data, limits: limits)
        } catch {
            return .failed(ItemError(remoteID: id, message: "\(name): \(error.description)"))
        }
        let skipped = cal.problems.map { ItemError(remoteID: nil, message: "\(name): \($0.description) (skipped)") }
        switch cal.events.count {
        case 0 where cal.problems.isEmpty: return .file(data, nil, [])
        case 0: return .failed(ItemError(remoteID: id, message: "\(name): \(cal.problems[0].description)"))
        case 1: return .file(data, cal, skipped)
        default:
            return .failed(ItemError(
                remoteID: id, message: "\(name) holds \(cal.events.count) series where one was expected (an export of a whole calendar?)"))
        }
    }

    private func item(_ id: RemoteID, _ data: Data, _ cal: ICalendar) -> Remote<Event> {
        let (event, marker) = ICalMarker.split(cal.events[0])
        return Remote(id: id, version: FolderDirectory.version(of: data), item: event, modifiedAt: files.modified(id.rawValue),
                      marker: marker.flatMap(CreateMarker.init(parsing:)))
    }

    private func apply(_ op: ItemWriteOp<Event>) throws -> WriteOutcome {
        switch op {
        case .create(let event, let marker):
            let id = RemoteID(Self.fileName(uid: event.uid))
            let data = body(event, over: nil, marker: marker)
            switch read(id) {
            case .missing: break
            // Written by an earlier try whose answer was lost: done. Another file of this UID:
            // linked without a version, so the next pull reads and merges it.
            case .file(let old, _, _): return .created(id, old == data ? FolderDirectory.version(of: old) : nil)
            case .failed(let e): return .failed(e)
            }
            try files.store(data, as: id.rawValue, for: id)
            return .created(id, FolderDirectory.version(of: data))
        case .update(let id, let expected, let event):
            let old: ICalendar?
            switch read(id) {
            case .missing: return .notFound
            case .failed(let e): return .failed(e)
            case .file(let bytes, let cal, _):
                if let expected, expected != FolderDirectory.version(of: bytes) { return .conflict }
                old = cal
            }
            let data = body(event, over: old)
            try files.store(data, as: id.rawValue, for: id)
            return .updated(FolderDirectory.version(of: data))
        case .delete(let id, let expected):
            switch read(id) {
            case .missing: return .notFound
            case .failed(let e): return .failed(e)
            case .file(let bytes, _, _):
                if let expected, expected != FolderDirectory.version(of: bytes) { return .conflict }
            }
            try files.remove(id.rawValue, for: id)
            return .deleted
        }
    }

    /// The series in the file as it was (its calendar properties, custom zones and other
    /// components kept), or alone in a new one; no METHOD and nobody scheduled (`ICalOutbound`):
    /// a file imported elsewhere must not turn into invitations.
    /// A create carries the hub's `marker`; an update keeps the one the file had.
    private func body(_ event: Event, over old: ICalendar?, marker: CreateMarker? = nil) -> Data {
        var cal = old ?? ICalendar()
        cal.events = [ICalMarker.writing(event, over: old?.events.first, marker: marker?.description)]
        cal.problems = []
        let stamp = CivilDateTime(secondsSinceEpoch: Int(now().timeIntervalSince1970))
        return Data(ICalWriter.write(ICalOutbound.prepare(cal), stampIfMissing: stamp).utf8)
    }
}
