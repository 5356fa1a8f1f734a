import AsyncHTTPClient
import Emulators
import Foundation
import Testing

/// A running emulator with one mailbox (ann@example.com / ann / secret).
struct EWSFixture {
    static let email = "ann@example.com", user = "ann", password = "secret"
    let emulator: EWSEmulator
    let url: URL

    static func start(version: ExchangeVersion = .exchange2016, auth: AuthSchemes = .all) async throws -> EWSFixture {
        let emulator = EWSEmulator(version: version, auth: auth)
        emulator.addMailbox(email: email, user: user, password: password, domain: "EXAMPLE")
        let url = try await emulator.start()
        return EWSFixture(emulator: emulator, url: url)
    }

    static var basicAuth: String { "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }

    /// POSTs a SOAP body (the operation element) with a RequestServerVersion header.
    func soap(_ operation: String, version: String = "Exchange2016", authorization: String? = basicAuth) async throws -> HTTPResult {
        try await post(url, body: Self.envelope(operation, version: version), authorization: authorization)
    }

    static func envelope(_ operation: String, version: String = "Exchange2016") -> String {
        """
        <?xml version="1.0" encoding="utf-8"?>
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" \
        xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" \
        xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types">
        <s:Header><t:RequestServerVersion Version="\(version)"/></s:Header>
        <s:Body>\(operation)</s:Body></s:Envelope>
        """
    }
}

struct HTTPResult {
    var status: Int
    var headers: [(String, String)]
    var body: String
    func header(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
    /// The parsed SOAP body's first element (e.g. m:GetItemResponse).
    func xml() throws -> XNode { try XMLTree.parse(Data(body.utf8)) }
    /// All ResponseMessages elements' (ResponseClass, ResponseCode).
    func responseCodes() throws -> [(String, String)] {
        let root = try xml()
        guard let messages = root.child("Body")?.children.first?.child("ResponseMessages") else { return [] }
        return messages.children.map { ($0.attr("ResponseClass") ?? "", $0.childText("ResponseCode") ?? "") }
    }
}

func post(_ url: URL, body: String, authorization: String?, headers: [(String, String)] = []) async throws -> HTTPResult {
    var request = HTTPClientRequest(url: url.absoluteString)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "text/xml; charset=utf-8")
    if let authorization { request.headers.add(name: "Authorization", value: authorization) }
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    request.body = .bytes(Array(body.utf8))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    var text = ""
    for try await chunk in response.body { text += String(decoding: chunk.readableBytesView, as: UTF8.self) }
    return HTTPResult(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: text)
}

extension XNode {
    /// All descendants with a local name, depth-first.
    func findAll(_ name: String) -> [XNode] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.findAll(name) }
    }
}

/// SOAP snippets used by several tests.
enum Ops {
    static func createContact(given: String, surname: String, email: String? = nil, extra: String = "") -> String {
        """
        <m:CreateItem><m:SavedItemFolderId><t:DistinguishedFolderId Id="contacts"/></m:SavedItemFolderId><m:Items>
        <t:Contact>\(extra)<t:GivenName>\(given)</t:GivenName>\
        \(email.map { "<t:EmailAddresses><t:Entry Key=\"EmailAddress1\">\($0)</t:Entry></t:EmailAddresses>" } ?? "")\
        <t:Surname>\(surname)</t:Surname></t:Contact></m:Items></m:CreateItem>
        """
    }

    static func sync(state: String?, max: Int, folder: String = "<t:DistinguishedFolderId Id=\"contacts\"/>") -> String {
        """
        <m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>
        <m:SyncFolderId>\(folder)</m:SyncFolderId>\(state.map { "<m:SyncState>\($0)</m:SyncState>" } ?? "")\
        <m:MaxChangesReturned>\(max)</m:MaxChangesReturned><m:SyncScope>NormalItems</m:SyncScope></m:SyncFolderItems>
        """
    }

    static func getItem(_ ids: [String], shape: String = "AllProperties", additional: String = "") -> String {
        """
        <m:GetItem><m:ItemShape><t:BaseShape>\(shape)</t:BaseShape>\
        \(additional.isEmpty ? "" : "<t:AdditionalProperties>\(additional)</t:AdditionalProperties>")</m:ItemShape>\
        <m:ItemIds>\(ids.map { "<t:ItemId Id=\"\($0)\"/>" }.joined())</m:ItemIds></m:GetItem>
        """
    }
}
