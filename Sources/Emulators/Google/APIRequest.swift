import Foundation

/// One authenticated People API call as the operations see it.
struct APIRequest: Sendable {
    var query: [(String, String)]
    var body: Data
    /// Path parameter: `c123` of `people/c123`, or a contact group id.
    var id: String = ""

    func param(_ name: String) -> String? { query.last { $0.0 == name }?.1 }
    func params(_ name: String) -> [String] { query.filter { $0.0 == name }.map(\.1) }
    func flag(_ name: String) -> Bool { param(name).map { $0 == "true" || $0 == "1" } ?? false }

    /// The JSON body (an empty body reads as `{}`).
    func json() throws(GoogleError) -> [String: JSONValue] {
        if body.isEmpty { return [:] }
        guard let value = JSONValue.parse(body), let object = value.object else {
            throw GoogleError.invalidArgument("Invalid JSON payload received.")
        }
        return object
    }

    func int(_ name: String) throws(GoogleError) -> Int? {
        guard let raw = param(name) else { return nil }
        guard let v = Int(raw) else {
            throw GoogleError.invalidArgument("Invalid value at '\(name)' (TYPE_INT32), \"\(raw)\"")
        }
        return v
    }
}

/// What an operation needs besides the request and the account.
struct APIEnvironment: Sendable {
    var now: Date
    var root: String
    var syncTokenMaxAge: TimeInterval
}
