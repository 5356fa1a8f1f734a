import ConnectorHTTP
import ConnectorKit
import ConnectorXML
import Foundation

/// POX Autodiscover: from an email address to the mailbox's EWS URL.
public enum Autodiscover {
    static let requestNS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
    static let responseSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"

    /// The URLs tried, in order, for an address at `domain` (MS-OXDSCLI §3.1.5): the domain
    /// itself, then the autodiscover host.
    public static func candidates(for email: String) -> [URL] {
        guard let domain = email.split(separator: "@").last.map(String.init), email.contains("@") else { return [] }
        return ["https://\(domain)/autodiscover/autodiscover.xml",
                "https://autodiscover.\(domain)/autodiscover/autodiscover.xml"].compactMap(URL.init(string:))
    }

    /// The EWS URL for `email`, asking `endpoints` (default: `candidates(for:)`) in turn and
    /// following redirectAddr/redirectUrl answers (bounded).
    public static func ewsURL(email: String, http: ConnectorHTTPClient, endpoints: [URL]? = nil) async throws -> URL {
        var address = email
        var queue = endpoints ?? candidates(for: email)
        var failures: [String] = []
        var hops = 0
        while !queue.isEmpty, hops < 10 {
            hops += 1
            let endpoint = queue.removeFirst()
            let answer: Answer
            do {
                answer = try await ask(endpoint, address: address, http: http)
            } catch let error as ConnectorError where error.kind == .unavailable || error.kind == .protocolViolation {
                failures.append("\(endpoint.host ?? endpoint.absoluteString): \(error.message)")
                continue
            }
            switch answer {
            case .ews(let url): return url
            case .redirectAddress(let next):
                address = next
                queue = endpoints ?? candidates(for: next)
            case .redirectURL(let url): queue.insert(url, at: 0)
            case .error(let message): failures.append("\(endpoint.host ?? ""): \(message)")
            }
        }
        throw ConnectorError(.misconfigured, "Autodiscover found no Exchange server for \(email)"
            + (failures.isEmpty ? "" : " (\(failures.joined(separator: "; ")))") + "; enter the server URL instead")
    }

    enum Answer: Equatable {
        case ews(URL)
        case redirectAddress(String)
        case redirectURL(URL)
        case error(String)
    }

    static func ask(_ endpoint: URL, address: String, http: ConnectorHTTPClient) async throws -> Answer {
        let body = #"<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="\#(requestNS)"><Request>"#
            + "<EMailAddress>\(XMLTree.escape(address))</EMailAddress>"
            + "<AcceptableResponseSchema>\(responseSchema)</AcceptableResponseSchema></Request></Autodiscover>"
        var request = HTTPRequest(.post, endpoint, body: Data(body.utf8))
        request.setHeader("Content-Type", "text/xml; charset=utf-8")
        let response = try await http.send(request)
        guard response.status == 200 else {
            throw ConnectorError(.unavailable, "answered \(response.status)")
        }
        guard let root = try? XMLTree.parse(response.body) else {
            throw ConnectorError(.protocolViolation, "not an Autodiscover answer")
        }
        return parse(root)
    }

    static func parse(_ root: XMLTree) -> Answer {
        let r = QName(responseSchema, "Response")
        guard let response = root.child(r) ?? root.children.first(where: { $0.name.name == "Response" }) else {
            return .error("not an Autodiscover answer")
        }
        func n(_ name: String) -> QName { QName(response.name.ns, name) }
        if let error = response.first(n("Error")) ?? response.first(QName(root.name.ns, "Error")) {
            return .error(error.value(n("Message")) ?? error.children.first { $0.name.name == "Message" }?.trimmed ?? "error")
        }
        guard let account = response.child(n("Account")) else { return .error("no account in the answer") }
        switch account.value(n("Action")) {
        case "redirectAddr": if let a = account.value(n("RedirectAddr")) { return .redirectAddress(a) }
        case "redirectUrl": if let u = account.value(n("RedirectUrl")).flatMap(URL.init(string:)) { return .redirectURL(u) }
        default: break
        }
        // EXCH is the internal endpoint, EXPR the external one (Outlook Anywhere); either will do.
        let protocols = account.all(n("Protocol"))
        for type in ["EXCH", "EXPR", "WEB"] {
            if let p = protocols.first(where: { $0.value(n("Type")) == type }),
                let url = p.value(n("EwsUrl")).flatMap(URL.init(string:))
            {
                return .ews(url)
            }
        }
        return .error("the answer names no EWS URL")
    }
}
