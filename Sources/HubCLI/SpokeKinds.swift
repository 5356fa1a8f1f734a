import ConnectorEWS
import ConnectorGraph
import HubServer
import SyncModel

/// The spoke kinds as the wizard offers them, with the words a non-technical admin reads.
enum SpokeKinds {
    static func all(googleConfigured: Bool, m365Configured: Bool = false, demo: [SpokeKind: SpokeForm]) -> [SpokeKindInfo] {
        [exchange, office365(signIn: m365Configured), directory, google(configured: googleConfigured), carddav, folder, caldav, icsFolder].map { info in
            var i = info
            if i.available { i.demo = demo[i.kind] }
            return i
        }
    }

    static let password = FormField(
        name: "password", label: "Password", type: .password, required: true,
        help: "Stored encrypted. You can change it later without setting the source up again.")

    /// On unless the admin turns it off for a self-signed server.
    static let verifyTLS = FormField(
        name: "verifyTLS", label: "Check the server's certificate", type: .checkbox,
        help: "Turn this off only for a server with a self-signed certificate, on a network you trust.")

    static let exchange = SpokeKindInfo(
        kind: .ews, name: "Exchange Server",
        summary: "A mailbox (your own, another user's or a shared one) or a public folder on your own Exchange Server "
            + "(2010 SP2, 2013, 2016, 2019 or Subscription Edition), "
            + "reached through Exchange Web Services.",
        fields: exchangeSource + [
            FormField(
                name: "email", label: "Email address", type: .email,
                help: "The mailbox's address. With it HubSync finds the server by itself (Autodiscover).",
                placeholder: "alex@contoso.com"),
            FormField(
                name: "user", label: "User name", required: true,
                help: "What you type to sign in to Outlook on the web: often DOMAIN\\name, or the email address.",
                placeholder: "CONTOSO\\alex"),
            password,
            FormField(
                name: "url", label: "Server",
                help: "Leave empty to find it from the email address. Otherwise the server's name (mail.contoso.com) "
                    + "or its full EWS address (https://mail.contoso.com/EWS/Exchange.asmx).",
                placeholder: "mail.contoso.com"),
            FormField(
                name: "version", label: "Exchange version", type: .select, required: true,
                help: "The version the server runs. Not sure? Keep 2016: if the server is older, HubSync says so.",
                choices: [
                    .init("2016", "Exchange 2016, 2019 and later"), .init("2013", "Exchange 2013"),
                    .init("2010sp2", "Exchange 2010 SP2"),
                ]),
            verifyTLS,
        ],
        // Bare names: a mapping names them as custom.NAME.
        customFields: EWSSpoke.customFields)

    /// The kind of Exchange source comes first: the account's own mailbox, another user's or a
    /// shared one (its address, and how the account may open it), or a public folder.
    static let exchangeSource = [
        FormField(
            name: "mailboxKind", label: "Kind of source", type: .select, required: true,
            help: "What this account opens: its own mailbox, another user's or a shared mailbox, or a contacts folder among the public folders.",
            choices: [
                .init("user", "User mailbox (the account's own)"), .init("other", "Another user's or a shared mailbox"),
                .init("public", "Public folder"),
            ]),
        FormField(
            name: "mailbox", label: "Mailbox to open", type: .email, required: true,
            help: "The address of the other user's or the shared mailbox.", placeholder: "sales@contoso.com",
            shownWhen: .init("mailboxKind", ["other"])),
        FormField(
            name: "access", label: "Access", type: .select, required: true,
            help: "Full Access or a folder permission is given by the mailbox's owner or an administrator; impersonation is "
                + "for a service account with the ApplicationImpersonation role.",
            choices: [.init("delegate", "Full access or delegate"), .init("impersonation", "Impersonation")],
            shownWhen: .init("mailboxKind", ["other"])),
    ]

    /// Sign in with Microsoft (when the server has an app registration), or app-only access to
    /// any mailbox of a tenant with the app's own id and secret.
    static func office365(signIn: Bool) -> SpokeKindInfo {
        let optional = signIn ? " Leave empty to sign in with Microsoft instead." : ""
        return SpokeKindInfo(
            kind: .graph, name: "Microsoft 365",
            summary: "Microsoft 365 and Exchange Online mailboxes, through Microsoft Graph. "
                + (signIn ? "Sign in with Microsoft for your own mailbox, or give " : "Give ")
                + "an app registration's tenant, id and secret to reach any mailbox of your organisation.",
            fields: [
                FormField(
                    name: "email", label: "Mailbox", type: .email, required: !signIn,
                    help: "App-only access: the mailbox to sync (its address)." + optional, placeholder: "alex@contoso.com"),
                FormField(
                    name: "tenant", label: "Tenant", required: !signIn,
                    help: "App-only access: your tenant's id or domain (contoso.onmicrosoft.com).", placeholder: "contoso.onmicrosoft.com"),
                FormField(
                    name: "clientID", label: "Application (client) id", required: !signIn,
                    help: "App-only access: the app registration in Entra ID, with the application permission "
                        + "Contacts.ReadWrite. An administrator grants it once for the whole organisation by opening "
                        + "https://login.microsoftonline.com/{tenant}/adminconsent?client_id={client id} and accepting."),
                FormField(
                    name: "clientSecret", label: "Client secret", type: .password, required: !signIn,
                    help: "App-only access: a client secret of that app registration. Stored encrypted."),
            ],
            signIn: signIn ? "microsoft" : nil, customFields: ConnectorGraph.GraphSpoke.customFields)
    }

    /// A tenant's users as a read-only source: the company directory for every mailbox.
    static let directory = SpokeKindInfo(
        kind: .directory, name: "Microsoft 365 directory",
        summary: "Your organisation's people from Entra ID (name, job title, department, office, phones, email, photo), "
            + "one-way into the hub: the company directory to put in every mailbox. Guests, disabled accounts and shared "
            + "or room mailboxes are left out.",
        fields: [
            FormField(
                name: "tenant", label: "Tenant", required: true,
                help: "Your tenant's id or domain (contoso.onmicrosoft.com).", placeholder: "contoso.onmicrosoft.com"),
            FormField(
                name: "clientID", label: "Application (client) id", required: true,
                help: "An app registration in Entra ID with the application permissions User.Read.All (and, to fill "
                    + "members' mailboxes, GroupMember.Read.All and Contacts.ReadWrite). An administrator grants them once by "
                    + "opening https://login.microsoftonline.com/{tenant}/adminconsent?client_id={client id} and accepting."),
            FormField(
                name: "clientSecret", label: "Client secret", type: .password, required: true,
                help: "A client secret of that app registration. Stored encrypted."),
        ])

    static func google(configured: Bool) -> SpokeKindInfo {
        SpokeKindInfo(
            kind: .google, name: "Google Contacts",
            summary: configured
                ? "A Google account's contacts. You sign in with Google: HubSync never sees the password."
                : "Not set up on this server yet: start `hubsync serve` with --google-client-id and "
                    + "--google-client-secret (or HUBSYNC_GOOGLE_CLIENT_ID and HUBSYNC_GOOGLE_CLIENT_SECRET), from an OAuth "
                    + "client of your Google Cloud project with the People API enabled.",
            available: configured, signIn: "google")
    }

    static let carddav = SpokeKindInfo(
        kind: .carddav, name: "CardDAV server",
        summary: "An address book on Nextcloud, iCloud, Fastmail, Radicale, Baïkal, SOGo or any other CardDAV server.",
        fields: [
            FormField(
                name: "url", label: "Server address", type: .url, required: true,
                help: "The server's address is enough: HubSync finds the address books there. "
                    + "An address book's own address works too.",
                placeholder: "https://cloud.example.com"),
            FormField(name: "user", label: "User name", required: true, help: "The name you sign in to the server with."),
            FormField(
                name: "password", label: "Password", type: .password, required: true,
                help: "For iCloud, Fastmail and Google, make an app password in the account's settings. Stored encrypted."),
            verifyTLS,
        ])

    static let folder = SpokeKindInfo(
        kind: .folder, name: "Folder of vCard files",
        summary: "A folder on the HubSync server with one .vcf file per contact: an export, a backup, "
            + "another program's drop folder.",
        fields: [
            FormField(
                name: "path", label: "Folder", required: true,
                help: "The full path of the folder on the server running HubSync. It is created when missing.",
                placeholder: "/srv/contacts/export")
        ])

    // The calendar kinds (a calendar hub's wizard offers these only).

    static let caldav = SpokeKindInfo(
        kind: .caldav, name: "CalDAV calendar",
        summary: "A calendar on Nextcloud, iCloud, Fastmail, Radicale, Baïkal, SOGo or any other CalDAV server.",
        fields: [
            FormField(
                name: "url", label: "Server address", type: .url, required: true,
                help: "The server's address is enough: HubSync finds the calendars there. A calendar's own address works too.",
                placeholder: "https://cloud.example.com"),
            carddav.fields[1], carddav.fields[2], verifyTLS,
        ])

    static let icsFolder = SpokeKindInfo(
        kind: .icsFolder, name: "Folder of .ics files",
        summary: "A folder on the HubSync server with one .ics file per event or series: an export, a backup, "
            + "another program's drop folder.",
        fields: [
            FormField(
                name: "path", label: "Folder", required: true,
                help: "The full path of the folder on the server running HubSync. It is created when missing.",
                placeholder: "/srv/calendars/team")
        ])
}
