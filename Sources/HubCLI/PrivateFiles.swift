import Foundation
import SyncModel

/// The directory that holds a database and its key: made 0700 when HubSync makes it (parents
/// it makes on the way keep the default mode); an existing directory is left as its owner set it.
func makePrivateDirectory(_ url: URL) throws {
    let fm = FileManager.default
    guard !fm.fileExists(atPath: url.path) else { return }
    try fm.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
}

/// A hub or spoke name typed on the command line: as the web app takes them (1 to 100
/// characters, one plain line: names reach terminals, logs and the pages).
func checkedName(_ raw: String, what: String) throws -> String {
    let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !name.isEmpty else { throw CLIError("give the \(what) a name") }
    guard name.count <= 100 else { throw CLIError("a \(what) name has at most 100 characters") }
    guard !DisplayText.hasControls(name) else {
        throw CLIError("a \(what) name cannot contain control or text-direction characters")
    }
    return name
}

/// A warning when a database an older HubSync made (0644) can be read by other users of the
/// machine; nil when only its owner can. The mode is the owner's choice, so it is not changed.
func readableByOthers(_ path: String) -> String? {
    guard let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue,
        mode & 0o077 != 0
    else { return nil }
    return "warning: \(path) can be read by other users of this machine (mode \(String(mode & 0o777, radix: 8))); "
        + "`chmod 600 \(path)*` keeps the contacts yours"
}
