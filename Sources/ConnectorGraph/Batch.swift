import ConnectorHTTP
import ConnectorKit
import Foundation
import SyncModel

/// JSON batching: up to 20 requests in one round trip, each answered on its own.
struct BatchRequest: Encodable, Sendable {
    var id: String
    var method: String
    /// Relative to Graph's root, with a leading slash.
    var url: String
    var headers: [String: String]?
    var body: JSONValue?

    init(id: String, method: HTTPMethod, path: String, query: [(String, String)] = [], headers: [String: String] = [:],
         body: JSONValue? = nil) {
        self.id = id
        self.method = method.rawValue
        self.url = "/" + path + (query.isEmpty ? "" : "?" + GraphAPI.query(query))
        // A member carries its own headers, not the batch's: immutable ids here too.
        var h = ["Prefer": "IdType=\"ImmutableId\""].merging(headers) { _, given in given }
        if body != nil { h["Content-Type"] = "application/json" }
        self.headers = h.isEmpty ? nil : h
        self.body = body
    }

    /// A member with a binary body (a photo): JSON batching carries it base64-encoded, typed by
    /// its `Content-Type`.
    init(id: String, method: HTTPMethod, path: String, binary: Data, contentType: String) {
        self.init(id: id, method: method, path: path, headers: ["Content-Type": contentType], body: .string(binary.base64EncodedString()))
        headers?["Content-Type"] = contentType
    }

    /// The body as sent alone: JSON, or the bytes a binary member carries.
    var data: Data? {
        guard let body else { return nil }
        let type = headers?.first { $0.key.caseInsensitiveCompare("Content-Type") == .orderedSame }?.value ?? "application/json"
        if !type.lowercased().hasPrefix("application/json"), let s = body.string { return Data(base64Encoded: s) }
        return try? JSONEncoder().encode(body)
    }
}

struct BatchResponse: Decodable, Sendable {
    var id: String
    var status: Int
    var headers: [String: String]?
    var body: JSONValue?

    var isSuccess: Bool { (200..<300).contains(status) }
    var failure: GraphAPI.Failure? {
        guard !isSuccess else { return nil }
        let data = (try? JSONEncoder().encode(body ?? .null)) ?? Data()
        return GraphAPI.error(status: status, body: data)
    }
    func header(_ name: String) -> String? {
        headers?.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The answer to a `GET …/photo/$value` member: the photo (nil for none: a 404 or an empty
    /// body), or why it could not be read, said of `whose` ("its photo").
    static func photo(_ answer: BatchResponse?, whose: String) -> PhotoAnswer {
        switch answer {
        case let r? where r.isSuccess:
            guard let data = r.body?.string.flatMap({ Data(base64Encoded: $0) }), !data.isEmpty else { return .read(nil) }
            return .read(Photo(data: data, mediaType: r.header("Content-Type") ?? "image/jpeg"))
        case let r? where r.status == 404:
            return .read(nil)
        case let r?:
            return .unreadable("cannot read \(whose) (\(r.status))")
        case nil:
            return .unreadable("Graph gave no answer for \(whose)")
        }
    }

    enum PhotoAnswer {
        case read(Photo?)
        case unreadable(String)
    }
}

extension GraphAPI {
    private struct Envelope: Encodable { var requests: [BatchRequest] }
    private struct Answer: Decodable { var responses: [BatchResponse]? }

    /// Sends `requests` in batches of `size`; the answers by request id. A member Graph throttled
    /// (its own 429/503/504) goes again alone, through HTTPClient's one retry loop and its
    /// Retry-After: a throttled member was not carried out, so this holds for creates too.
    /// `replayable` false (creates): a batch whose answer was lost is not sent again.
    func batch(_ requests: [BatchRequest], size: Int, replayable: Bool = true) async throws -> [String: BatchResponse] {
        var out: [String: BatchResponse] = [:]
        for chunk in requests.chunked(size) {
            let data = try await json(.post, url("$batch"), Envelope(requests: Array(chunk)), replayable: replayable,
                                      cost: chunk.count)
            let answer = try Self.decode(Answer.self, data, "$batch")
            for r in answer.responses ?? [] { out[r.id.lowercased()] = r }
            for r in chunk {
                guard let got = out[r.id.lowercased()], [429, 503, 504].contains(got.status) else { continue }
                out[r.id.lowercased()] = try await alone(r)
            }
        }
        return out
    }

    /// One batch member as its own request.
    private func alone(_ r: BatchRequest) async throws -> BatchResponse {
        var c = URLComponents(url: base, resolvingAgainstBaseURL: false)!
        let parts = r.url.dropFirst().split(separator: "?", maxSplits: 1).map(String.init)
        c.percentEncodedPath = c.percentEncodedPath.trimmingTrailingSlash + "/" + parts[0]
        if parts.count > 1 { c.percentEncodedQuery = parts[1] }
        let type = r.headers?["Content-Type"] ?? "application/json"
        do {
            let data = try await send(HTTPMethod(rawValue: r.method), c.url!, body: r.data, contentType: type,
                                      headers: (r.headers ?? [:]).filter { $0.key != "Content-Type" }.map { ($0.key, $0.value) },
                                      replayable: r.method != "POST")
            // Binary answers (photos) come base64-encoded in a batch: the same here.
            let body = data.isEmpty ? nil : (try? BoundedJSON.decode(JSONValue.self, from: data)) ?? .string(data.base64EncodedString())
            return BatchResponse(id: r.id, status: 200, body: body)
        } catch let f as Failure {
            let error: JSONValue = .object(["error": .object(["code": .text(f.code), "message": .string(f.message)])])
            return BatchResponse(id: r.id, status: f.status, body: error)
        }
    }

    private func json<B: Encodable>(_ method: HTTPMethod, _ url: URL, _ body: B, replayable: Bool, cost: Int) async throws -> Data {
        try await send(method, url, body: try JSONEncoder().encode(body), replayable: replayable, cost: cost)
    }
}

extension BatchResponse {
    init(id: String, status: Int, body: JSONValue?) {
        self.id = id
        self.status = status
        self.headers = nil
        self.body = body
    }
}
