import Foundation
import ConnectorKit
import SyncModel

/// A folder of item files of one kind (`.vcf`, `.ics`), as both folder spokes read and write it:
/// the listing, reads that tell a missing file from an unreadable one, atomic writes, and a
/// file's version (a hash of its bytes, so a concurrent edit shows up as a conflict).
struct FolderDirectory: Sendable {
    let directory: URL
    /// `.vcf`, `.ics` (matched without regard to case).
    let suffix: String
    /// Past this a file is not read (and reported, and kept).
    let maxFileBytes: Int

    enum Contents {
        case missing
        case unreadable(String)
        case data(Data)
    }

    /// The item files, sorted; hidden files (editors' and sync tools' own) are not items.
    func listing() throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.lowercased().hasSuffix(suffix) && !$0.hasPrefix(".") }
                .sorted()
        } catch {
            throw ConnectorError(.misconfigured, "cannot list \(directory.path): \(FileProblem.plainWords(error))")
        }
    }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Missing and unreadable are different answers: only the first may mean deleted.
    func contents(_ name: String) -> Contents {
        let path = url(name).path
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
        if size > maxFileBytes {
            return .unreadable("the file is larger than \(Self.megabytes(maxFileBytes)) MB")
        }
        if let data = FileManager.default.contents(atPath: path) { return .data(data) }
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        return .unreadable(FileManager.default.isReadableFile(atPath: path) ? "the file cannot be read" : "permission denied")
    }

    /// Cheaper than reading: whether `contents` would give data (a directory named `x.vcf` would not).
    func readable(_ name: String) -> Bool {
        var isDirectory: ObjCBool = false
        let path = url(name).path
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return true }  // gone: fine
        return !isDirectory.boolValue && FileManager.default.isReadableFile(atPath: path)
    }

    func modified(_ name: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url(name).path))?[.modificationDate] as? Date
    }

    /// Written to a temporary file and renamed, so a reader never sees half a file.
    func store(_ data: Data, as name: String, for id: RemoteID) throws {
        do {
            try data.write(to: url(name), options: .atomic)
        } catch {
            throw ItemError(remoteID: id, message: "cannot write \(name): \(FileProblem.plainWords(error))")
        }
    }

    func remove(_ name: String, for id: RemoteID) throws {
        do {
            try FileManager.default.removeItem(at: url(name))
        } catch {
            throw ItemError(remoteID: id, message: "cannot delete \(name): \(FileProblem.plainWords(error))")
        }
    }

    static func megabytes(_ n: Int) -> String {
        n >= 1 << 20 ? "\(n >> 20)" : String(format: "%.2f", Double(n) / Double(1 << 20))
    }

    static func version(of data: Data) -> RemoteVersion {
        RemoteVersion(String(ContentHash(hashing: data).value, radix: 16))
    }
}
