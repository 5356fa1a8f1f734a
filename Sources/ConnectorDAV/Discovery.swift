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

/// From a plain URL and credentials to the address books (RFC 6764 and RFC 6352 §7): the URL
/// itself, its current-user-principal, the principal's addressbook-home-set, and the server's
/// /.well-known/carddav when the URL says nothing.
public enum Discovery {
    public static func addressBooks(at url: URL, http: HTTPClient) async throws -> [AddressBook] {
        let session = DAVSession(http: http)
        var tried = Set<String>()
        var candidates = [url]
        if let wellKnown = URL(string: "/.well-known/carddav", relativeTo: url)?.absoluteURL { candidates.append(wellKnown) }
        var lastError: ConnectorError?
        for start in candidates where tried.insert(start.absoluteString).inserted {
            do {
                let books = try await fromResource(start, session)
                if !books.isEmpty { return books }
            } catch let e as ConnectorError where e.kind != .unauthorized && e.kind != .unavailable {
                lastError = e
            }
        }
        throw lastError.map {
            ConnectorError(.misconfigured, "no address book found at \(url.path): \($0.message)", server: $0.server, request: $0.request)
        } ?? ConnectorError(.misconfigured, "no address book found at \(url.path)", server: ServerName.of(url))
    }

    private static func fromResource(_ url: URL, _ s: DAVSession) async throws -> [AddressBook] {
        let ms = try await s.propfind(url, depth: 0, DAVBody.collectionProps)
        guard let me = ms.responses.first else { return [] }
        // The answer's own URL: a well-known redirect lands elsewhere.
        let here = resolve(me.href, against: url)
        if AddressBook.isAddressBook(me) { return [AddressBook(url: here, me)] }
        if let home = me.hrefs(in: .c("addressbook-home-set")).first {
            return try await list(resolve(home, against: url), s)
        }
        if let principal = me.hrefs(in: .d("current-user-principal")).first {
            let p = try await s.propfind(resolve(principal, against: url), depth: 0, DAVBody.collectionProps)
            if let home = p.responses.first?.hrefs(in: .c("addressbook-home-set")).first {
                return try await list(resolve(home, against: url), s)
            }
        }
        // A home that does not name itself: its children may still be address books.
        return try await list(url, s)
    }

    private static func list(_ home: URL, _ s: DAVSession) async throws -> [AddressBook] {
        let ms = try await s.propfind(home, depth: 1, DAVBody.collectionProps)
        return ms.responses.filter(AddressBook.isAddressBook).map { AddressBook(url: resolve($0.href, against: home), $0) }
    }

    static func resolve(_ href: String, against base: URL) -> URL {
        URL(string: href, relativeTo: base)?.absoluteURL ?? base
    }

    /// The properties of one address book (the spoke's check before its first pull or create).
    static func describe(_ url: URL, _ s: DAVSession, props: Data = DAVBody.collectionProps) async throws -> AddressBook {
        let ms = try await s.propfind(url, depth: 0, props)
        guard let me = ms.responses.first else {
            throw ConnectorError(.protocolViolation, "the answer lists nothing", server: ServerName.of(url), request: "PROPFIND \(url.path)")
        }
        guard AddressBook.isAddressBook(me) else {
            let books = (try? await addressBooks(at: url, http: s.http)) ?? []
            let hint = books.isEmpty ? "" : "; address books here: " + books.map(\.url.path).joined(separator: ", ")
            throw ConnectorError(.misconfigured, "\(url.path) is not an address book\(hint)", server: ServerName.of(url))
        }
        return AddressBook(url: url, me)
    }
}
