import Foundation
import Hummingbird

extension EWSEmulator {
    /// Every request: read the body, authenticate, then route by path (case-insensitive, like IIS).
    func handle(_ request: Request, _ context: EmulatorRequestContext) async -> Response {
        let body: Data
        do {
            var buffer = try await request.body.collect(upTo: context.maxUploadSize)
            body = buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch {
            return .text(.contentTooLarge, "Request too large", contentType: "text/plain")
        }
        let outcome = authenticator.authenticate(authorization: request.headers[.authorization],
                                                 connection: context.connectionID, accounts: store.accounts())
        guard case .authenticated(let mailbox, _) = outcome else {
            guard case .challenge(let offers) = outcome else { return .text(.unauthorized, "") }
            return .text(.unauthorized, "<html><body>401 - Unauthorized</body></html>", contentType: "text/html",
                         headers: offers.map { ("WWW-Authenticate", $0) })
        }
        let path = request.uri.path.lowercased()
        guard request.method == .post else {
            return .text(.methodNotAllowed, "<html><body>405 - Method not allowed</body></html>", contentType: "text/html")
        }
        switch path {
        case "/ews/exchange.asmx":
            return await ews(body, mailbox: mailbox, context: context)
        case "/autodiscover/autodiscover.xml":
            return await guarded("Autodiscover", mailbox: mailbox, context: context) {
                .text(.ok, Autodiscover.pox(body, baseURL: base, lookup: account))
            }
        case "/autodiscover/autodiscover.svc":
            return await guarded("GetUserSettings", mailbox: mailbox, context: context) {
                .text(.ok, Autodiscover.getUserSettings(body, baseURL: base, version: version, lookup: account))
            }
        default:
            return .text(.notFound, "<html><body>404 - Not Found</body></html>", contentType: "text/html")
        }
    }

    func account(_ email: String) -> Autodiscover.Account? {
        store.with(email) { Autodiscover.Account(email: $0.email, displayName: $0.displayName, domain: $0.domain) }
    }

    /// Counts the request, tracks concurrency and applies the fault plan around `body`.
    func guarded(_ operation: String, mailbox: String, context: EmulatorRequestContext,
                 _ body: () async -> Response) async -> Response {
        begin(operation, mailbox: mailbox)
        defer { end(mailbox: mailbox) }
        return await faults.around(operation, context: context, body, status: { code, retryAfter in
            let status = HTTPResponse.Status(code: code)
            return .text(status, "<html><body>\(code) - \(status.reasonPhrase)</body></html>", contentType: "text/html",
                         headers: retryAfter.map { [("Retry-After", "\($0)")] } ?? [])
        }, busy: { ms in .text(.internalServerError, SOAP.serverBusy(backOffMilliseconds: ms)) })
    }

    func ews(_ body: Data, mailbox: String, context: EmulatorRequestContext) async -> Response {
        guard let envelope = try? XMLTree.parse(body), envelope.name == "Envelope",
              let operation = envelope.child("Body")?.children.first else {
            return .text(.internalServerError, SOAP.fault(code: "ErrorSchemaValidation",
                                                          message: "The request failed schema validation: the SOAP envelope is malformed."))
        }
        let requested = envelope.path("Header", "RequestServerVersion")?.attr("Version")
        guard version.accepts(requestVersion: requested) else {
            return .text(.internalServerError, SOAP.fault(code: "ErrorInvalidServerVersion",
                                                          message: "The specified server version is invalid."))
        }
        return await guarded(operation.name, mailbox: mailbox, context: context) {
            do {
                let xml = try dispatch(operation, header: envelope.child("Header"), caller: mailbox)
                return .text(.ok, SOAP.envelope(version: version, body: xml))
            } catch let fault as SOAPFault {
                return .text(.internalServerError, SOAP.fault(code: fault.code, message: fault.message))
            } catch {
                return .text(.internalServerError, SOAP.fault(code: "ErrorInternalServerError", message: "\(error)"))
            }
        }
    }

    /// Runs one operation atomically on the mailbox it targets, with the caller's rights there.
    func dispatch(_ op: XNode, header: XNode?, caller: String) throws -> String {
        let v = version
        let route = try route(op, header: header, caller: caller)
        let result: String? = try store.with(route.target) { box in
            box.rights = route.rights
            defer { box.rights = .owner }
            switch op.name {
            case "GetFolder": return FolderOps.getFolder(op, &box, version: v)
            case "FindFolder": return FolderOps.findFolder(op, &box, version: v)
            case "CreateFolder": return FolderOps.createFolder(op, &box, version: v)
            case "FindItem": return ItemOps.findItem(op, &box, version: v)
            case "GetItem": return ItemOps.getItem(op, &box, version: v)
            case "CreateItem":
                for node in op.child("Items")?.children ?? [] where node.name == "Contact" { try ContactSchema.check(node) }
                return ItemOps.createItem(op, &box)
            case "UpdateItem":
                for change in op.child("ItemChanges")?.children ?? [] {
                    for update in change.child("Updates")?.children ?? [] {
                        for node in update.children where node.name == "Contact" { try ContactSchema.check(node) }
                    }
                }
                return UpdateItemOp.run(op, &box)
            case "DeleteItem": return ItemOps.deleteItem(op, &box)
            case "SyncFolderItems": return try SyncOp.run(op, &box, version: v)
            case "CreateAttachment": return try AttachmentOps.create(op, &box)
            case "GetAttachment": return AttachmentOps.get(op, &box)
            case "DeleteAttachment": return AttachmentOps.delete(op, &box)
            case "ConvertId": return convertId(op)
            default:
                throw SOAPFault(code: "ErrorInvalidRequest", message: "The request is invalid: the emulator does not implement \(op.name).")
            }
        }
        guard let result else { throw SOAPFault(code: "ErrorNonExistentMailbox", message: EWSError.nonExistentMailbox.text) }
        return result
    }

    /// ConvertId: ids are opaque here, so every id is reported malformed (exchangelib only uses it to probe versions).
    func convertId(_ op: XNode) -> String {
        var w = XMLWriter()
        w.response("ConvertId") { w in
            for _ in op.child("SourceIds")?.children ?? [] { w.failure("ConvertId", .idMalformed) }
        }
        return w.output
    }
}
