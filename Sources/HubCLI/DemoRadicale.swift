import ConnectorHTTP
import Foundation
import Loopback

/// A local Radicale (the Python CardDAV server) for the web demo, when it is installed: its
/// storage in the demo directory, one user with a plain-text password, one address book filled
/// over CardDAV the way any client would.
final class DemoRadicale: Sendable {
    let server: ServerProcess
    let user: String
    let password: String

    var port: Int { server.port }
    var base: URL { URL(string: "http://127.0.0.1:\(port)/")! }
    var book: URL { base.appendingPathComponent("\(user)/contacts/") }
    var calendar: URL { base.appendingPathComponent("\(user)/calendar/") }

    /// Whether `python3 -m radicale` would run here (the project's virtual environment counts).
    static func available() -> Bool { Python.canImport(["radicale"]) }

    /// Starts it and waits until it accepts connections.
    init(directory: URL, user: String, password: String) async throws {
        do {
            server = try await ServerProcess.radicale(
                user: user, password: password, directory: directory, logLevel: "warning", startTimeout: .seconds(20))
        } catch let e as ServerError {
            throw CLIError("Radicale did not start: \(e)")
        }
        self.user = user
        self.password = password
    }

    func stop() { server.stop() }

    /// Makes the address book and PUTs the cards into it.
    func fill(_ cards: [(uid: String, vcard: String)]) async throws {
        let http = HTTPClient(transport: AHCTransport.shared(), auth: .basic(user: user, password: password))
        let mkcol = """
            <?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">\
            <D:set><D:prop><D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>\
            <D:displayname>Contacts</D:displayname></D:prop></D:set></D:mkcol>
            """
        let made = try await http.send(HTTPRequest(
            HTTPMethod(rawValue: "MKCOL"), book, headers: [("Content-Type", "application/xml")], body: Data(mkcol.utf8)))
        guard made.status == 201 else { throw CLIError("Radicale refused to make the address book (\(made.status))") }
        try await makeCalendar(http)
        for card in cards {
            let put = try await http.send(HTTPRequest(
                .put, book.appendingPathComponent(card.uid + ".vcf"), headers: [("Content-Type", "text/vcard; charset=utf-8")],
                body: Data(card.vcard.utf8)))
            guard put.isSuccess else { throw CLIError("Radicale refused a card (\(put.status))") }
        }
    }

    /// An empty calendar (extended MKCOL, RFC 5689) beside the address book: the calendar hub's
    /// CalDAV source, which its first sync fills.
    private func makeCalendar(_ http: HTTPClient) async throws {
        let mkcol = """
            <?xml version="1.0" encoding="utf-8"?><D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">\
            <D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype><D:displayname>Team</D:displayname>\
            <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>\
            </D:prop></D:set></D:mkcol>
            """
        let made = try await http.send(HTTPRequest(
            HTTPMethod(rawValue: "MKCOL"), calendar, headers: [("Content-Type", "application/xml")], body: Data(mkcol.utf8)))
        guard made.status == 201 else { throw CLIError("Radicale refused to make the calendar (\(made.status))") }
    }
}
