import Foundation
import SyncModel

/// The name a series is stored under (a CalDAV resource, a file in an `.ics` folder): its UID,
/// so a retried create lands on the same name (RFC 4791 §5.3.2 suggests it). A UID with more
/// than letters, digits and `_.-+@` (a slash servers refuse even encoded, an apostrophe Radicale
/// refuses, a space), a leading dot or past what a file system takes is named by a 128-bit hash
/// of it instead (as vdirsyncer does), still one name per UID.
public enum ICalNames {
    public static func baseName(uid: String) -> String {
        let bytes = Array(uid.utf8)
        let safe = !uid.isEmpty && bytes.count <= 180 && !uid.hasPrefix(".") && bytes.allSatisfy(allowed.contains)
        if safe { return uid }
        let a = ContentHash(hashing: bytes).value
        let b = ContentHash(hashing: bytes.reversed()).value
        return "uid-" + hex(a) + hex(b)
    }

    private static let allowed = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-+@".utf8))

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
