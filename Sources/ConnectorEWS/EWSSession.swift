import ConnectorHTTP
import ConnectorKit
import Foundation

/// One mailbox's EWS endpoint: envelopes out, response messages back, HTTP statuses mapped.
/// Retries, throttling (with EWS's own busy fault) and auth are `HTTPClient`'s.
struct EWSSession: Sendable {
    let http: ConnectorHTTPClient
    let url: URL
    let version: ExchangeVersion
    let source: EWSSource

    /// Sends one operation and returns its response messages (one per item asked). A request
    /// that is not `replayable` (a create) is not re-sent after a lost connection.
    func call(_ body: String, replayable: Bool = true) async throws -> [ResponseMessage] {
        do {
            return try await send(body, replayable: replayable)
        } catch var e as ConnectorError {
            // "EWS SyncFolderItems" says more to an admin than "POST /EWS/Exchange.asmx".
            e.server = e.server ?? ServerName.of(url)
            e.request = "EWS \(Self.operation(body))"
            throw e
        }
    }

    /// The operation a request body holds: its first element's local name.
    static func operation(_ body: String) -> String {
        guard let open = body.firstIndex(of: "<") else { return "request" }
        let name = body[body.index(after: open)...].prefix { !" />".contains($0) }
        return String(name.split(separator: ":").last ?? name)
    }

    private func send(_ body: String, replayable: Bool) async throws -> [ResponseMessage] {
        var request = HTTPRequest(.post, url, body: SOAP.envelope(version, source: source, body: body))
        request.replayable = replayable
        request.setHeader("Content-Type", "text/xml; charset=utf-8")
        request.setHeader("Accept", "text/xml")
        // Routes the request to the server holding that mailbox (Microsoft's advice for both ways in).
        if let address = source.address { request.setHeader("X-AnchorMailbox", address) }
        let response = try await http.send(request)
        switch response.status {
        case 200:
            return try SOAPResponse.messages(response.body, source: source)
        case 500:
            // A SOAP fault comes with 500 (`messages` turns it into the right error); a bare 500
            // from IIS or a proxy, still there after the retries, is an outage.
            guard (try? SOAPResponse.body(response.body)) != nil else {
                throw ConnectorError(.unavailable, "Exchange answered 500; try again later")
            }
            return try SOAPResponse.messages(response.body, source: source)
        case 401, 403:
            throw ConnectorError(.unauthorized, "Exchange refused the credentials (\(response.status))")
        case 404:
            throw ConnectorError(.misconfigured, "no EWS endpoint at \(url.path) (404)")
        case 429, 502, 503, 504:
            throw ConnectorError(.unavailable, "Exchange stayed busy (\(response.status)); try again later")
        default:
            throw ConnectorError(.protocolViolation, "Exchange answered \(response.status)")
        }
    }

    /// A folder id element: the given one, else the source's root: the mailbox's distinguished
    /// Contacts folder (named with its owner for delegate access), or the public folders' root.
    func folderXML(_ id: String?) -> String {
        if let id { return #"<t:FolderId Id="\#(SOAP.esc(id))"/>"# }
        switch source {
        case .userMailbox, .otherMailbox(_, .impersonation):
            return #"<t:DistinguishedFolderId Id="contacts"/>"#
        case .otherMailbox(let address, .delegate):
            return #"<t:DistinguishedFolderId Id="contacts"><t:Mailbox><t:EmailAddress>\#(SOAP.esc(address))</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>"#
        case .publicFolder:
            return #"<t:DistinguishedFolderId Id="publicfoldersroot"/>"#
        }
    }
}

extension EWSSession {
    /// EWS's throttling, read before HTTPClient's status rules: ErrorServerBusy carries how long
    /// to back off; other faults under 500 are final.
    static let retryAdvice: @Sendable (HTTPResponse) -> RetryAdvice? = { response in
        guard response.status == 500 else { return nil }
        guard let body = try? SOAPResponse.body(response.body), let fault = SOAPFault.parse(body) else {
            return nil  // a plain 500 from IIS or a proxy: retried like any other
        }
        switch fault.code {
        case "ErrorServerBusy": return .retry(after: fault.backOff)
        case "ErrorInternalServerTransientError", "ErrorTimeoutExpired": return .retry(after: nil)
        default: return .deliver
        }
    }
}
