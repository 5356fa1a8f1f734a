import Foundation
import Hummingbird

/// An error in Google's JSON shape (`{"error": {code, message, status, details}}`), thrown by
/// handlers and rendered once in `PeopleEmulator.respond`.
struct GoogleError: Error, Sendable {
    var code: Int
    var status: String
    var message: String
    var details: [JSONValue] = []
    /// Legacy `errors` array (the 403 rate-limit answers still carry it).
    var errors: [JSONValue]? = nil
    var headers: [(String, String)] = []

    var json: JSONValue {
        var e: [String: JSONValue] = ["code": .int(code), "message": .string(message), "status": .string(status)]
        if !details.isEmpty { e["details"] = .array(details) }
        if let errors { e["errors"] = .array(errors) }
        return ["error": .object(e)]
    }

    /// `google.rpc.ErrorInfo`, the detail clients match on (`reason`).
    static func errorInfo(_ reason: String, domain: String, metadata: [String: String] = [:]) -> JSONValue {
        var o: [String: JSONValue] = ["@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                      "reason": .string(reason), "domain": .string(domain)]
        if !metadata.isEmpty { o["metadata"] = .object(metadata.mapValues { .string($0) }) }
        return .object(o)
    }

    static func invalidArgument(_ message: String) -> GoogleError {
        GoogleError(code: 400, status: "INVALID_ARGUMENT", message: message)
    }
    static let notFound = GoogleError(code: 404, status: "NOT_FOUND", message: "Requested entity was not found.")

    /// Google's answer to an expired (or unknown) connections sync token.
    static let expiredSyncToken = GoogleError(
        code: 400, status: "FAILED_PRECONDITION",
        message: "Sync token is expired. Clear local cache and retry call without the sync token.",
        details: [errorInfo("EXPIRED_SYNC_TOKEN", domain: "people.googleapis.com")])

    /// Google's answer when the etag a writer sent is not the contact's current one.
    static let staleEtag = GoogleError(
        code: 400, status: "FAILED_PRECONDITION",
        message: "Request person.etag is different than the current person.etag. Clear local cache and get the latest person.")

    static let missingEtag = invalidArgument(
        "Request must set person.etag or person.metadata.sources.etag for the source that is being updated.")

    static func maskRequired(_ name: String, doc: String) -> GoogleError {
        invalidArgument("\(name) mask is required. Please specify one or more valid paths. Valid paths are documented at https://developers.google.com/people/api/rest/v1/\(doc).")
    }

    /// Missing, unknown or expired access token (with the `WWW-Authenticate` header Google sends).
    static func unauthenticated(expired: Bool, method: String) -> GoogleError {
        GoogleError(code: 401, status: "UNAUTHENTICATED",
                    message: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
                    details: [errorInfo(expired ? "ACCESS_TOKEN_EXPIRED" : "CREDENTIALS_MISSING", domain: "googleapis.com",
                                        metadata: ["service": "people.googleapis.com", "method": method])],
                    headers: [("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"")])
    }

    static func insufficientScope(method: String) -> GoogleError {
        GoogleError(code: 403, status: "PERMISSION_DENIED", message: "Request had insufficient authentication scopes.",
                    details: [errorInfo("ACCESS_TOKEN_SCOPE_INSUFFICIENT", domain: "googleapis.com",
                                        metadata: ["service": "people.googleapis.com", "method": method])],
                    headers: [("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\"")])
    }

    /// The per-user quota answer: 429 RESOURCE_EXHAUSTED with a RATE_LIMIT_EXCEEDED ErrorInfo.
    static func quotaExceeded(write: Bool, retryAfter: Int?) -> GoogleError {
        let metric = write ? "Write requests" : "Read requests"
        let limit = write ? "WriteRequestsPerMinutePerUser" : "ReadRequestsPerMinutePerUser"
        return GoogleError(
            code: 429, status: "RESOURCE_EXHAUSTED",
            message: "Quota exceeded for quota metric '\(metric)' and limit '\(metric) per minute per user' of service 'people.googleapis.com' for consumer 'project_number:000000000000'.",
            details: [errorInfo("RATE_LIMIT_EXCEEDED", domain: "googleapis.com", metadata: [
                "quota_metric": "people.googleapis.com/\(write ? "write" : "read")_requests",
                "quota_limit": limit, "service": "people.googleapis.com", "consumer": "projects/000000000000"])],
            headers: retryAfter.map { [("Retry-After", "\($0)")] } ?? [])
    }

    /// The older 403 shape (`errors[].reason` = rateLimitExceeded / userRateLimitExceeded).
    static func rateLimit403(reason: String, retryAfter: Int?) -> GoogleError {
        let message = reason == "userRateLimitExceeded" ? "User Rate Limit Exceeded" : "Rate Limit Exceeded"
        return GoogleError(code: 403, status: "PERMISSION_DENIED", message: message,
                           errors: [["message": .string(message), "domain": "usageLimits", "reason": .string(reason)]],
                           headers: retryAfter.map { [("Retry-After", "\($0)")] } ?? [])
    }

    /// The canonical status name for an HTTP code (fault injection answers).
    static func forHTTPStatus(_ code: Int) -> GoogleError {
        switch code {
        case 429: return GoogleError(code: 429, status: "RESOURCE_EXHAUSTED", message: "Resource has been exhausted (e.g. check quota).")
        case 500: return GoogleError(code: 500, status: "INTERNAL", message: "Internal error encountered.")
        case 502: return GoogleError(code: 502, status: "UNAVAILABLE", message: "Bad Gateway")
        case 503: return GoogleError(code: 503, status: "UNAVAILABLE", message: "The service is currently unavailable.")
        case 504: return GoogleError(code: 504, status: "DEADLINE_EXCEEDED", message: "The request timed out.")
        case 401: return unauthenticated(expired: false, method: "")
        case 403: return GoogleError(code: 403, status: "PERMISSION_DENIED", message: "The caller does not have permission")
        case 404: return notFound
        default: return GoogleError(code: code, status: "UNKNOWN", message: "Injected error \(code).")
        }
    }

    /// Numeric `google.rpc.Code` for a status name (used inside batch PersonResponses).
    static func rpcCode(_ status: String) -> Int {
        ["OK": 0, "INVALID_ARGUMENT": 3, "NOT_FOUND": 5, "ALREADY_EXISTS": 6, "PERMISSION_DENIED": 7,
         "RESOURCE_EXHAUSTED": 8, "FAILED_PRECONDITION": 9, "INTERNAL": 13, "UNAVAILABLE": 14,
         "UNAUTHENTICATED": 16][status] ?? 2
    }

    /// `google.rpc.Status` form, as embedded in batch answers.
    var rpcStatus: JSONValue { ["code": .int(Self.rpcCode(status)), "message": .string(message)] }

    var response: Response {
        Response.text(HTTPResponse.Status(code: code), json.serialized, contentType: "application/json; charset=UTF-8",
                      headers: headers)
    }
}
