import Foundation
import ConnectorHTTP
import ConnectorKit
import PIMFormats

/// An address book found on a server, to pick from.
public struct AddressBook: Hashable, Sendable {
    public var url: URL
    public var displayName: String?
    public var description: String?
    /// RFC 6578 sync-collection: incremental pulls cost what changed.
    public var supportsSync: Bool
    /// vCard versions the server takes, in its order of preference (empty: it does not say).
    public var versions: [VCardVersion]
    /// The collection's current sync token and CalendarServer ctag, when it gives them.
    var syncToken: String?
    var ctag: String?

    init(url: URL, _ r: DAVResponse) {
        self.url = url
        displayName = r.text(.d("displayname"))
        description = r.text(.c("addressbook-description"))
        supportsSync = r.names(in: .d("supported-report-set")).contains(.d("sync-collection"))
        // Any child with a version: Xandikos names them `content-type`, RFC 6352 `address-data-type`.
        versions = (r.props[.c("supported-address-data")]?.children ?? []).compactMap {
            $0.attributes["version"].flatMap(VCardVersion.init(rawValue:))
        }
        syncToken = r.text(.d("sync-token"))
        ctag = r.text(DAVName(DAVName.cs, "getctag"))
    }

    static func isAddressBook(_ r: DAVResponse) -> Bool {
        r.names(in: .d("resourcetype")).contains(.c("addressbook"))
    }
}

/// What discovery looks for: address books (RFC 6352 §7) or calendars (RFC 4791 §6.2).
struct DAVHome: Sendable {
    let homeSet: DAVName
    let wellKnown: String
    let props: Data
    /// "address book", "calendar", for messages.
    let noun: String
    let isCollection: @Sendable (DAVResponse) -> Bool

    static let addressBooks = DAVHome(
        homeSet: .c("addressbook-home-set"), wellKnown: "/.well-known/carddav", props: DAVBody.collectionProps,
        noun: "address book", isCollection: AddressBook.isAddressBook)
}

/// From a plain URL and credentials to the collections (RFC 6764, RFC 6352 §7, RFC 4791 §6.2):
/// the URL itself, its current-user-principal, the principal's home set, and the server's
/// well-known URL when the URL says nothing.
public enum Discovery {
    public static func addressBooks(at url: URL, http: HTTPClient) async throws -> [AddressBook] {
        try await collections(at: url, DAVSession(http: http), .addressBooks).map { AddressBook(url: $0.0, $0.1) }
    }

    static func collections(at url: URL, _ session: DAVSession, _ kind: DAVHome) async throws -> [(URL, DAVResponse)] {
        var tried = Set<String>()
        var candidates = [url]
        if let wellKnown = URL(string: kind.wellKnown, relativeTo: url)?.absoluteURL { candidates.append(wellKnown) }
        var lastError: ConnectorError?
        for start in candidates where tried.insert(start.absoluteString).inserted {
            do {
                let found = try await fromResource(start, session, kind)
                if !found.isEmpty { return found }
            } catch let e as ConnectorError where e.kind != .unauthorized && e.kind != .unavailable {
                lastError = e
            }
        }
        throw lastError.map {
            ConnectorError(.misconfigured, "no \(kind.noun) found at \(url.path): \($0.message)", server: $0.server, request: $0.request)
        } ?? ConnectorError(.misconfigured, "no \(kind.noun) found at \(url.path)", server: ServerName.of(url))
    }

    private static func fromResource(_ url: URL, _ s: DAVSession, _ kind: DAVHome) async throws -> [(URL, DAVResponse)] {
        let ms = try await s.propfind(url, depth: 0, kind.props)
        guard let me = ms.responses.first else { return [] }
        // The answer's own URL: a well-known redirect lands elsewhere.
        let here = resolve(me.href, against: url)
        if kind.isCollection(me) { return [(here, me)] }
        if let home = me.hrefs(in: kind.homeSet).first {
            return try await list(resolve(home, against: url), s, kind)
        }
        if let principal = me.hrefs(in: .d("current-user-principal")).first {
            let p = try await s.propfind(resolve(principal, against: url), depth: 0, kind.props)
            if let home = p.responses.first?.hrefs(in: kind.homeSet).first {
                return try await list(resolve(home, against: url), s, kind)
            }
        }
        // A home that does not name itself: its children may still be collections.
        return try await list(url, s, kind)
    }

    private static func list(_ home: URL, _ s: DAVSession, _ kind: DAVHome) async throws -> [(URL, DAVResponse)] {
        let ms = try await s.propfind(home, depth: 1, kind.props)
        return ms.responses.filter(kind.isCollection).map { (resolve($0.href, against: home), $0) }
    }

    static func resolve(_ href: String, against base: URL) -> URL {
        URL(string: href, relativeTo: base)?.absoluteURL ?? base
    }

    /// The properties of one collection (the spoke's check before its first pull or create).
    static func describeCollection(_ url: URL, _ s: DAVSession, props: Data, _ kind: DAVHome) async throws -> DAVResponse {
        let ms = try await s.propfind(url, depth: 0, props)
        guard let me = ms.responses.first else {
            throw ConnectorError(.protocolViolation, "the answer lists nothing", server: ServerName.of(url), request: "PROPFIND \(url.path)")
        }
        guard kind.isCollection(me) else {
            let found = (try? await collections(at: url, s, kind)) ?? []
            let hint = found.isEmpty ? "" : "; \(kind.noun)s here: " + found.map(\.0.path).joined(separator: ", ")
            throw ConnectorError(.misconfigured, "\(url.path) is not \(kind.noun == "address book" ? "an" : "a") \(kind.noun)\(hint)", server: ServerName.of(url))
        }
        return me
    }

    /// The properties of one address book.
    static func describe(_ url: URL, _ s: DAVSession, props: Data = DAVBody.collectionProps) async throws -> AddressBook {
        AddressBook(url: url, try await describeCollection(url, s, props: props, .addressBooks))
    }
}
