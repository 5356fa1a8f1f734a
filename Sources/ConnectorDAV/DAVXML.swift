import ConnectorKit
import ConnectorXML
import Foundation

typealias DAVName = QName
typealias DAVNode = XMLTree

extension QName {
    static let dav = "DAV:"
    static let card = "urn:ietf:params:xml:ns:carddav"
    static let cs = "http://calendarserver.org/ns/"
    static let caldav = "urn:ietf:params:xml:ns:caldav"
    static func d(_ n: String) -> QName { QName(dav, n) }
    static func c(_ n: String) -> QName { QName(card, n) }
    static func cal(_ n: String) -> QName { QName(caldav, n) }
}

extension XMLTree {
    static func multistatus(_ data: Data) throws -> XMLTree {
        do {
            return try XMLTree.parse(data)
        } catch {
            throw ConnectorError(.protocolViolation, "the server sent XML that could not be read: \(error.reason)")
        }
    }
}

/// One `response` of a multistatus: the resource's own status (sync-collection deletions, 507
/// truncation) or the properties found (200 propstat) and missing.
struct DAVResponse: Sendable {
    var href: String
    var status: Int?
    var props: [DAVName: DAVNode] = [:]
    var missing: Set<DAVName> = []
    /// The per-resource error text some servers give (for item errors).
    var error: String?

    func text(_ n: DAVName) -> String? { props[n].map(\.trimmed).flatMap { $0.isEmpty ? nil : $0 } }
    /// `resourcetype` children, `supported-report-set` reports, `href` lists.
    func names(in n: DAVName) -> Set<DAVName> {
        guard let node = props[n] else { return [] }
        var out = Set<DAVName>()
        func walk(_ x: DAVNode) { for c in x.children { out.insert(c.name); walk(c) } }
        walk(node)
        return out
    }
    func hrefs(in n: DAVName) -> [String] {
        guard let node = props[n] else { return [] }
        return node.all(.d("href")).map(\.trimmed)
    }
}

struct MultiStatus: Sendable {
    var responses: [DAVResponse]
    var syncToken: String?

    init(responses: [DAVResponse], syncToken: String?) {
        self.responses = responses
        self.syncToken = syncToken
    }

    init(parsing data: Data) throws {
        let root = try DAVNode.multistatus(data)
        guard root.name == .d("multistatus") else {
            throw ConnectorError(.protocolViolation, "the answer is not a WebDAV multistatus (its root element is \(root.name.name))")
        }
        responses = root.all(.d("response")).map(Self.response)
        syncToken = root.child(.d("sync-token"))?.trimmed
    }

    private static func response(_ node: DAVNode) -> DAVResponse {
        var r = DAVResponse(href: node.child(.d("href"))?.trimmed ?? "")
        r.status = node.child(.d("status")).flatMap { statusCode($0.trimmed) }
        r.error = node.child(.d("responsedescription"))?.trimmed
        for ps in node.all(.d("propstat")) {
            let code = ps.child(.d("status")).flatMap { statusCode($0.trimmed) } ?? 200
            for p in ps.child(.d("prop"))?.children ?? [] {
                if (200..<300).contains(code) { r.props[p.name] = p } else { r.missing.insert(p.name) }
            }
        }
        return r
    }

    /// "HTTP/1.1 404 Not Found" → 404.
    static func statusCode(_ line: String) -> Int? {
        let parts = line.split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }
}

/// Request bodies. Values that come from outside (tokens, hrefs) are escaped.
enum DAVBody {
    static let head = #"<?xml version="1.0" encoding="utf-8"?>"#
    static let namespaces = #"xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/" xmlns:cal="urn:ietf:params:xml:ns:caldav""#

    static func propfind(_ props: [String]) -> Data {
        Data("\(head)<d:propfind \(namespaces)><d:prop>\(props.map { "<\($0)/>" }.joined())</d:prop></d:propfind>".utf8)
    }

    /// What discovery and the collection check ask.
    static let collectionProps = propfind([
        "d:resourcetype", "d:displayname", "d:current-user-principal", "card:addressbook-home-set",
        "card:addressbook-description", "card:supported-address-data", "d:supported-report-set", "d:sync-token",
        "cs:getctag",
    ])
    /// What a first listing needs to know of the collection: not its sync token or ctag, which
    /// cost a walk over every card on Radicale (about 1 s per 1,000) and which the sync-collection
    /// report answers anyway.
    static let listingProps = propfind([
        "d:resourcetype", "card:supported-address-data", "d:supported-report-set",
    ])
    static let etagListing = propfind(["d:resourcetype", "d:getetag"])
    static let etagOnly = propfind(["d:getetag"])

    /// With `data` (the flavour's body property), changed resources come in the answer itself
    /// (RFC 6578 takes any property), which saves the multiget after an incremental listing.
    static func syncCollection(token: String?, data: String?) -> Data {
        let t = token.map { "<d:sync-token>\(escape($0))</d:sync-token>" } ?? "<d:sync-token/>"
        let props = "<d:getetag/>" + (data.map { "<\($0)/>" } ?? "")
        return Data(
            "\(head)<d:sync-collection \(namespaces)>\(t)<d:sync-level>1</d:sync-level><d:prop>\(props)</d:prop></d:sync-collection>"
                .utf8)
    }

    /// addressbook-multiget or calendar-multiget, by the flavour.
    static func multiget(_ hrefs: [String], _ flavor: DAVFlavor) -> Data {
        let refs = hrefs.map { "<d:href>\(escape($0))</d:href>" }.joined()
        return Data(
            "\(head)<\(flavor.multiget) \(namespaces)><d:prop><d:getetag/><\(flavor.dataElement)/></d:prop>\(refs)</\(flavor.multiget)>"
                .utf8)
    }

    static func escape(_ s: String) -> String { XMLTree.escape(s) }
}
