import Foundation
import Hummingbird
import NIOCore
import SyncEngine
import SyncStore

/// The one error type of the server: a status and a message for the admin, with the form field
/// to blame when there is one. Rendered as `{"error": …, "field": …}`, the one error shape of
/// every answer (`SessionMiddleware` turns any other error into one of these).
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var field: String?
    public var retryAfter: Int?
    /// The raw text behind a plain-words `message` (a connector's error), for "Technical details".
    public var details: String?
    /// A plain-words `message`'s English text with {place}, and the place (PlainProblem), which
    /// the page translates.
    var text: String?
    var place: String?
    /// The values of an `APIWords` template in `text`.
    var values: [String: String]?

    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public var description: String { message }

    struct Body: Encodable {
        var error: String
        var field: String?
        var details: String?
        var text: String?
        var place: String?
        var values: [String: String]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    func response() -> Response {
        let data = (try? JSONEncoder().encode(Body(error: message, field: field, details: details, text: text, place: place, values: values))) ?? Data(#"{"error":"error"}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A provider's setup refusal: a 422 naming the field, a network or TLS failure in plain words.
    init(setup e: SetupError) {
        let plain = PlainProblem.plain(e.message)
        self.init(.unprocessableContent, plain.map(PlainProblem.fill) ?? e.message, field: e.field)
        if let plain { (details, text, place) = (e.message, plain.text, plain.place) }
    }

    static func notFound(_ what: String) -> APIError { APIError(.notFound, "no \(what)") }

    /// Any error a handler throws, as the admin should read it: engine and store refusals by
    /// their kind, framework errors by their status, never a Swift type name. Nil: a failure of
    /// the server itself (the caller logs it and answers 500).
    static func mapping(_ error: any Error) -> APIError? {
        switch error {
        case let e as APIError: return e
        case let e as EngineError: return APIError(engine: e)
        case let e as StoreError:
            switch e.kind {
            case .notFound: return APIError(.notFound, e.message)
            case .conflict: return APIError(.conflict, e.message)
            case .busy: return APIError(.locked, words: APIWords.busy)
            case .corrupt, .io: return nil
            }
        case let e as SetupError: return APIError(setup: e)
        case let e as DecodingError: return APIError(decoding: e)
        case let e as any HTTPResponseError: return APIError(e.status, Self.plain(e.status))
        default: return nil
        }
    }

    /// An engine refusal by its kind, with its template and values for the page to translate.
    init(engine e: EngineError) {
        let status: HTTPResponse.Status = switch e.kind {
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalid: .unprocessableContent
        case .busy: .locked
        }
        self.init(status, e.message)
        text = e.template
        values = e.values.isEmpty ? nil : e.values
    }

    /// A request body that is not what the API document says, in words (Foundation's own
    /// messages name Swift types).
    init(decoding e: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch e {
        case .dataCorrupted(let c) where c.codingPath.isEmpty:
            // Foundation reports a number too large for its field as invalid JSON, without the field.
            let tooLarge = c.underlyingError.map { String(describing: $0).contains("numberIsNotRepresentable") } ?? false
            self.init(.badRequest, tooLarge ? "a number in the request is out of range" : "the request is not valid JSON")
        case .dataCorrupted(let c):
            let p = path(c.codingPath)
            self.init(.badRequest, "\(p) is not a valid value (out of range, or not one of the accepted values)", field: p)
        case .keyNotFound(let key, let c):
            let p = path(c.codingPath + [key])
            self.init(.badRequest, "\(p) is missing", field: p)
        case .valueNotFound(_, let c):
            let p = path(c.codingPath)
            self.init(.badRequest, "\(p) is missing", field: p)
        case .typeMismatch(let type, let c):
            let p = path(c.codingPath)
            let expected = switch type {
            case is String.Type: "text"
            case is Bool.Type: "true or false"
            case is Int.Type, is Int64.Type, is Double.Type: "a number"
            case is [Any].Type: "a list"
            default: "an object"
            }
            self.init(.badRequest, p.isEmpty ? "the request should be a JSON \(expected)" : "\(p) should be \(expected)", field: p.isEmpty ? nil : p)
        @unknown default:
            self.init(.badRequest, "the request is not what this API expects")
        }
    }

    static func plain(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "there is nothing at this address"
        case .methodNotAllowed: "this address does not take that method"
        case .contentTooLarge: "the request is too large"
        case .badRequest: "the request is not what this API expects"
        case .unsupportedMediaType: "send JSON (Content-Type: application/json)"
        default: "the request failed (\(status.code))"
        }
    }
}

extension Request {
    /// The largest JSON body the API reads (hub, spoke and field-mapping forms are far smaller).
    static let maxJSON = 1 << 20

    /// The body as `T`, at most `maxJSON` bytes, with errors in words.
    func json<T: Decodable>(_ type: T.Type, context: WebContext) async throws -> T {
        let body: ByteBuffer
        do {
            body = try await self.body.collect(upTo: Self.maxJSON)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, words: APIWords.tooLarge)
        }
        return try context.requestDecoder.decode(T.self, from: Data(buffer: body))
    }
}

extension HTTPResponse.Status {
    /// 423: the hub or the database is busy with another writer; try again.
    static let locked = HTTPResponse.Status(code: 423, reasonPhrase: "Locked")
}
