/// SOAP 1.1 envelopes, faults and EWS response messages as Exchange writes them.
enum SOAP {
    static let envelopeNS = "http://schemas.xmlsoap.org/soap/envelope/"
    static let messagesNS = "http://schemas.microsoft.com/exchange/services/2006/messages"
    static let typesNS = "http://schemas.microsoft.com/exchange/services/2006/types"
    static let errorsNS = "http://schemas.microsoft.com/exchange/services/2006/errors"
    static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
    static let xsd = "http://www.w3.org/2001/XMLSchema"

    /// `<s:Envelope>` with the ServerVersionInfo header and `body` (one `m:…Response` element).
    static func envelope(version: ExchangeVersion, body: String) -> String {
        let b = version.build
        var w = XMLWriter(declaration: true)
        w.element("s:Envelope", [("xmlns:s", envelopeNS)]) { w in
            w.element("s:Header") { w in
                w.empty("h:ServerVersionInfo", [
                    ("MajorVersion", "\(b.major)"), ("MinorVersion", "\(b.minor)"),
                    ("MajorBuildNumber", "\(b.majorBuild)"), ("MinorBuildNumber", "\(b.minorBuild)"),
                    ("Version", version.headerVersion), ("xmlns:h", typesNS), ("xmlns", typesNS),
                    ("xmlns:xsd", xsd), ("xmlns:xsi", xsi),
                ])
            }
            w.element("s:Body", [("xmlns:xsi", xsi), ("xmlns:xsd", xsd)]) { w in w.raw(body) }
        }
        return w.output
    }

    /// A SOAP fault as Exchange sends it (HTTP 500): faultcode in the types namespace, detail with
    /// e:ResponseCode, e:Message and optionally t:MessageXml.
    static func fault(code: String, message: String, messageXml: String? = nil, faultCode: String? = nil) -> String {
        var w = XMLWriter(declaration: true)
        w.element("s:Envelope", [("xmlns:s", envelopeNS)]) { w in
            w.element("s:Body") { w in
                w.element("s:Fault") { w in
                    w.leaf("faultcode", faultCode ?? "a:\(code)", [("xmlns:a", typesNS)])
                    w.leaf("faultstring", message, [("xml:lang", "en-US")])
                    w.element("detail") { w in
                        w.leaf("e:ResponseCode", code, [("xmlns:e", errorsNS)])
                        w.leaf("e:Message", message, [("xmlns:e", errorsNS)])
                        if let messageXml {
                            w.element("t:MessageXml", [("xmlns:t", typesNS)]) { w in w.raw(messageXml) }
                        }
                    }
                }
            }
        }
        return w.output
    }

    static func serverBusy(backOffMilliseconds: Int) -> String {
        var x = XMLWriter()
        x.leaf("t:Value", "\(backOffMilliseconds)", [("Name", "BackOffMilliseconds")])
        return fault(code: "ErrorServerBusy", message: "The server cannot service this request right now. Try again later.",
                     messageXml: x.output)
    }
}

/// A per-item EWS error (ResponseClass="Error").
struct EWSError: Error, Equatable {
    var code: String
    var text: String

    static let itemNotFound = EWSError(code: "ErrorItemNotFound", text: "The specified object was not found in the store.")
    static let folderNotFound = EWSError(code: "ErrorFolderNotFound",
                                         text: "The specified folder could not be found in the store.")
    static let idMalformed = EWSError(code: "ErrorInvalidIdMalformed", text: "Id is malformed.")
    static let irresolvableConflict = EWSError(
        code: "ErrorIrresolvableConflict",
        text: "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.")
    static let invalidSyncState = EWSError(code: "ErrorInvalidSyncStateData",
                                           text: "Synchronization state data is corrupt or otherwise invalid.")
    static let attachmentNotFound = EWSError(code: "ErrorItemNotFound",
                                             text: "The specified object was not found in the store.")
    static let accessDenied = EWSError(code: "ErrorAccessDenied", text: "Access is denied. Check credentials and try again.")
    static let nonExistentMailbox = EWSError(code: "ErrorNonExistentMailbox",
                                             text: "The SMTP address has no mailbox associated with it.")
    static let invalidPropertySet = EWSError(code: "ErrorInvalidPropertySet", text: "Set action is invalid for property.")
    static let invalidPropertyRequest = EWSError(code: "ErrorInvalidPropertyRequest",
                                                 text: "The property request is invalid.")
    static func invalidRequest(_ text: String) -> EWSError { EWSError(code: "ErrorInvalidRequest", text: text) }
}

extension XMLWriter {
    /// `<m:{op}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>` + body.
    mutating func success(_ op: String, _ body: (inout XMLWriter) -> Void = { _ in }) {
        element("m:\(op)ResponseMessage", [("ResponseClass", "Success")]) { w in
            w.leaf("m:ResponseCode", "NoError")
            body(&w)
        }
    }

    /// Error response message; `tail` writes the empty containers Exchange still sends.
    mutating func failure(_ op: String, _ error: EWSError, _ tail: (inout XMLWriter) -> Void = { _ in }) {
        element("m:\(op)ResponseMessage", [("ResponseClass", "Error")]) { w in
            w.leaf("m:MessageText", error.text)
            w.leaf("m:ResponseCode", error.code)
            w.leaf("m:DescriptiveLinkKey", "0")
            tail(&w)
        }
    }

    /// `<m:{op}Response xmlns:m xmlns:t><m:ResponseMessages>` … `</m:ResponseMessages></m:{op}Response>`.
    mutating func response(_ op: String, _ body: (inout XMLWriter) -> Void) {
        element("m:\(op)Response", [("xmlns:m", SOAP.messagesNS), ("xmlns:t", SOAP.typesNS)]) { w in
            w.element("m:ResponseMessages") { w in body(&w) }
        }
    }
}
