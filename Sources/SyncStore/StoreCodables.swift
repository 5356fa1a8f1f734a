import Foundation
import SyncModel

// What both database stores (SQLite, PostgreSQL) write the same way, so a database moved from one
// to the other (`hubsync migrate`) reads back byte for byte. `package`: for the stores only.

/// JSON for the small structured columns (configs, stats, error lists, conflict fields).
/// Keys are sorted so equal values give equal text.
package enum JSON {
    package static func encode<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    package static func decode<T: Decodable>(_ type: T.Type, _ text: String, _ what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.corrupt, "undecodable \(what): \(error)")
        }
    }
}

/// `RunRecord.stats` is keyed by `SpokeID`, which is not `CodingKeyRepresentable`: JSONEncoder
/// would write such a dictionary as a flat [key, value, key, value] array. A String-keyed DTO
/// gives a readable JSON object instead.
package struct RunStatsDTO: Codable {
    package var bySpoke: [String: SpokeRunStats]

    package init(_ stats: [SpokeID: SpokeRunStats]) {
        bySpoke = Dictionary(uniqueKeysWithValues: stats.map { ($0.key.rawValue, $0.value) })
    }

    package var stats: [SpokeID: SpokeRunStats] {
        Dictionary(uniqueKeysWithValues: bySpoke.map { (SpokeID($0.key), $0.value) })
    }
}

/// Dates are stored as the `Date`'s own Double (seconds since 2001), so they round-trip exactly.
extension Date {
    package var storeValue: Double { timeIntervalSinceReferenceDate }
    package init(storeValue: Double) { self.init(timeIntervalSinceReferenceDate: storeValue) }
}

/// `JournalSource` as short text (`spoke:<id>`, `restore`, `approval:<id>`), readable in the
/// database and cheaper than JSON for the one-per-change journal rows.
package enum SourceText {
    package static func encode(_ s: JournalSource) -> String {
        switch s {
        case .spoke(let id): "spoke:" + id.rawValue
        case .restore: "restore"
        case .approval(let id): "approval:" + id.rawValue
        }
    }

    package static func decode(_ text: String) throws -> JournalSource {
        if text == "restore" { return .restore }
        if text.hasPrefix("spoke:") { return .spoke(SpokeID(String(text.dropFirst(6)))) }
        if text.hasPrefix("approval:") { return .approval(SpokeID(String(text.dropFirst(9)))) }
        throw StoreError(.corrupt, "unknown journal source \(text)")
    }
}

/// A key rotation's pass over one settings dictionary: each value `reseal` turns into a new one
/// is replaced and counted; nil when none changed (the row is left as it is).
package func resealed(
    _ settings: [String: String], _ reseal: (String) throws -> String?, counting changed: inout Int
) throws -> [String: String]? {
    var out = settings, any = false
    for (key, value) in settings {
        if let new = try reseal(value) {
            out[key] = new
            any = true
            changed += 1
        }
    }
    return any ? out : nil
}
