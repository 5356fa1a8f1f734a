import Foundation
import Hummingbird
import NIOCore

/// The request context of the web app: the signed-in session (set by `SessionMiddleware`) and
/// the peer's address (the login rate limit is per address).
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var session: Session?
    /// The client's address: the connection's, or behind a trusted proxy the one it names.
    public internal(set) var peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Dates as ISO 8601 both ways, as the API document says.
    public var requestDecoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
    public var responseEncoder: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }

    /// The session, or 401.
    func requireSession() throws -> Session {
        guard let session else { throw APIError(.unauthorized, words: APIWords.signInFirst) }
        return session
    }
}

extension WebContext {
    /// A path parameter as its owner wrote it. Hummingbird hands the raw segment over, still
    /// percent-encoded, and ids are slugs of any letters (a hub named "Contacts de l'équipe" is
    /// `contacts-de-l-équipe`), so the browser's `%C3%A9` must be decoded before the lookup.
    func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }
}
