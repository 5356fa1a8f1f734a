import Foundation

/// Opaque ids shaped like Exchange Online's REST ids, and the `translateExchangeIds` mapping.
///
/// Mapping (documented so a migration test can put one mailbox in both emulators): an EWS id is
/// standard base64 of an entry-id-like blob (see `EWSIds`); the Graph id of the same item is the
/// **same bytes in base64url without padding** (`+`→`-`, `/`→`_`), for `restId` and
/// `restImmutableEntryId` alike. `translateExchangeIds` applies this in both directions, and
/// `GraphEmulator.importContact(id:…)` stores a contact under an id made this way.
enum GraphIds {
    static func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255) } }
    static func be32(_ v: Int) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }

    static func make(mailbox guid: [UInt8], counter: Int, folder: Bool) -> String {
        let kind: [UInt8] = folder ? [1, 3, 36, 0] : [0, 3, 36, 0]
        let tail: [UInt8] = folder ? [1, 0] : [0, 0]
        return base64URL(kind + guid + [folder ? 0x2E : 0x46, 0, 0, 0] + random(16) + be32(counter) + tail)
    }

    static func base64URL(_ bytes: [UInt8]) -> String { Data(bytes).base64URL }

    static func decodeBase64URL(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }

    /// EWS id (standard base64) → Graph REST id.
    static func fromEWS(_ ewsID: String) -> String? {
        guard let data = Data(base64Encoded: ewsID), data.count >= 24 else { return nil }
        return data.base64URL
    }

    /// Graph REST id → EWS id.
    static func toEWS(_ restID: String) -> String? {
        guard let data = decodeBase64URL(restID), data.count >= 24 else { return nil }
        return data.base64EncodedString()
    }

    /// Whether `id` is shaped like one of our ids (else 400 ErrorInvalidIdMalformed).
    static func isWellFormed(_ id: String) -> Bool {
        guard !id.contains("+"), !id.contains("/"), let data = decodeBase64URL(id) else { return false }
        return data.count >= 24
    }
}
