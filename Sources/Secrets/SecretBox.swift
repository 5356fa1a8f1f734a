import Foundation
import Crypto

/// Encrypts spoke credentials and tokens at rest (AES-GCM). The key never goes into the
/// database: it comes from `HUBSYNC_SECRET_KEY` (base64, 32 bytes) or from a key file with mode
/// 0600 that is made on first use, next to the database.
public struct SecretBox: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    private let key: SymmetricKey
    /// Keys it also opens with, never seals with: the next key while a rotation is under way
    /// (`KeyRotation`), so secrets already sealed with it open before the key file is replaced.
    private let others: [SymmetricKey]
    static let prefix = "enc:v1:"

    public init(key: SymmetricKey, alsoOpening others: [SymmetricKey] = []) {
        self.key = key
        self.others = others
    }

    /// A value `seal` made (and not some other setting).
    public static func isSealed(_ value: String) -> Bool { value.hasPrefix(prefix) }

    /// The key from the environment, else from `keyFile` (created with mode 0600 when missing).
    public static func load(keyFile: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SecretBox {
        if let b64 = environment["HUBSYNC_SECRET_KEY"], !b64.isEmpty {
            guard let d = Data(base64Encoded: b64), d.count == 32 else {
                throw Failure("HUBSYNC_SECRET_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)")
            }
            return SecretBox(key: SymmetricKey(data: d))
        }
        let fm = FileManager.default
        if let d = fm.contents(atPath: keyFile.path) {
            guard d.count == 32 else { throw Failure("\(keyFile.path) is not a HubSync key (32 bytes)") }
            // A rotation under way (or stopped by a crash) left the next key beside this one.
            let next = fm.contents(atPath: KeyRotation(keyFile: keyFile).pending.path).flatMap { $0.count == 32 ? $0 : nil }
            return SecretBox(key: SymmetricKey(data: d), alsoOpening: next.map { [SymmetricKey(data: $0)] } ?? [])
        }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        // Written whole beside it, then linked into place: processes starting together (a fleet
        // of workers) never read a half-written key, and the first link wins for all of them.
        let temporary = keyFile.path + ".\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        guard writePrivately(data, to: temporary) else { throw Failure("cannot create the key file \(keyFile.path)") }
        defer { unlink(temporary) }
        if link(temporary, keyFile.path) == 0 { return SecretBox(key: key) }
        guard errno == EEXIST else { throw Failure("cannot create the key file \(keyFile.path)") }
        return try load(keyFile: keyFile, environment: environment)
    }

    public func seal(_ secret: String) throws -> String {
        let box = try AES.GCM.seal(Data(secret.utf8), using: key)
        guard let combined = box.combined else { throw Failure("cannot seal") }
        return Self.prefix + combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard sealed.hasPrefix(Self.prefix), let d = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))) else {
            throw Failure("not a sealed secret")
        }
        for key in [key] + others {
            guard let box = try? AES.GCM.SealedBox(combined: d), let plain = try? AES.GCM.open(box, using: key) else { continue }
            return String(decoding: plain, as: UTF8.self)
        }
        throw Failure("cannot decrypt a stored secret: the key (HUBSYNC_SECRET_KEY or the key file) is not the one it was sealed with")
    }
}

/// Writes a new file with mode 0600 from its first byte (a FileManager write sets the mode only
/// after the data is there); false when it exists already or cannot be written.
func writePrivately(_ data: Data, to path: String) -> Bool {
    let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == data.count, fsync(fd) == 0 else {
        unlink(path)
        return false
    }
    return true
}
