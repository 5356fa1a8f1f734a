import Foundation
import ConnectorKit
import HubServer

/// A folder spoke's directory of .vcf files, for `spoke add` and the web wizard alike.
enum FolderSetup {
    /// The directory a typed path names (a relative one from the current directory).
    static func directory(_ path: String?) throws -> URL {
        guard let path = path?.trimmingCharacters(in: .whitespaces), !path.isEmpty else {
            throw SetupError(field: "path", "Enter the folder's path.")
        }
        let url = URL(fileURLWithPath: NSString(string: path).expandingTildeInPath).standardizedFileURL
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SetupError(field: "path", "\(url.path) is a file, not a folder.")
        }
        return url
    }

    /// The .vcf files there now (nil: the folder does not exist yet).
    static func cardCount(_ dir: URL) -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: dir.path)).map { $0.filter { $0.hasSuffix(".vcf") }.count }
    }

    /// The settings `spoke add` stores; the folder is created when missing.
    static func settings(_ path: String?) throws -> [String: String] {
        let url = try directory(path)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw SetupError(field: "path", "Cannot create the folder \(url.path): \(FileProblem.plainWords(error))")
        }
        guard FileManager.default.isWritableFile(atPath: url.path) else {
            throw SetupError(field: "path", "HubSync may not write to \(url.path).")
        }
        return ["path": url.path]
    }
}
