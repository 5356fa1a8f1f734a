import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ports on 127.0.0.1 for servers this process starts as child processes (Radicale, Xandikos).
///
/// Such a server binds its port some time after we pick it, so the pick must not be a port the
/// kernel may hand to anyone else meanwhile: a `bind(0)` anywhere in this process (an emulator,
/// an outgoing connection) takes ports from the ephemeral range, and once took the very port a
/// Radicale was about to bind. So ports come from below that range, never twice per process.
public enum Loopback {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// A free port below the ephemeral range, not handed out before by this process.
    public static func freePort() throws -> Int {
        let (low, _) = ephemeralRange()
        let range = 10_000..<max(10_001, min(low, 32_768))
        for _ in 0..<200 {
            let port = Int.random(in: range)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh, canBind(port) { return port }
        }
        throw Failure(description: "no free loopback port in \(range)")
    }

    /// Whether something listens on the port.
    public static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = address(port)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = address(port)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Linux's `ip_local_port_range` (32768–60999 by default).
    static func ephemeralRange() -> (Int, Int) {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let parts = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : (32_768, 60_999)
    }

    private static func address(_ port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return addr
    }
}
