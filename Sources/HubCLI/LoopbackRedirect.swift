import ConnectorHTTP
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The loopback end of an OAuth sign-in (RFC 8252 §7.3): listens on 127.0.0.1 on a free port for
/// the one redirect the browser brings back, answers it with a short page, and hands over its
/// query. Plain sockets: one request, no server framework needed.
///
/// Each provider has its own path, so an app registration names the one it belongs to and a
/// redirect meant for one provider's sign-in is never taken for another's. Google's stays
/// `/oauth/google`: existing OAuth clients list that redirect.
final class LoopbackRedirect: @unchecked Sendable {
    enum Provider: String, Sendable, CaseIterable {
        case google = "Google"
        case microsoft = "Microsoft"

        var path: String {
            switch self {
            case .google: "/oauth/google"
            case .microsoft: "/oauth/microsoft"
            }
        }
    }

    let port: Int
    let path: String
    private let fd: Int32

    init(for provider: Provider) throws {
        path = provider.path
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CLIError("cannot open a loopback socket for the sign-in") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 4) == 0 else {
            close(fd)
            throw CLIError("cannot listen on 127.0.0.1 for the sign-in")
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { close(fd) }

    var redirectURI: String { "http://127.0.0.1:\(port)\(path)" }

    /// The query of the first request to the redirect path (other requests, a favicon, are
    /// answered 404 and skipped). Blocks a thread, not the caller's task.
    func awaitQuery() async throws -> [String: String] {
        try await withCheckedThrowingContinuation { cont in
            Thread.detachNewThread { [self] in
                while true {
                    let client = accept(fd, nil, nil)
                    guard client >= 0 else { return cont.resume(throwing: CLIError("the sign-in listener closed")) }
                    var buffer = [UInt8](repeating: 0, count: 8192)
                    let n = read(client, &buffer, buffer.count)
                    let head = String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self)
                    let target = head.split(separator: " ").dropFirst().first.map(String.init) ?? ""
                    let ok = Self.matches(target, path: path)
                    let page = ok ? "Signed in. You can close this tab and go back to HubSync." : "Not found"
                    let reply = "HTTP/1.1 \(ok ? "200 OK" : "404 Not Found")\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: \(page.utf8.count)\r\nConnection: close\r\n\r\n\(page)"
                    _ = reply.withCString { write(client, $0, strlen($0)) }
                    close(client)
                    guard ok else { continue }
                    let items = URLComponents(string: "http://127.0.0.1\(target)")?.queryItems ?? []
                    return cont.resume(returning: Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a }))
                }
            }
        }
    }
}

extension LoopbackRedirect {
    /// Whether a request target is `path` itself (with or without a query), not a longer path
    /// that merely starts with it.
    static func matches(_ target: String, path: String) -> Bool {
        guard target.hasPrefix(path) else { return false }
        let rest = target.dropFirst(path.count)
        return rest.isEmpty || rest.first == "?"
    }

    /// A CLI sign-in's browser step: the page `url(redirectURI, state)` opened with `openWith`
    /// (or printed), then the code the provider sends back to loopback, checked against `state`.
    static func code(provider: Provider, openWith: String?, url: (_ redirectURI: String, _ state: String) -> URL) async throws
        -> (code: String, redirectURI: String)
    {
        let loopback = try LoopbackRedirect(for: provider)
        let state = PKCE.randomVerifier()
        let page = url(loopback.redirectURI, state)
        async let answer = loopback.awaitQuery()
        if let command = openWith {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "\(command) \"$0\"", page.absoluteString]
            try p.run()
        } else {
            Console.line("Open this address in a browser and allow HubSync to manage your contacts:\n  \(page.absoluteString)")
        }
        let query = try await answer
        if let error = query["error"] {
            throw CLIError("\(provider.rawValue) sign-in failed: \(error)" + (query["error_description"].map { " (\($0))" } ?? ""))
        }
        guard query["state"] == state, let code = query["code"] else {
            throw CLIError("the sign-in answer did not match this sign-in; try again")
        }
        return (code, loopback.redirectURI)
    }
}
