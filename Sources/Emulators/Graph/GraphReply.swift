import Foundation
import Hummingbird

/// What an operation answers, before it becomes an HTTP response or a `$batch` member.
struct GraphReply: Sendable {
    enum Body: Sendable {
        case json(JSONValue)
        case bytes([UInt8], contentType: String)
        case empty
    }
    var status = 200
    var headers: [(String, String)] = []
    var body: Body

    static func json(_ v: JSONValue, status: Int = 200) -> GraphReply { GraphReply(status: status, body: .json(v)) }
    static let noContent = GraphReply(status: 204, body: .empty)

    static func error(_ e: GraphError, now: Date) -> GraphReply {
        GraphReply(status: e.status, headers: e.headers, body: .json(e.json(now: now)))
    }

    var response: Response {
        switch body {
        case .json(let v):
            return .text(HTTPResponse.Status(code: status), v.serialized,
                         contentType: "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
                         headers: headers)
        case .bytes(let b, let type):
            var fields = HTTPFields()
            fields[.contentType] = type
            for (n, v) in headers { if let name = HTTPFields.Element.Name(n) { fields.append(HTTPFields.Element(name: name, value: v)) } }
            return Response(status: HTTPResponse.Status(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: b)))
        case .empty:
            return .text(HTTPResponse.Status(code: status), "", contentType: "text/plain", headers: headers)
        }
    }
}

/// What an operation needs besides the request and the tenant.
struct GraphEnvironment: Sendable {
    var now: Date
    /// `http://127.0.0.1:PORT/v1.0`.
    var base: String
    var deltaExpiry: GraphEmulator.DeltaExpiry
    var replayInDelta: Bool
}

/// Who called: a signed-in user (delegated) or the application itself (app-only).
enum GraphCaller: Sendable, Equatable {
    case user(String)
    case app
}
