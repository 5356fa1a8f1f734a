import Foundation
import ConnectorKit
import PIMFormats
import SyncModel

/// A folder of vCard files: one contact per `.vcf` file (the layout of vdirsyncer's filesystem
/// storage), or several (an "export all contacts" file; see `FolderFile`). The file name is the
/// remote id and a hash of its bytes the version, so a concurrent edit of a file shows up as a
/// conflict. Cards the hub creates get a file each.
public struct FolderSpoke: SpokeConnector {
    public let directory: URL
    /// The version new files are written in; an edited file keeps its own.
    public let version: VCardVersion
    public let pageSize: Int
    /// Past this a file is not read (and reported, and kept): an export of thousands of people
    /// with photos fits; the cards in it have their own limits (`VCardLimits`).
    public let maxFileBytes: Int
    public var capabilities: Set<ContactField>? { nil }
    public var fit: (@Sendable (Contact) -> Contact)? { VCardFit.fit }
    public var maxBatch: Int { 100 }

    public init(directory: URL, version: VCardVersion = .v3, pageSize: Int = 500, maxFileBytes: Int = 128 << 20) {
        self.directory = directory
        self.maxFileBytes = maxFileBytes
        self.version = version
        self.pageSize = pageSize
    }

    /// Always a full listing: a folder keeps no change log.
    public func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> PullPage {
        try await pull(since: cursor, page: page, known: .none)
    }

    /// Files whose bytes hash to the version the hub holds are listed as unchanged, not parsed:
    /// a quiet folder costs a read and a hash per file. A file that exists but cannot be read is
    /// an item error, never a deletion; while any file is unreadable the listing is not final
    /// (`incremental`), so nothing absent is read as deleted (the cards of an unreadable
    /// multi-card file cannot even be named).
    public func pull(since cursor: SpokeCursor?, page: PageToken?, known: KnownVersions) async throws -> PullPage {
        let names = try files.listing()
        let start = page.flatMap { Int($0.rawValue) } ?? 0
        let end = min(start + pageSize, names.count)
        let ids = names[min(start, end)..<end].map { RemoteID($0) }
        let held = try await known(ids)
        var changes: [RemoteChange] = []
        var unchanged: [RemoteID] = []
        var errors: [ItemError] = []
        for id in ids {
            let data: Data
            switch files.contents(id.rawValue) {
            case .missing: continue  // gone meanwhile
            case .unreadable(let why):
                errors.append(ItemError(remoteID: id, message: "cannot read \(id.rawValue): \(why); kept as it was"))
                continue
            case .data(let d): data = d
            }
            if held[id] == Self.version(of: data) {
                unchanged.append(id)
                continue
            }
            let file = FolderFile(name: id.rawValue, data: data)
            if file.entries.isEmpty {
                errors.append(ItemError(remoteID: id, message: "\(id.rawValue) holds no vCard"))
                continue
            }
            let heldCards = file.isMultiCard ? try await known(file.entries.map(\.id)) : [:]
            for entry in file.entries {
                if file.isMultiCard, heldCards[entry.id] == entry.version {
                    unchanged.append(entry.id)
                    continue
                }
                switch entry.parsed.result {
                case .success(let card):
                    changes.append(.upsert(item(entry, card, modified: files.modified(id.rawValue))))
                    for skip in entry.parsed.skipped {
                        // Reported, not failed: the card synced without that line (which stays in the file).
                        errors.append(ItemError(remoteID: nil, message: "\(id.rawValue): \(skip.error.description) (line skipped)"))
                    }
                case .failure(let e):
                    errors.append(ItemError(remoteID: entry.id, message: "\(id.rawValue): \(e.description)"))
                }
            }
        }
        let last = end >= names.count
        let complete = !last || names.allSatisfy(files.readable)
        return PullPage(
            mode: complete ? .full : .incremental, changes: changes, errors: errors,
            next: last ? nil : PageToken(String(end)), cursor: nil, total: names.count, unchanged: unchanged)
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
        // nil would read as deleted: a file that is there but unreadable fails the spoke's pass instead.
        do { return try read(id) } catch let e as ItemError { throw ConnectorError(.unavailable, e.message) }
    }

    public func find(marker: CreateMarker) async throws -> RemoteItem? {
        try await fetch(Self.fileName(for: marker))
    }

    // MARK: -

    /// The hub's own files are named after their marker, so a create retried after a crash finds
    /// the file it already wrote.
    static func fileName(for marker: CreateMarker) -> RemoteID { RemoteID(marker.resourceName) }

    var files: FolderDirectory { FolderDirectory(directory: directory, suffix: ".vcf", maxFileBytes: maxFileBytes) }

    /// The file an id lives in, and its entry; nil when the file or card is gone.
    private func locate(_ id: RemoteID) throws -> (FolderFile, FolderFile.Entry)? {
        let name = FolderFile.fileName(of: id)
        switch files.contents(name) {
        case .missing: return nil
        case .unreadable(let why): throw ItemError(remoteID: id, message: "cannot read \(name): \(why)")
        case .data(let data):
            let file = FolderFile(name: name, data: data)
            return file.entry(id).map { (file, $0) }
        }
    }

    private func read(_ id: RemoteID) throws -> RemoteItem? {
        guard let (file, entry) = try locate(id) else { return nil }
        switch entry.parsed.result {
        case .success(let card): return item(entry, card, modified: files.modified(file.name))
        case .failure(let e): throw ItemError(remoteID: id, message: "\(file.name): \(e.description)")
        }
    }

    private func item(_ entry: FolderFile.Entry, _ card: VCard, modified: Date?) -> RemoteItem {
        RemoteItem(
            id: entry.id, version: entry.version, contact: card.identifiedContact, modifiedAt: modified,
            marker: card.createMarker)
    }

    private func apply(_ op: WriteOp) throws -> WriteOutcome {
        switch op {
        case .create(let contact, let marker):
            let id = Self.fileName(for: marker)
            if let (_, entry) = try locate(id) { return .created(id, entry.version) }
            let data = Data(VCardWriter.write(VCard.created(contact, marker: marker, version: version)).utf8)
            try store(data, as: id.rawValue, for: id)
            return .created(id, Self.version(of: data))
        case .update(let id, let expected, let contact):
            guard let (file, entry) = try locate(id), case .success(let old) = entry.parsed.result else { return .notFound }
            if let expected, expected != entry.version { return .conflict }
            let text = Self.text(old.updated(with: contact), as: entry.parsed, over: file.bytes[entry.span], read: old)
            let data = file.replacing(entry, with: Array(text.utf8))
            try store(data, as: file.name, for: id)
            return .updated(file.isMultiCard ? Self.version(of: Data(text.utf8)) : Self.version(of: data))
        case .delete(let id, let expected):
            guard let (file, entry) = try? locate(id) else { return .notFound }
            if let expected, expected != entry.version { return .conflict }
            let rest = file.replacing(entry, with: nil)
            if file.isMultiCard, rest.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }) {
                try store(rest, as: file.name, for: id)
            } else {
                try files.remove(file.name, for: id)
            }
            return .deleted
        }
    }

    /// The card in the version it was read in (2.1 stays 2.1; the card keeps its unreadable lines).
    /// Over the card's own bytes, the lines of fields that did not change stay as they were.
    static func text(_ card: VCard, as read: ParsedCard, over original: ArraySlice<UInt8>, read old: VCard) -> String {
        if read.writtenVersion == "2.1" { return VCard21.write(card) }
        guard let text = String(validating: original, as: UTF8.self) else { return VCardWriter.write(card) }
        return VCardPatch.write(card, over: text, read: old)
    }

    private func store(_ data: Data, as name: String, for id: RemoteID) throws { try files.store(data, as: name, for: id) }

    static func version(of data: Data) -> RemoteVersion { FolderDirectory.version(of: data) }
}
