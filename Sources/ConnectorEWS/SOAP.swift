import ConnectorKit
import ConnectorXML
import Foundation

/// EWS namespaces and the names read from answers.
enum NS {
    static let soap = "http://schemas.xmlsoap.org/soap/envelope/"
    static let m = "http://schemas.microsoft.com/exchange/services/2006/messages"
    static let t = "http://schemas.microsoft.com/exchange/services/2006/types"
    static let e = "http://schemas.microsoft.com/exchange/services/2006/errors"
}

extension QName {
    static func t(_ n: String) -> QName { QName(NS.t, n) }
    static func m(_ n: String) -> QName { QName(NS.m, n) }
}

/// Request envelopes. Every value from outside goes through `esc`.
enum SOAP {
    static func envelope(_ version: ExchangeVersion, source: EWSSource, body: String) -> Data {
        // Delegate access names the mailbox in the folder ids; impersonation acts as its user.
        var impersonation = ""
        if case .otherMailbox(let address, .impersonation) = source {
            impersonation = "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>\(esc(address))"
                + "</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>"
        }
        let xml = #"<?xml version="1.0" encoding="utf-8"?>"#
            + #"<soap:Envelope xmlns:soap="\#(NS.soap)" xmlns:t="\#(NS.t)" xmlns:m="\#(NS.m)">"#
            + #"<soap:Header><t:RequestServerVersion Version="\#(version.schema)"/>\#(impersonation)</soap:Header>"#
            + "<soap:Body>\(body)</soap:Body></soap:Envelope>"
        return Data(xml.utf8)
    }

    static func esc(_ s: String) -> String { XMLTree.escape(s) }
}

/// One `m:…ResponseMessage`: EWS answers per item, so a batch can half succeed.
struct ResponseMessage: Sendable {
    var success: Bool
    /// "NoError", "ErrorItemNotFound", "ErrorIrresolvableConflict"…
    var code: String
    var text: String
    var node: XMLTree

    var errorText: String { "\(code)\(text.isEmpty ? "" : ": \(text)")" }
}

/// A SOAP fault: the whole request failed.
struct SOAPFault: Sendable {
    var code: String
    var text: String
    /// ErrorServerBusy's `BackOffMilliseconds`.
    var backOff: Duration?

    static func parse(_ body: XMLTree) -> SOAPFault? {
        guard let fault = body.child(QName(NS.soap, "Fault")) else { return nil }
        let detail = fault.child(QName("", "detail"))
        let code = detail?.value(QName(NS.e, "ResponseCode")) ?? fault.value(QName("", "faultcode")) ?? "fault"
        let text = detail?.value(QName(NS.e, "Message")) ?? fault.value(QName("", "faultstring")) ?? ""
        let backOff = detail?.first(.t("MessageXml"))?.all(.t("Value"))
            .first { $0.attributes["Name"] == "BackOffMilliseconds" }
            .flatMap { Int($0.trimmed) }.map { Duration.milliseconds($0) }
        return SOAPFault(code: code, text: text, backOff: backOff)
    }
}

enum SOAPResponse {
    /// The response messages of an answer, in request order.
    static func messages(_ data: Data, source: EWSSource? = nil) throws -> [ResponseMessage] {
        let body = try body(data)
        if let fault = SOAPFault.parse(body) { throw fault.connectorError(source) }
        guard let response = body.children.first, let list = response.child(.m("ResponseMessages")) else {
            throw ConnectorError(.protocolViolation, "the EWS answer holds no response messages")
        }
        return list.children.map { node in
            ResponseMessage(
                success: node.attributes["ResponseClass"] != "Error",
                code: node.value(.m("ResponseCode")) ?? "NoError",
                text: node.value(.m("MessageText")) ?? "",
                node: node)
        }
    }

    static func body(_ data: Data) throws -> XMLTree {
        let root: XMLTree
        do {
            root = try XMLTree.parse(data)
        } catch {
            throw ConnectorError(.protocolViolation, "the server sent XML that could not be read (\(error.reason)); is the URL an EWS endpoint?")
        }
        guard root.name == QName(NS.soap, "Envelope"), let body = root.child(QName(NS.soap, "Body")) else {
            throw ConnectorError(.protocolViolation, "the server's answer is not a SOAP envelope; is the URL an EWS endpoint?")
        }
        return body
    }
}

extension SOAPFault {
    func connectorError(_ source: EWSSource? = nil) -> ConnectorError {
        // An older server does not know a newer version's name at all: its schema check says so.
        let unknownVersion = code == "ErrorSchemaValidation" && text.contains("RequestServerVersion")
        switch unknownVersion ? "ErrorInvalidServerVersion" : code {
        case "ErrorInvalidServerVersion", "ErrorIncorrectSchemaVersion":
            return ConnectorError(.misconfigured, "the server does not speak the Exchange version chosen; pick an older one (\(code))")
        case "ErrorServerBusy", "ErrorInternalServerTransientError", "ErrorTimeoutExpired":
            return ConnectorError(.unavailable, "Exchange is busy (\(code)); try again later")
        case "ErrorAccessDenied", "ErrorNonExistentMailbox", "ErrorImpersonateUserDenied", "ErrorMailboxMoveInProgress":
            return AccessWords.refusal(code, text, source: source)!
        default:
            return ConnectorError(.protocolViolation, "Exchange answered a SOAP fault (\(code)\(text.isEmpty ? "" : ": \(text)"))")
        }
    }
}
