import Foundation

/// https and Extended Protection, as Exchange 2019 CU14 and Subscription Edition ship them.
extension EWSEmulator {
    /// Extended Protection (off by default): NTLM sign-ins must be bound to this server's TLS
    /// certificate and carry a MIC, else they get the 401 of a wrong password. Only over https;
    /// turned on over plain http it refuses every NTLM sign-in (no binding can match).
    public var extendedProtection: Bool {
        get { authenticator.extendedProtection != nil }
        set { authenticator.extendedProtection = newValue ? (endPoint.withLock { $0 } ?? []) : nil }
    }

    /// Extended Protection expecting the binding of another certificate: what the server sees
    /// behind a proxy that ends TLS with its own certificate.
    public func extendedProtection(behindProxyWithCertificateHash hash: [UInt8]) {
        authenticator.extendedProtection = hash
    }

    /// Records the certificate served (nil: plain http), keeping Extended Protection bound to it.
    func serving(_ tls: EmulatorTLS?) throws {
        let hash = try tls?.endPointHash()
        endPoint.withLock { $0 = hash }
        if extendedProtection { authenticator.extendedProtection = hash ?? [] }
    }
}
