import ConnectorKit
import HubServer
import SyncModel

/// A connector's failure while a spoke is being set up, told to the admin next to the form
/// field to fix. The connectors say what went wrong (`ConnectorError.kind` and a message);
/// which input that is depends on the step, so it is decided here.
enum SetupFailure {
    /// `autodiscovering`: the Exchange server was being looked for from the email address.
    static func explain(_ error: any Error, kind: SpokeKind, autodiscovering: Bool = false) -> any Error {
        guard let e = error as? ConnectorError else { return error }
        // The server and request named, as everywhere an admin reads a connector's failure.
        let detail = sentence(e.description)
        // The directory signs in as the Microsoft 365 app does.
        let kind = kind == .directory ? SpokeKind.graph : kind
        switch e.kind {
        case .unauthorized where kind == .google:
            return SetupError(field: "signIn", "Google refused the sign-in. Sign in again. (\(e.message))")
        case .unauthorized where kind == .graph:
            return SetupError(field: "clientSecret", "Microsoft refused access: check the tenant, the client id and secret, "
                + "and that an administrator consented to the app's permissions. (\(e.message))")
        case .unauthorized where e.message.contains("Extended Protection"):
            // Over https a refused NTLM sign-in may be Extended Protection: the server's words
            // (PlainProblem) say both, and where.
            return SetupError(field: "password", detail)
        case .unauthorized:
            if e.message.contains("rejected the user name or password") {
                return SetupError(field: "password", "The server refused this user name and password.")
            }
            return SetupError(field: kind == .ews ? EWSSetup.blame(e.message) ?? "password" : "password", detail)
        case .misconfigured where e.message.contains("TLS certificate"):
            return SetupError(
                field: "url", "The server's TLS certificate is not trusted, so HubSync sends it no password. Check the "
                    + "address; for a server with a self-signed certificate on a network you trust, turn off "
                    + "\"\(SpokeKinds.verifyTLS.label)\". (\(e.message.split(separator: ";").first ?? ""))")
        case .misconfigured where kind == .ews && e.message.contains("Exchange version"):
            return SetupError(field: "version", "The server runs an older Exchange than the version chosen: pick an older one.")
        case .misconfigured where e.message.hasPrefix("Autodiscover"):
            return SetupError(field: "email", detail)
        case .misconfigured where kind == .ews && e.message.contains("Contacts folder"):
            return SetupError(field: "user", detail)
        case .misconfigured:
            return SetupError(field: kind == .google || kind == .graph ? nil : "url", detail)
        case .unavailable:
            return SetupError(field: kind == .google || kind == .graph ? nil : autodiscovering ? "email" : "url", detail)
        case .protocolViolation:
            let what = kind == .ews ? "an Exchange server" : kind == .carddav ? "a CardDAV server" : "the service"
            return SetupError(field: kind == .google || kind == .graph ? nil : "url", "This does not look like \(what): \(detail)")
        }
    }

    /// A connector message as a sentence on its own: capitalised, with a full stop.
    static func sentence(_ s: String) -> String {
        guard let first = s.first else { return s }
        let body = first.uppercased() + s.dropFirst()
        return body.hasSuffix(".") ? body : body + "."
    }
}
