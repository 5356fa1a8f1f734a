import Foundation
import ConnectorKit
import SyncModel

/// Hrefs, the way a server spells them, differ (absolute or not, `%40` or `@`); ids must not.
/// A remote id is the resource's path, percent-decoded and re-encoded one fixed way.
struct DAVPaths: Sendable {
    /// scheme://host:port
    let origin: String
    /// The address book's own path, with a trailing slash.
    let collection: String

    init(collection url: URL) throws {
        guard let c = URLComponents(url: url, resolvingAgainstBaseURL: true), let scheme = c.scheme, let host = c.host
        else { throw ConnectorError(.misconfigured, "not an http(s) URL: \(url.absoluteString)") }
        origin = "\(scheme)://\(host)" + (c.port.map { ":\($0)" } ?? "")
        let p = Self.canonical(c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath)
        collection = p.hasSuffix("/") ? p : p + "/"
    }

    /// The canonical path of an href (absolute URL or path).
    static func canonical(_ href: String) -> String {
        var path = href
        if href.hasPrefix("http://") || href.hasPrefix("https://") {
            path = URLComponents(string: href)?.percentEncodedPath ?? href
        }
        // Segment by segment, so an encoded slash inside a name (a UID with `/`) stays one.
        return path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            let decoded = segment.removingPercentEncoding ?? String(segment)
            return decoded.addingPercentEncoding(withAllowedCharacters: allowed) ?? decoded
        }.joined(separator: "/")
    }

    private static let allowed: CharacterSet = {
        var s = CharacterSet.urlPathAllowed
        s.remove(charactersIn: ";=,+/")
        return s
    }()

    /// A resource directly in the collection, by its name (no slash): what a path cannot hold
    /// as it is (a space, `+`, non-ASCII) percent-encoded.
    func resource(named name: String) -> RemoteID {
        RemoteID(collection + (name.addingPercentEncoding(withAllowedCharacters: Self.allowed) ?? name))
    }

    func id(_ href: String) -> RemoteID { RemoteID(Self.canonical(href)) }

    func url(_ id: RemoteID) -> URL { URL(string: origin + id.rawValue)! }

    var collectionURL: URL { URL(string: origin + collection)! }

    /// The server as an admin knows it, for messages: host and port, no credentials.
    var server: String { origin.components(separatedBy: "://").last ?? origin }

    /// A resource directly inside the address book (not the book itself, not a sub-collection).
    func isMember(_ href: String) -> Bool {
        let p = Self.canonical(href)
        return p.hasPrefix(collection) && p.count > collection.count && !p.dropFirst(collection.count).contains("/")
    }

    /// The hub's own cards are named after their UID (the create marker).
    func resource(for marker: CreateMarker) -> RemoteID { RemoteID(collection + marker.resourceName) }
}
