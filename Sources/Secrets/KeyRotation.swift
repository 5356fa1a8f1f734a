import Crypto
import Foundation

/// The files of a key rotation, beside the key file: the next key is written first
/// (`hubsync.key.new`), the secrets are sealed anew with it in one store transaction, then it
/// replaces the key by an atomic rename, the previous key kept as `hubsync.key.old` (a backup
/// of the database taken before the rotation needs it). A crash at any point leaves a working
/// installation: while the next key exists, `SecretBox.load` opens with either key, and running
/// the rotation again finishes it with the same next key.
public struct KeyRotation: Sendable {
    public let keyFile: URL
    public init(keyFile: URL) { self.keyFile = keyFile }

    public var pending: URL { URL(fileURLWithPath: keyFile.path + ".new") }
    public var previous: URL { URL(fileURLWithPath: keyFile.path + ".old") }

    /// The boxes of a rotation: `opener` opens what either key sealed, `next` seals.
    public struct Boxes: Sendable {
        public let opener: SecretBox
        public let next: SecretBox

        /// A sealed value sealed anew with the next key; nil for any other value.
        public func reseal(_ value: String) throws -> String? {
            SecretBox.isSealed(value) ? try next.seal(try opener.open(value)) : nil
        }
    }

    /// Checks nothing is in the way, and writes the next key (or takes the one an interrupted
    /// rotation left).
    public func prepare(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Boxes {
        if let env = environment["HUBSYNC_SECRET_KEY"], !env.isEmpty {
            throw SecretBox.Failure("the key comes from HUBSYNC_SECRET_KEY, not a key file: unset it to rotate the key file, or keep it as it is")
        }
        let fm = FileManager.default
        guard let current = fm.contents(atPath: keyFile.path), current.count == 32 else {
            throw SecretBox.Failure("no key at \(keyFile.path): nothing is sealed yet, so there is nothing to rotate")
        }
        // An earlier rotation's previous key is the user's to delete: never overwritten, unless
        // it is this very key (a rotation stopped just before its rename).
        if let old = fm.contents(atPath: previous.path), old != current {
            throw SecretBox.Failure(
                "\(previous.path) is kept from an earlier rotation: delete it once no backup needs it, then rotate again")
        }
        let next: Data
        if let left = fm.contents(atPath: pending.path), left.count == 32 {
            next = left
        } else {
            try? fm.removeItem(at: pending)
            next = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            guard writePrivately(next, to: pending.path) else { throw SecretBox.Failure("cannot write \(pending.path)") }
            try syncDirectory()
        }
        return Boxes(
            opener: SecretBox(key: SymmetricKey(data: current), alsoOpening: [SymmetricKey(data: next)]),
            next: SecretBox(key: SymmetricKey(data: next)))
    }

    /// Once every secret is sealed with the next key: the previous key kept as `.old`, the next
    /// one renamed over the key file.
    public func finish() throws {
        let fm = FileManager.default
        guard let current = fm.contents(atPath: keyFile.path) else { throw SecretBox.Failure("no key at \(keyFile.path)") }
        if fm.contents(atPath: previous.path) != current {
            let temporary = previous.path + ".tmp"
            unlink(temporary)
            guard writePrivately(current, to: temporary), rename(temporary, previous.path) == 0 else {
                throw SecretBox.Failure("cannot write \(previous.path)")
            }
        }
        guard rename(pending.path, keyFile.path) == 0 else { throw SecretBox.Failure("cannot rename \(pending.path) to \(keyFile.path)") }
        try syncDirectory()
    }

    /// Makes the renames themselves durable.
    private func syncDirectory() throws {
        let fd = open(keyFile.deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fsync(fd)
    }
}
