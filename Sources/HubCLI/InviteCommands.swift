import ArgumentParser
import Foundation
import HubServer
import Mail
import SyncStore

/// `hubsync invite`: links that let a person connect their own Google (or Microsoft) account.
struct InviteGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite", abstract: "Invite a person to connect their own Google account: create, list, revoke.",
        discussion: """
            The invited person opens the link (served by `hubsync serve`), reads which organisation asks for what \
            access, and signs in with the invited account. Once they have, the account can be added as a spoke \
            in the wizard; they can take the access back from the same link.
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a one-time link (printed once), and mail it when mail is set up.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "google (or microsoft, with Sign in with Microsoft set up on the server).") var kind = "google"
        @Option(help: "The invited person's address: only that account may accept.") var email: String
        @Option(help: "How long the link works: 7d, 12h, 30m (default 7d).") var expiresIn = "7d"
        @Option(help: "The address browsers reach `hubsync serve` at (default http://127.0.0.1:8080).")
        var publicUrl = "http://127.0.0.1:8080"
        @OptionGroup var mail: MailOptions

        func run() async throws {
            guard let kind = InvitationKind(rawValue: kind) else { throw CLIError("--kind is google or microsoft") }
            guard let lifetime = InvitationService.lifetime(expiresIn) else { throw CLIError("--expires-in takes 7d, 12h or 30m") }
            guard let base = URL(string: publicUrl), base.host != nil else { throw CLIError("--public-url \(publicUrl) is not a URL") }
            let transport = try mail.transport()
            let store = try global.openStore()
            let service = InvitationService(store: store)
            let organisation = mail.organisation ?? base.host ?? "HubSync"
            let (invitation, token): (Invitation, String)
            do {
                (invitation, token) = try service.create(
                    kind: kind, email: email, organisation: organisation, by: NSUserName(), lifetime: lifetime)
            } catch let e as SetupError {
                throw CLIError(e.message)
            }
            let link = InvitationService.link(base: publicUrl, token: token)
            Console.line("invitation \(invitation.id) for \(invitation.email) (\(kind.providerName)), until \(Self.shown(invitation.expiresAt))")
            Console.line("link (shown only now; it works once): \(link)")
            guard let transport else { return Console.line("not mailed (no --smtp-url or --sendmail): send the link yourself") }
            let message = InvitationMail.message(invitation, link: link, from: mail.from(base))
            do {
                try await transport.send(message)
                Console.line("mailed to \(invitation.email) through \(transport)")
            } catch {
                throw CLIError("the invitation exists, but the mail was not sent: \(error); send the link yourself")
            }
        }

        static func shown(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List invitations: pending, accepted, expired, revoked.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let service = InvitationService(store: try global.openStore())
            let all = try service.list()
            guard !all.isEmpty else { return Console.line("no invitations yet: hubsync invite create --email ADDRESS") }
            var rows = [["ID", "KIND", "EMAIL", "STATUS", "ACCOUNT", "EXPIRES"]]
            for i in all {
                rows.append([i.id, i.kind.rawValue, i.email, service.status(i).rawValue, i.account ?? "", Create.shown(i.expiresAt)])
            }
            Console.line(table(rows))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an invitation: its link stops working, the account's tokens are deleted, spokes using it pause.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The invitation's id (hubsync invite list).") var id: String

        func run() async throws {
            let store = try global.openStore()
            guard let revoked = try InvitationService(store: store).revoke(id: id, by: .admin) else {
                throw CLIError("no invitation \(id) (hubsync invite list)")
            }
            Console.line("invitation \(revoked.id) for \(revoked.email) revoked")
            // Revoking again pauses what a running sync kept this time from pausing.
            for hub in try store.hubs() {
                for spoke in try store.spokes(hub: hub.id) {
                    guard let paused = InvitationService.paused(spoke, by: revoked) else { continue }
                    try HubLock.exclusive(database: global.databasePath, hub: hub.id) { try store.saveSpoke(paused) }
                    Console.line("spoke \(spoke.id) of hub \(hub.id) paused")
                }
            }
        }
    }
}

/// Outgoing mail for invitations (`invite create`, `serve`).
struct MailOptions: ParsableArguments {
    @Option(help: "Send invitation mail through this SMTP server: smtp://host:port (plain SMTP, no password).")
    var smtpUrl: String?
    @Option(help: "Or through a sendmail-compatible command reading the message on its input, e.g. \"/usr/sbin/sendmail -t\".")
    var sendmail: String?
    @Option(help: "The mail's sender (default: hubsync@ the public address's host).") var mailFrom: String?
    @Option(help: "The organisation invited people read as asking for access (default: the server's name).")
    var organisation: String?

    func transport() throws -> MailTransport? {
        do {
            switch (smtpUrl, sendmail) {
            case (nil, nil): return nil
            case (let url?, nil): return try .smtp(url: url)
            case (nil, let command?): return try .sendmail(command: command)
            case (_?, _?): throw CLIError("give --smtp-url or --sendmail, not both")
            }
        } catch let e as MailError {
            throw CLIError(e.description)
        }
    }

    func from(_ base: URL?) -> String { mailFrom ?? "HubSync <hubsync@\(base?.host ?? "localhost")>" }
}
