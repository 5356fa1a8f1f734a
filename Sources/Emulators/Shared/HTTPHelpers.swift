import Foundation
import Hummingbird
import Synchronization

/// Form and query decoding (`a=1&b=x+y`, repeated keys kept in order).
enum FormFields {
    static func parse(_ raw: String) -> [(String, String)] {
        raw.split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            return (kv[0], kv.count > 1 ? kv[1] : "")
        }
    }

    static func encode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }
            .joined(separator: "&")
    }
}

extension EmulatorRequestContext {
    /// The whole request body, or nil when it is larger than `maxUploadSize`.
    func collectBody(_ request: Request) async -> Data? {
        guard var buffer = try? await request.body.collect(upTo: maxUploadSize) else { return nil }
        return buffer.readData(length: buffer.readableBytes) ?? Data()
    }
}

extension Response {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: [(String, String)] = []) -> Response {
        .text(status, value.serialized, contentType: "application/json; charset=UTF-8", headers: headers)
    }
}

/// Wall clock plus a test-controlled offset: tests move time instead of sleeping. Frozen, it
/// moves only when told: a test of a time window then holds on a machine slow enough to let
/// the wall clock close the window.
final class EmulatorClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    private let frozen = Mutex<Date?>(nil)
    var now: Date { (frozen.withLock { $0 } ?? Date()).addingTimeInterval(offset.withLock { $0 }) }
    func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
    func freeze() { frozen.withLock { $0 = $0 ?? Date() } }
}
