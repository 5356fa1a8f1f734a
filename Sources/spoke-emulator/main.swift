import Emulators
import Foundation

// spoke-emulator: an EWS server on loopback with a seeded mailbox, and with --people-port a
// People API server with a seeded Google account, and with --graph-port a Microsoft Graph server
// with a seeded tenant, for manual tests and demos.
//   swift run spoke-emulator --port 0 --user ann --password secret --email ann@example.com --contacts 25 --auth basic,ntlm
//   swift run spoke-emulator --people-port 0 --client-id demo --client-secret demo-secret
//   swift run spoke-emulator --graph-port 0 --client-id demo --client-secret demo-secret

func usage() -> Never {
    print("""
    usage: spoke-emulator [--port N] [--user U] [--password P] [--email E] [--domain D]
                          [--contacts N] [--auth basic,ntlm] [--version 2010sp2|2013|2013sp1|2016|2019] [--token T]
                          [--people-port N] [--client-id ID] [--client-secret S] [--graph-port N]
                          [--tls-cert PEM --tls-key PEM [--extended-protection on]]
    """)
    exit(2)
}

var options: [String: String] = [:]
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
    guard arg.hasPrefix("--") else { usage() }
    if arg == "--help" { usage() }
    guard let value = args.popFirst() else { usage() }
    options[String(arg.dropFirst(2))] = value
}

let versions: [String: ExchangeVersion] = ["2010sp2": .exchange2010SP2, "2013": .exchange2013, "2013sp1": .exchange2013SP1,
                                           "2016": .exchange2016, "2019": .exchange2019]
guard let version = versions[(options["version"] ?? "2016").lowercased()] else { usage() }
var schemes: AuthSchemes = []
for name in (options["auth"] ?? "basic,ntlm").lowercased().split(separator: ",") {
    switch name {
    case "basic": schemes.insert(.basic)
    case "ntlm": schemes.insert(.ntlm)
    default: usage()
    }
}
let user = options["user"] ?? "user"
let email = options["email"] ?? "\(user)@example.com"
let emulator = EWSEmulator(version: version, auth: schemes)
emulator.addMailbox(email: email, user: user, password: options["password"] ?? "password", domain: options["domain"] ?? "EXAMPLE")
if let token = options["token"] { emulator.addBearerToken(token, for: email) }
if let n = Int(options["contacts"] ?? "0"), n > 0 { try emulator.seedContacts(n, in: email) }
// The other kinds of Exchange source: a shared mailbox the user has Full Access to, and public
// folders (a contacts folder everyone may write, one they may only read).
let shared = "shared@" + (email.split(separator: "@").last.map(String.init) ?? "example.com")
emulator.addMailbox(email: shared, user: "shared", password: UUID().uuidString, domain: options["domain"] ?? "EXAMPLE")
try emulator.grantFullAccess(to: email, on: shared)
let partners = try emulator.addPublicFolder(
    named: "Partners", parent: try emulator.addPublicFolder(named: "Company", contacts: false, everyone: .reviewer).id)
let priceList = try emulator.addPublicFolder(named: "Price list", everyone: .reviewer)
if let n = Int(options["contacts"] ?? "0"), n > 0 {
    try emulator.seedContacts(n, in: shared)
    for folder in [partners, priceList] { try emulator.seedContacts(n, in: EWSEmulator.publicFolders, folder: folder.id) }
}

// https with --tls-cert/--tls-key; then --extended-protection on binds NTLM to the certificate.
let tls = options["tls-cert"].map { EmulatorTLS(certificateFile: $0, keyFile: options["tls-key"] ?? $0) }
let url = try await emulator.start(port: Int(options["port"] ?? "0") ?? 0, tls: tls)
emulator.extendedProtection = tls != nil && options["extended-protection"] == "on"
let banner = """
EWS emulator (\(version.rawValue), auth \([schemes.contains(.ntlm) ? "ntlm" : nil, schemes.contains(.basic) ? "basic" : nil].compactMap { $0 }.joined(separator: ",")))
service URL: \(url.absoluteString)\(emulator.extendedProtection ? " (Extended Protection on)" : "")
autodiscover: \(emulator.autodiscoverURL!.absoluteString)
mailbox: \(email)
shared mailbox: \(shared) (Full Access for \(email)); public folders: Company/Partners, Price list (read-only)

"""
FileHandle.standardOutput.write(Data(banner.utf8))

// The People API: the same account and seed count, signed in with the OAuth client given.
if let peoplePort = options["people-port"].flatMap({ Int($0) }) {
    let people = PeopleEmulator()
    let clientID = options["client-id"] ?? "spoke-emulator"
    let secret = options["client-secret"] ?? "spoke-emulator-secret"
    people.addAccount(email: email, clientID: clientID, clientSecret: secret)
    if let n = Int(options["contacts"] ?? "0"), n > 0 { try people.seedContacts(n, in: email) }
    let base = try await people.start(port: peoplePort)
    FileHandle.standardOutput.write(Data("""
    People API emulator: \(base.absoluteString) (OAuth client \(clientID) / \(secret), account \(email))
    sign in: hubsync spoke add HUB --name Google --kind google --google-endpoint \(base.absoluteString) --client-id \(clientID) --client-secret \(secret)

    """.utf8))
}
// Microsoft Graph: a tenant with three mailbox users, a group of them, a directory, and the
// same seed count of contacts per mailbox (3 when --contacts is not given).
if let graphPort = options["graph-port"].flatMap({ Int($0) }) {
    let graph = GraphEmulator()
    let clientID = options["client-id"] ?? "spoke-emulator"
    let secret = options["client-secret"] ?? "spoke-emulator-secret"
    graph.addApp(clientID: clientID, secret: secret)
    let (users, group) = try graph.seedDemoTenant(contactsPerUser: Int(options["contacts"] ?? "3") ?? 3)
    try graph.seedDemoDirectory()
    try await graph.start(port: graphPort)
    let authority = graph.authorityURL!.absoluteString, api = graph.graphURL!.absoluteString
    FileHandle.standardOutput.write(Data("""
    Microsoft Graph emulator: \(api) (authority \(authority), tenant \(graph.tenantID), app \(clientID) / \(secret))
    mailboxes: \(users.map(\.upn).joined(separator: ", ")); group "All Company" \(group)
    add: hubsync spoke add HUB --name M365 --kind m365 --tenant \(graph.tenantID) --client-id \(clientID) --client-secret \(secret) --mailbox \(users[0].upn) --authority-url \(authority) --graph-url \(api)
    directory: hubsync spoke add HUB --name Directory --kind m365-directory --tenant \(graph.tenantID) --client-id \(clientID) --client-secret \(secret) --authority-url \(authority) --graph-url \(api)
    group: hubsync spoke add-group HUB --group "All Company" --tenant \(graph.tenantID) --client-id \(clientID) --client-secret \(secret) --authority-url \(authority) --graph-url \(api)

    """.utf8))
}
while true { try await Task.sleep(for: .seconds(3600)) }
