import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import ConnectorKit
import ConnectorMemory
import HubServer
import SyncModel
import SyncStore
import Testing

/// A provider of memory spokes: "password" must be "secret"; each folder id is one shared
/// memory address book. Google-style sign-in answers code "good".
final class TestProvider: SpokeProvider {
    let books = Mutex<[String: MemorySpoke]>([:])
    let calendars = Mutex<[String: MemoryItemSpoke<Event>]>([:])

    func calendar(_ id: String) -> MemoryItemSpoke<Event> {
        calendars.withLock { all in
            if let c = all[id] { return c }
            let c = MemoryItemSpoke<Event>(name: id)
            all[id] = c
            return c
        }
    }

    func book(_ id: String) -> MemorySpoke {
        books.withLock { all in
            if let b = all[id] { return b }
            let b = MemorySpoke(name: id)
            all[id] = b
            return b
        }
    }

    var kinds: [SpokeKindInfo] {
        [
            SpokeKindInfo(
                kind: .carddav, name: "Address book", summary: "a test book",
                fields: [FormField(name: "password", label: "Password", type: .password, required: true)],
                customFields: ["X-REGION"]),
            SpokeKindInfo(
                kind: .caldav, name: "Calendar", summary: "a test calendar",
                fields: [FormField(name: "password", label: "Password", type: .password, required: true)]),
            SpokeKindInfo(kind: .google, name: "Google", summary: "sign in", signIn: "google"),
            SpokeKindInfo(kind: .graph, name: "Office 365", summary: "coming", available: false),
        ]
    }

    func discover(_ kind: SpokeKind, _ form: SpokeForm) async throws -> Discovery {
        if kind == .google {
            guard form.signedIn?["token"] != nil else { throw SetupError(field: "signIn", "sign in first") }
            return Discovery(account: "pat@example.com", folders: [SourceFolder(id: "g", name: "All contacts", isDefault: true)])
        }
        guard form.password == "secret" else { throw SetupError(field: "password", "the server refused this user name and password") }
        if kind == .caldav {
            return Discovery(endpoint: "memory://", folders: [
                SourceFolder(id: "c", name: "Calendar C", isDefault: true), SourceFolder(id: "d", name: "Calendar D"),
            ])
        }
        return Discovery(endpoint: "memory://", folders: [
            SourceFolder(id: "a", name: "Book A", count: book("a").count, isDefault: true),
            SourceFolder(id: "b", name: "Book B", count: book("b").count),
        ])
    }

    func settings(_ kind: SpokeKind, _ form: SpokeForm, folder: String?) async throws -> [String: String] {
        let found = try await discover(kind, form)
        let id = folder ?? found.folders[0].id
        guard found.folders.contains(where: { $0.id == id }) else { throw SetupError(field: "folder", "no folder \(id)") }
        return ["book": id, "password": "sealed:" + (form.password ?? "")].merging(form.signedIn ?? [:]) { a, _ in a }
    }

    func changingPassword(_ spoke: SpokeConfig, to password: String) throws -> [String: String] {
        spoke.settings.merging(["password": "sealed:" + password]) { _, b in b }
    }

    func connector(for spoke: SpokeConfig) throws -> any SpokeConnector {
        guard let id = spoke.settings["book"] else { throw ConnectorError(.misconfigured, "no book") }
        if id == "broken" { throw ConnectorError(.unauthorized, "the stored password no longer works") }
        return book(id)
    }

    /// When set, every calendar's pull waits at this gate (tests of passes running at once).
    let gate = Mutex<PassGate?>(nil)

    func calendarConnector(for spoke: SpokeConfig) throws -> any ItemConnector<Event> {
        guard let id = spoke.settings["book"] else { throw ConnectorError(.misconfigured, "no calendar") }
        if let gate = gate.withLock({ $0 }) { return GatedCalendar(inner: calendar(id), gate: gate) }
        return calendar(id)
    }

    func beginSignIn(_ kind: SpokeKind, redirectURI: URL, state: String) throws -> (url: URL, verifier: String) {
        (URL(string: "https://accounts.example/auth?state=\(state)&redirect_uri=\(redirectURI.absoluteString)")!, "verifier-\(state)")
    }

    func finishSignIn(_ kind: SpokeKind, code: String, verifier: String, redirectURI: URL) async throws
        -> (settings: [String: String], account: String?)
    {
        guard code == "good", verifier.hasPrefix("verifier-") else { throw SetupError("the code was refused") }
        return (["token": "sealed-refresh", "book": "g"], "pat@example.com")
    }

    func describe(_ spoke: SpokeConfig) -> [String: String] {
        spoke.settings.filter { ["book", "receiveOnly", "paused"].contains($0.key) }
    }
}

/// The clock tests move.
final class TestClock: Sendable {
    private let now_ = Mutex(Date(timeIntervalSinceReferenceDate: 800_000_000))
    var now: Date { now_.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { now_.withLock { $0 += seconds } }
    var clock: @Sendable () -> Date { { self.now } }
}

struct Answer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    var setCookies: [String] { headers[values: .setCookie] }
}

/// A browser-like client of the API: keeps cookies and sends the CSRF token it was given.
final class Client: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf: String?
    var sendCSRF = true
    /// Sent as X-Forwarded-For: the client's address behind a trusted proxy (`Fixture(proxied:)`).
    var peer: String?

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil, form: [(String, String)]? = nil,
              headers extra: HTTPFields = [:]) async throws -> Answer {
        var headers = extra
        if let peer { headers[HTTPFields.Element.Name("X-Forwarded-For")!] = peer }
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if sendCSRF, let csrf, ![.get, .head].contains(method) { headers[HTTPFields.Element.Name("X-CSRF-Token")!] = csrf }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            let allowed = CharacterSet.alphanumerics
            body = ByteBuffer(string: form.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
            }.joined(separator: "&"))
        }
        let r = try await client.execute(uri: path, method: method, headers: headers, body: body)
        for c in r.headers[values: .setCookie] {
            let pair = c.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty || c.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
        let answer = Answer(status: r.status, headers: r.headers, body: String(buffer: r.body))
        if let token = answer.object["csrf"] as? String { csrf = token }
        return answer
    }

    /// Makes the first admin and signs in.
    func setUp(user: String = "admin", password: String = "correct horse") async throws {
        let r = try await call(.post, "/api/setup", json: ["user": user, "password": password, "setupToken": Fixture.setupCode])
        // A failed setup fails the test, never the whole test process.
        try #require(r.status == .created, "setup: \(r.status) \(r.body)")
    }
}

struct Fixture {
    static let setupCode = "test-code-2345"
    let store = MemoryStore()
    let provider = TestProvider()
    let clock = TestClock()
    let app: HubApp

    /// `proxied`: behind a trusted proxy, so each client's `peer` is its address.
    init(proxied: Bool = false, maxPasses: Int = 8) {
        var settings = HubApp.Settings(bcryptCost: 4, scheduler: false, setupToken: Self.setupCode, trustedProxies: proxied ? ["unknown"] : [])
        settings.maxPasses = maxPasses
        app = HubApp(
            store: store, provider: provider,
            settings: settings,
            clock: clock.clock,
            sleep: { _ in })
    }

    func run<T>(_ body: @Sendable (Client) async throws -> T) async throws -> T { try await Self.run(app, body) }

    /// Any app, through the router.
    static func run<T>(_ app: HubApp, _ body: @Sendable (Client) async throws -> T) async throws -> T {
        try await Application(router: app.router()).test(.router) { client in try await body(Client(client)) }
    }

    /// A second browser on the same server.
    func newClient(like c: Client) -> Client { Client(c.client) }
}

/// Counts the pulls in flight and holds each until the test opens the gate.
actor PassGate {
    private(set) var inFlight = 0
    private(set) var most = 0
    private(set) var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var open = false

    func pass() async {
        inFlight += 1
        arrived += 1
        most = max(most, inFlight)
        if !open { await withCheckedContinuation { waiting.append($0) } }
        inFlight -= 1
    }

    func openAll() {
        open = true
        for w in waiting { w.resume() }
        waiting = []
    }
}

/// A memory calendar whose pulls wait at a `PassGate`.
struct GatedCalendar: ItemConnector {
    let inner: MemoryItemSpoke<Event>
    let gate: PassGate
    var capabilities: Set<EventField>? { inner.capabilities }
    var maxBatch: Int { inner.maxBatch }
    func pull(since cursor: SpokeCursor?, page: PageToken?) async throws -> ItemPullPage<Event> {
        await gate.pass()
        return try await inner.pull(since: cursor, page: page)
    }
    func write(_ ops: [ItemWriteOp<Event>]) async throws -> [WriteOutcome] { try await inner.write(ops) }
    func fetch(_ id: RemoteID) async throws -> Remote<Event>? { try await inner.fetch(id) }
    func find(marker: CreateMarker) async throws -> Remote<Event>? { try await inner.find(marker: marker) }
}
