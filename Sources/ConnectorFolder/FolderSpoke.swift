import Foundation
import ConnectorKit
import PIMFormats
import SyncModel

/// A folder of vCard files, one contact per `.vcf` file (the layout of vdirsyncer's filesystem
/// storage and of most "export all contacts" buttons). The file name is the remote id and a hash
/// of its bytes the version, so a concurrent edit of a file shows up as a conflict.
public struct FolderSpoke: SpokeConnector {
    public let directory: URL
    /// The version new files are written in; an edited file keeps its own.
    public let version: VCardVersion
    public let pageSize: Int
    public var capabilities: Set<ContactField>? { nil }
    public var fit: (@Sendable (Contact) -> Contact)? { VCardFit.fit }
    public var maxBatch: Int { 100 }

    public init(directory: URL, version: VCardVersion = .v3, pageSize: Int = 500) {
        self.directory = directory
        self.version = version
        self.pageSize = pageSize
    }

    /// Always a full listing: a folder keeps no change log.
    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await pull(since: cursor, page: page, known: .none)
    }

    /// Files whose bytes hash to the version the hub holds are listed as unchanged, not parsed:
    /// a quiet folder costs a read and a hash per file.
    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        let names = try listing()
        let start = page.flatMap { Int($0.rawValue) } ?? 0
        let end = min(start + pageSize, names.count)
        let ids = names[min(start, end)..<end].map { RemoteID($0) }
        let held = try await known(ids)
        var changes: [RemoteChange] = []
        var unchanged: [RemoteID] = []
        var errors: [ItemError] = []
        for id in ids {
            guard let data = FileManager.default.contents(atPath: url(id).path) else { continue }  // gone meanwhile
            let version = Self.version(of: data)
            if held[id] == version {
                unchanged.append(id)
                continue
            }
            do {
                changes.append(.upsert(try item(id, data, version)))
            } catch let e as ItemError {
                errors.append(e)
            }
        }
        return PullPage(
            mode: .full, changes: changes, errors: errors,
            next: end < names.count ? PageToken(String(end)) : nil, cursor: nil, total: names.count, unchanged: unchanged)
    }

    public func write(_ ops: [WriteOp]) async throws -> [WriteOutcome] {
        try ops.map { op in
            do {
                return try apply(op)
            } catch let e as ItemError {
                return .failed(e)
            }
        }
    }

    public func fetch(_ id: RemoteID) async throws -> RemoteItem? {
        do { return try read(id) } catch is ItemError { return nil }
    }

    public func find(marker: CreateMarker) async throws -> RemoteItem? {
        try await fetch(Self.fileName(for: marker))
    }

    // MARK: -

    /// The hub's own files are named after their marker, so a create retried after a crash finds
    /// the file it already wrote.
    static func fileName(for marker: CreateMarker) -> RemoteID { RemoteID(marker.resourceName) }

    private func listing() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.lowercased().hasSuffix(".vcf") && !$0.hasPrefix(".") }
                .sorted()
        } catch {
            throw ConnectorError(.misconfigured, "cannot list \(directory.path): \(error.localizedDescription)")
        }
    }

    private func url(_ id: RemoteID) -> URL { directory.appendingPathComponent(id.rawValue) }

    /// The file's card, or nil when it does not exist.
    private func readCard(_ id: RemoteID) throws -> (VCard, RemoteVersion, Date?)? {
        guard let data = FileManager.default.contents(atPath: url(id).path) else { return nil }
        let (card, modified) = try parse(id, data)
        return (card, Self.version(of: data), modified)
    }

    private func parse(_ id: RemoteID, _ data: Data) throws -> (VCard, Date?) {
        do {
            let card = try VCardParser.parse(data: data)
            return (card, (try? FileManager.default.attributesOfItem(atPath: url(id).path))?[.modificationDate] as? Date)
        } catch {
            throw ItemError(remoteID: id, message: "\(error)")
        }
    }

    private func read(_ id: RemoteID) throws -> RemoteItem? {
        guard let data = FileManager.default.contents(atPath: url(id).path) else { return nil }
        return try item(id, data, Self.version(of: data))
    }

    private func item(_ id: RemoteID, _ data: Data, _ version: RemoteVersion) throws -> RemoteItem {
        let (card, modified) = try parse(id, data)
        return RemoteItem(
            id: id, version: version, contact: card.identifiedContact, modifiedAt: modified, marker: card.createMarker)
    }

    private func apply(_ op: WriteOp) throws -> WriteOutcome {
        switch op {
        case .create(let contact, let marker):
            let id = Self.fileName(for: marker)
            if let (_, v, _) = try readCard(id) { return .created(id, v) }
            return .created(id, try store(VCard.created(contact, marker: marker, version: version), as: id))
        case .update(let id, let expected, let contact):
            guard let (old, v, _) = try readCard(id) else { return .notFound }
            if let expected, expected != v { return .conflict }
            return .updated(try store(old.updated(with: contact), as: id))
        case .delete(let id, let expected):
            guard let (_, v, _) = try? readCard(id) else { return .notFound }
            if let expected, expected != v { return .conflict }
            do {
                try FileManager.default.removeItem(at: url(id))
            } catch {
                throw ItemError(remoteID: id, message: "cannot delete: \(error.localizedDescription)")
            }
            return .deleted
        }
    }

    /// Written to a temporary file and renamed, so a reader never sees half a card.
    private func store(_ card: VCard, as id: RemoteID) throws -> RemoteVersion {
        let data = Data(VCardWriter.write(card).utf8)
        do {
            try data.write(to: url(id), options: .atomic)
        } catch {
            throw ItemError(remoteID: id, message: "cannot write: \(error.localizedDescription)")
        }
        return Self.version(of: data)
    }

    static func version(of data: Data) -> RemoteVersion {
        RemoteVersion(String(ContentHash(hashing: data).value, radix: 16))
    }
}
