import Hummingbird

/// The API's own refusals that reach a person, as English templates with `{name}` values. The
/// answer carries the template and its values (`text`, `values`) beside the filled `error`, and
/// the page translates the template from its catalog, as it does PlainProblem's texts; the
/// catalogs key them by this English text (CatalogTests checks both languages have each one).
enum APIWords {
    static let hubExists = "a hub named like that exists already"
    static let sourceExists = "this hub has a source named like that already"
    static let guardPercent = "the deletion guard takes a percentage from 1 to 100"
    static let schedule = "sync every 1 to 10080 minutes (a week), or never"
    static let kindUnavailable = "sources of type {kind} are not available"
    static let noHub = "no hub {id}"
    static let noSource = "no source {id} in hub {hub}"
    static let tooLarge = "the request is too large (at most 1 MB)"
    static let busy = "the database is busy with another HubSync process; try again in a moment"
    static let serverFailed = "the server failed to answer; its log says why"
    static let csrf = "missing or wrong X-CSRF-Token header; reload the page"
    static let otherSite = "this request came from another site; use HubSync's own pages"
    static let formExpired = "the form expired; reload the page and try again"
    static let groupName = "name the group (its name, mail address or id)"
    static let notEvents = "this hub holds contacts, not events"
    static let sourceHoldsContacts = "this hub holds calendar events, and a {kind} source holds contacts"
    static let sourceHoldsEvents = "this hub holds contacts, and a {kind} source holds calendar events"
    static let onlyExchangeMoves = "only an Exchange source moves, and only to Microsoft 365"
    static let signInUnknown = "this sign-in is unknown or finished; start it again from the wizard"
    /// Asked before an undo deletes what it added everywhere (a plural entry in the catalogs: the
    /// English `error` says "the contact" for one).
    static let undoRunDeletes = "Undoing this sync deletes {n} contacts it added: from the hub now, and from every source that gets hub changes at the next sync."
    /// The sign-in and first-run pages' refusals; {wait} is "8 s" or "5 min", the same in both languages.
    static let tooManyFromAddress = "too many failed sign-ins from this address; try again in {wait}"
    static let tooManyForUser = "this user name had failed sign-ins; wait {wait} and try again"
    static let passwordShort = "the password needs at least {n} characters"
    static let passwordLong = "a password has at most 1024 bytes"
    static let undoEntryDeletes = "Undoing this change deletes the contact it added: from the hub now, and from every source that gets hub changes at the next sync."
    /// Sign-in, setup, options and busy hubs.
    static let adminExists = "an administrator exists already; sign in instead"
    static let setupCode = "enter the setup code HubSync printed when it started"
    static let wrongPassword = "wrong user name or password"
    static let signInFirst = "sign in first"
    static let reloadAndRetry = "reload the page and try again"
    static let groupsNotOffered = "this server does not offer the mailboxes of a group"
    static let noSignInKind = "{kind} sources do not sign in this way"
    static let noAddress = "cannot tell this server's address; start it with --public-url"
    static let everyAddress = "this server listens on every address: start it with --public-url to sign in with a provider"
    static let mappingBothFields = "field mapping {source} → {hub}: name a source field and a hub field"
    static let mappingOnce = "a source field can be mapped only once"
    static let categoryLimit = "a category has at most 100 characters and no control or text-direction characters"
    static let windowRange = "the window reaches 0 to 3660 days back and ahead"
    static let adminChangeSaving = "an admin change to this hub is being saved; try again in a moment"
    static let otherProcessSyncing = "another HubSync process is syncing this hub; try again when it is done"

    /// A hub's or a source's name refused: one template per noun, since French agrees with it.
    static func nameEmpty(_ what: String) -> String { "give the \(what) a name" }
    static func nameLong(_ what: String) -> String { "a \(what) name has at most {limit} characters (this one has {count})" }
    static func nameControls(_ what: String) -> String { "a \(what) name cannot contain control or text-direction characters" }
    static let named = ["hub", "source", "user", "token"]

    static let texts: [String] = [
        hubExists, sourceExists, guardPercent, schedule, kindUnavailable, noHub, noSource, tooLarge, busy, serverFailed,
        csrf, otherSite, formExpired, groupName, notEvents, sourceHoldsContacts, sourceHoldsEvents, onlyExchangeMoves, signInUnknown, undoRunDeletes, undoEntryDeletes,
        tooManyFromAddress, tooManyForUser, passwordShort, passwordLong, adminExists, setupCode, wrongPassword, signInFirst, reloadAndRetry, groupsNotOffered, noSignInKind, noAddress, everyAddress, mappingBothFields, mappingOnce, categoryLimit, windowRange, adminChangeSaving, otherProcessSyncing,
    ] + named.flatMap { [nameEmpty($0), nameLong($0), nameControls($0)] }

    /// `template` with each `{name}` replaced by its value: the English `error` of the answer.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        values.reduce(template) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }
}

extension APIError {
    /// This refusal with a Retry-After.
    func retrying(after seconds: Int) -> APIError {
        var e = self
        e.retryAfter = seconds
        return e
    }

    /// A refusal in words the page translates: `words` is one of `APIWords`' templates.
    init(_ status: HTTPResponse.Status, words: String, _ values: [String: String] = [:], field: String? = nil) {
        self.init(status, APIWords.fill(words, values), field: field)
        text = words
        self.values = values.isEmpty ? nil : values
    }
}
