/// The API tokens' refusals, in words the page translates (like `APIWords`).
enum TokenWords {
    static let invalid = "this API token is not valid: it was revoked, or it was never made here"
    static let readOnly = "this API token may only read (its scope is read)"
    static let scope = "the scope of a token is read or admin"
    static let noToken = "no API token {id}"

    static let texts: [String] = [invalid, readOnly, scope, noToken]
}
