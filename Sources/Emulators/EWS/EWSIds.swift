import Foundation

/// Opaque identifiers that look like Exchange's: long base64 ItemIds/FolderIds, ChangeKeys that
/// change with every write, and base64 SyncStates that can be checked and expired.
enum EWSIds {
    static func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255) } }
    static func be32(_ v: Int) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }

    /// `AAMkA…`-style item id.
    static func itemID(mailbox guid: [UInt8], counter: Int) -> String {
        Data([0, 3, 36, 0] + guid + [0x46, 0, 0, 0] + random(16) + be32(counter) + [0, 0]).base64EncodedString()
    }

    /// `AQMkA…`-style folder id.
    static func folderID(mailbox guid: [UInt8], counter: Int) -> String {
        Data([1, 3, 36, 0] + guid + [0x2E, 0, 0, 0] + random(16) + be32(counter) + [1, 0]).base64EncodedString()
    }

    static func attachmentID(mailbox guid: [UInt8], counter: Int) -> String {
        Data([0, 3, 36, 0] + guid + [0x46, 0, 0, 1] + random(16) + be32(counter) + [1, 0x12, 0, 0x10] + random(8))
            .base64EncodedString()
    }

    /// ChangeKey: PCL-like blob with a version counter.
    static func changeKey(mailbox guid: [UInt8], version: Int) -> String {
        Data([0x0F, 0, 0, 0, 0x16, 0, 0, 0] + guid + be32(version) + random(2)).base64EncodedString()
    }

    /// Whether a string is shaped like one of our ids (else ErrorInvalidIdMalformed).
    static func isWellFormed(_ id: String) -> Bool {
        guard let data = Data(base64Encoded: id) else { return false }
        return data.count >= 24
    }

    // MARK: SyncState

    struct SyncState: Equatable {
        var folderID: String
        var epoch: Int
        var seq: Int
    }

    static func encode(_ s: SyncState) -> String {
        var bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00]  // looks gzip-ish, like Exchange's "H4sI…"
        bytes += Array("EMU1|\(s.folderID)|\(s.epoch)|\(s.seq)".utf8)
        return Data(bytes).base64EncodedString()
    }

    static func decodeSyncState(_ text: String) -> SyncState? {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count > 4 else {
            return nil
        }
        let bytes = [UInt8](data)
        guard Array(bytes[0..<4]) == [0x1F, 0x8B, 0x08, 0x00] else { return nil }
        let parts = String(decoding: bytes[4...], as: UTF8.self).split(separator: "|").map(String.init)
        guard parts.count == 4, parts[0] == "EMU1", let epoch = Int(parts[2]), let seq = Int(parts[3]) else { return nil }
        return SyncState(folderID: parts[1], epoch: epoch, seq: seq)
    }
}
