import ConnectorGraph
import ArgumentParser
import Foundation
import HubServer
import Synchronization
import SyncModel
import SyncStore
import Testing
import TestSupport
@testable import HubCLI

/// `hubsync demo` (the web app with local sources) and `hubsync tour` (the terminal one).
@Suite struct WebDemoTests {
    /// The command as a user runs it: it prints the address and a login that signs in, and
    /// stops when cancelled (as on Ctrl-C).
    @Test func demoPrintsALoginThatWorks() async throws {
        let cli = try CLI()
        let output = Mutex("")
        let console = Console(isTerminal: false) { s in output.withLock { $0 += s } }
        let run = Task {
            try await Console.$current.withValue(console) {
                let command = try HubSyncCommand.parseAsRoot(
                    ["demo", "--port", "0", "--contacts", "8", "--dir", cli.dir.appendingPathComponent("demo").path])
                guard var demo = command as? AsyncParsableCommand else { return }
                try await demo.run()
            }
        }
        defer { run.cancel() }
        // Started with every other suite at once, the demo's first syncs (three hubs, four
        // servers) wait for the machine: a deadline of a first start on a busy machine.
        let text = try await waitFor("Ctrl-C stops the demo", in: { output.withLock { $0 } }, seconds: 360)
        let url = try #require(text.firstMatch(of: /open (http:\/\/127\.0\.0\.1:\d+\/)/)?.1).description
        let password = try #require(text.firstMatch(of: /password: (\S+)/)?.1).description
        #expect(text.contains("user:     admin"))
        // A first start takes a while: it says what it is doing.
        #expect(text.contains("… starting the Exchange and Google stand-ins"), "\(text)")
        #expect(text.contains("Exchange Server") && text.contains("Google Contacts") && text.contains("CardDAV server"))
        #expect(text.contains("… starting the Microsoft 365 stand-in"), "\(text)")
        #expect(text.contains("Microsoft 365: tenant contoso.example with 3 mailboxes"), "\(text)")
        // The company-directory hub is made and synced before the banner: 10 people, 3 mailboxes.
        #expect(text.contains("first sync: 10 people into the hub, 30 contacts written to the mailboxes"), "\(text)")

        let login = #"{"user":"admin","password":"\#(password)"}"#
        let answer = try curl(["-w", "\n%{http_code}", "-H", "Content-Type: application/json", "--data", login, url + "api/session"])
        #expect(answer.hasSuffix("\n200"), "\(answer)")
        #expect(answer.contains("\"csrf\""))
        let refused = try curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
                                "--data", #"{"user":"admin","password":"not-the-one"}"#, url + "api/session"])
        #expect(refused == "401")
        let page = try curl(["-o", "/dev/null", "-w", "%{http_code}", url])
        #expect(page == "303" || page == "200")

        run.cancel()
        _ = await run.result
    }

    /// Each kind's demo values pass the wizard's live check against the demo's own sources.
    @Test func demoFormsReachTheSources() async throws {
        let cli = try CLI()
        let options = WebDemo.Options(
            directory: cli.dir.appendingPathComponent("demo"), port: 0, contacts: 8, bcryptCost: 4, googleConsentPage: false,
            microsoftConsentPage: false)
        try await withResource({ try await WebDemo.prepare(options) }, close: { await $0.shutdown() }) { demo in
            try await checkForms(demo)
            try await checkTenant(demo)
            try await checkCalendar(demo)
        }
    }

    /// The Microsoft 365 tenant: the company directory reached every member's mailbox before the
    /// demo started, and the wizard's Microsoft 365 forms reach the tenant.
    private func checkTenant(_ demo: WebDemo) async throws {
        let (hub, run) = demo.companyHub
        #expect(run.status == .succeeded, "\(run.errors)")
        let spokes = try demo.provider.context.store.spokes(hub: hub.id)
        #expect(spokes.filter { $0.kind == .directory }.count == 1)
        #expect(spokes.filter { $0.kind == .graph }.count == 3)
        #expect(try demo.provider.groupMailboxes(hub: hub.id).first?.members.count == 3)
        let listed = Set(demo.tenant.listed.map { $0.lowercased() })
        #expect(listed.count == 10)
        for user in demo.tenant.users {
            let folder = try demo.tenant.directoryFolder(of: user.upn)
            let mails = Set(folder.flatMap(\.emails).map { $0.lowercased() })
            #expect(folder.count == listed.count && mails == listed, "\(user.upn): \(mails.sorted())")
        }
        // Their own contacts stay where they were.
        #expect(try demo.microsoft.contacts(in: demo.tenant.users[0].upn).count >= 3)

        let kinds = demo.provider.kinds
        for kind in [SpokeKind.graph, .directory] {
            let info = try #require(kinds.first { $0.kind == kind })
            #expect(info.available && info.demo == demo.forms[kind], "\(kind)")
        }
        let directory = try await demo.provider.discover(.directory, try #require(demo.forms[.directory]))
        #expect(!directory.folders.isEmpty)
        let mailbox = try await demo.provider.discover(.graph, try #require(demo.forms[.graph]))
        #expect(mailbox.folders.contains { $0.name == "Contacts/\(GraphFolders.defaultName)" }, "\(mailbox.folders.map(\.name))")
        #expect(mailbox.account == demo.tenant.users[0].upn)
    }

    /// The calendar hub: the .ics folder holding the demo's series and Radicale's calendar.
    private func checkCalendar(_ demo: WebDemo) async throws {
        let (hub, series, run) = demo.calendarHub
        #expect(hub.objectKind == .calendar && series == 7)
        let store = demo.provider.context.store
        let spokes = try store.spokes(hub: hub.id)
        #expect(spokes.map(\.kind) == (DemoRadicale.available() ? [.icsFolder, .caldav] : [.icsFolder]))
        #expect(spokes.first.map { demo.provider.describe($0)["path"] ?? "" }?.hasSuffix("team-calendar") == true)
        // Synced once: every series in the hub and in each source (Radicale's calendar got them all).
        #expect(run.status == .succeeded, "\(run.errors)")
        #expect(try store.liveItems(Event.self, hub: hub.id).count == series)
        for spoke in spokes {
            #expect(try store.linkCount(hub: hub.id, spoke: spoke.id) == series, "\(spoke.name)")
        }
        if let caldav = spokes.first(where: { $0.kind == .caldav }) {
            #expect(run.stats[caldav.id]?.pushedCreates == series)
            let listed = try await listAllEvents(try demo.provider.calendarConnector(for: caldav))
            #expect(Set(listed.map(\.item.uid)) == Set(DemoCalendar.events(today: DemoCalendarHub.today()).map(\.uid)))
        }
    }

    private func checkForms(_ demo: WebDemo) async throws {
        let provider = demo.provider
        let kinds = provider.kinds
        #expect(kinds.first { $0.kind == .google }?.available == true)
        // (CardDAV when Radicale is installed, as script/bootstrap makes sure.)
        for kind in [SpokeKind.ews, .carddav, .folder, .caldav, .icsFolder]
        where ![.carddav, .caldav].contains(kind) || DemoRadicale.available() {
            let form = try #require(demo.forms[kind], "\(kind)")
            #expect(kinds.first { $0.kind == kind }?.demo == form)
            let found = try await provider.discover(kind, form)
            #expect(found.folders.contains { $0.isDefault }, "\(kind)")
        }
        let exchange = try await provider.discover(.ews, try #require(demo.forms[.ews]))
        #expect(exchange.folders.map(\.name) == ["Contacts", "Contacts/Suppliers"])
        #expect(exchange.folders.first?.count == 8)
        // Autodiscover from the email alone.
        var byEmail = try #require(demo.forms[.ews])
        byEmail.url = nil
        #expect(try await provider.discover(.ews, byEmail).endpoint == exchange.endpoint)
        #expect(try demo.google.contacts(in: WebDemo.googleAccount).count == 6)
    }
}

@Suite struct TourTests {
    @Test func tourRunsToTheEnd() async throws {
        let cli = try CLI()
        let r = await cli.run(["tour", "--dir", cli.dir.appendingPathComponent("tour").path, "--contacts", "16"])
        #expect(r.error == nil, "\(r.error.map { "\($0)" } ?? "")")
        #expect(r.output.contains("conflict on title"))
        #expect(r.output.contains("Hub: "))
        #expect(r.output.contains("export HUBSYNC_DB="))
    }
}

/// Polls what was printed until it contains `marker` (a deadline, not a sleep of a guessed length).
func waitFor(_ marker: String, in output: () -> String, seconds: Int = 120) async throws -> String {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        let text = output()
        if text.contains(marker) { return text }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw ServerError("no '\(marker)' after \(seconds) s; printed:\n\(output())")
}
