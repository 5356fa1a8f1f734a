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

extension Response {
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: [(String, String)] = []) -> Response {
        .text(status, value.serialized, contentType: "application/json; charset=UTF-8", headers: headers)
    }
}

/// Wall clock plus a test-controlled offset: tests move time instead of sleeping.
final class EmulatorClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}
