import Foundation
import Hummingbird

/// An error in Microsoft Graph's shape: `{"error":{"code","message","innerError":{date,request-id,
/// client-request-id}}}` (PROTOCOLS.md §1.7), thrown by operations and rendered once.
struct GraphError: Error, Sendable {
    var status: Int
    var code: String
    var message: String
    var headers: [(String, String)] = []

    func json(now: Date) -> JSONValue {
        let id = UUID().uuidString.lowercased()
        return ["error": ["code": .string(code), "message": .string(message),
                          "innerError": ["date": .string(GraphFormat.date(now)), "request-id": .string(id),
                                         "client-request-id": .string(id)]]]
    }

    static func badRequest(_ message: String) -> GraphError { GraphError(status: 400, code: "BadRequest", message: message) }
    static func invalidRequest(_ message: String) -> GraphError {
        GraphError(status: 400, code: "ErrorInvalidRequest", message: message)
    }
    static let itemNotFound = GraphError(status: 404, code: "ErrorItemNotFound",
                                         message: "The specified object was not found in the store.")
    static let photoNotFound = GraphError(status: 404, code: "ErrorItemNotFound", message: "The photo wasn't found.")
    static let idMalformed = GraphError(status: 400, code: "ErrorInvalidIdMalformed", message: "Id is malformed.")
    static func segmentNotFound(_ segment: String) -> GraphError {
        badRequest("Resource not found for the segment '\(segment)'.")
    }
    static func invalidUser(_ key: String) -> GraphError {
        GraphError(status: 404, code: "ErrorInvalidUser", message: "The requested user '\(key)' is invalid.")
    }
    static func directoryNotFound(_ key: String) -> GraphError {
        GraphError(status: 404, code: "Request_ResourceNotFound",
                   message: "Resource '\(key)' does not exist or one of its queried reference-property objects are not present.")
    }
    /// Stale `If-Match` (PROTOCOLS.md §1.5, exact text).
    static let irresolvableConflict = GraphError(
        status: 412, code: "ErrorIrresolvableConflict",
        message: "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.")
    static let meNeedsDelegated = badRequest("/me request is only valid with delegated authentication flow.")
    static let accessDenied = GraphError(status: 403, code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again.")

    /// More values than an Outlook multi-value property holds (server text from microsoft-graph-docs#15276).
    static func tooManyValues(_ property: String, _ count: Int, max: Int) -> GraphError {
        GraphError(status: 400, code: "ErrorInvalidArgument",
                   message: "The multi value property \(property) has \(count) entries, that exceeds the max allowed value of \(max)")
    }
    static func unknownProperty(_ name: String, type: String = "contact") -> GraphError {
        GraphError(status: 400, code: "RequestBodyRead",
                   message: "The property '\(name)' does not exist on type 'microsoft.graph.\(type)'. Make sure to only use property names that are defined by the type or mark the type as open type.")
    }

    static func unauthenticated(expired: Bool) -> GraphError {
        GraphError(status: 401, code: "InvalidAuthenticationToken",
                   message: expired ? "Lifetime validation failed, the token is expired." : "IDX14100: JWT is not well formed, there are no dots (.).",
                   headers: [("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"")])
    }

    /// The request budget (10,000 per 10 minutes per app and mailbox).
    static func tooManyRequests(retryAfter: Int?) -> GraphError {
        GraphError(status: 429, code: "TooManyRequests", message: "Please retry again later.",
                   headers: retryAfter.map { [("Retry-After", "\($0)")] } ?? [])
    }
    /// Outlook's concurrency answer (PROTOCOLS.md §1.6).
    static func mailboxConcurrency(retryAfter: Int?) -> GraphError {
        GraphError(status: 429, code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit.",
                   headers: retryAfter.map { [("Retry-After", "\($0)")] } ?? [])
    }

    /// An expired or unknown delta token: 410 Gone with a `Location` to restart from, or Outlook's
    /// `syncStateNotFound` (PROTOCOLS.md §1.2).
    static func syncStateGone(restart: String) -> GraphError {
        GraphError(status: 410, code: "SyncStateNotFound", message: "The sync state generation is not found or has expired.",
                   headers: [("Location", restart)])
    }
    static let syncStateNotFound = GraphError(status: 400, code: "syncStateNotFound",
                                              message: "The sync state is not found or has expired. Please restart the sync.")

    static func forHTTPStatus(_ code: Int, retryAfter: Int?) -> GraphError {
        var e: GraphError
        switch code {
        case 429: e = GraphError(status: 429, code: "ApplicationThrottled", message: "Application is over its MailboxConcurrency limit.")
        case 503: e = GraphError(status: 503, code: "ServiceNotAvailable", message: "The service is temporarily unavailable. Please retry later.")
        case 504: e = GraphError(status: 504, code: "GatewayTimeout", message: "The request timed out.")
        case 500: e = GraphError(status: 500, code: "InternalServerError", message: "An internal server error occurred.")
        case 401: e = unauthenticated(expired: true)
        case 404: e = itemNotFound
        default: e = GraphError(status: code, code: "InjectedError", message: "Injected error \(code).")
        }
        if let retryAfter { e.headers.append(("Retry-After", "\(retryAfter)")) }
        return e
    }
}

enum GraphFormat {
    /// `2026-12-06T10:00:00Z` (Graph's DateTimeOffset with no fraction, as Outlook answers).
    static func date(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
