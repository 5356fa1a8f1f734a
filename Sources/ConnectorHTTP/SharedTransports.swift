import Synchronization

extension AHCTransport {
    private static let pool = Mutex<[TLSSettings: AHCTransport]>([:])

    /// One transport per TLS setting for the life of the process. Connection pools are worth
    /// sharing between spokes, and an AsyncHTTPClient must be shut down before it goes away,
    /// which these never do.
    public static func shared(tls: TLSSettings = .init()) -> AHCTransport {
        pool.withLock { p in
            if let t = p[tls] { return t }
            let t = AHCTransport(tls: tls)
            p[tls] = t
            return t
        }
    }
}
