import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small SMTP client (RFC 5321): one message to one recipient over a plain connection. Bounded:
/// replies of at most 100 lines of 1,000 bytes, 30 seconds per read or write. Plain sockets on a
/// thread of its own, as the OAuth loopback redirect: one short conversation needs no framework.
struct SMTPClient: Sendable {
    let host: String
    let port: Int
    var timeout: Int = 30

    static let maxLine = 1000
    static let maxLines = 100

    func send(_ message: MailMessage) async throws {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    try self.converse(message)
                    cont.resume()
                } catch {
                    cont.resume(throwing: error)
                }
            }
        }
    }

    private func converse(_ message: MailMessage) throws {
        let connection = try Connection(host: host, port: port, timeout: timeout)
        defer { connection.close() }
        try expect(connection.reply(), 220, "greeting")
        let me = "hubsync.localhost"
        let ehlo = try connection.command("EHLO \(me)")
        if ehlo.code != 250 { try expect(connection.command("HELO \(me)"), 250, "HELO") }
        try expect(connection.command("MAIL FROM:<\(Self.address(message.from))>"), 250, "MAIL FROM")
        let rcpt = try connection.command("RCPT TO:<\(Self.address(message.to))>")
        guard rcpt.code == 250 || rcpt.code == 251 else { throw refused(rcpt, "the recipient \(Self.address(message.to))") }
        try expect(connection.command("DATA"), 354, "DATA")
        // Dot-stuffing (§4.5.2): a line that starts with a dot gets another.
        let lines = message.rendered().components(separatedBy: "\r\n").dropLast().map { $0.hasPrefix(".") ? "." + $0 : $0 }
        try connection.write(lines.joined(separator: "\r\n") + "\r\n.\r\n")
        try expect(connection.reply(), 250, "the message")
        _ = try? connection.command("QUIT")
    }

    /// The bare address of `Name <a@b>` or `a@b`.
    static func address(_ text: String) -> String {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            return String(text[text.index(after: open)..<close])
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    private func expect(_ reply: Reply, _ code: Int, _ what: String) throws {
        guard reply.code == code else { throw refused(reply, what) }
    }

    private func refused(_ reply: Reply, _ what: String) -> MailError {
        let said = String(reply.text.prefix(200)).unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }
        return MailError("the mail server \(host):\(port) refused \(what): \(reply.code) \(String(String.UnicodeScalarView(said)))")
    }

    struct Reply {
        var code: Int
        var text: String
    }

    /// One TCP connection with read and write timeouts, reading replies line by line.
    final class Connection {
        private let fd: Int32
        private var buffer: [UInt8] = []
        let where_: String

        init(host: String, port: Int, timeout: Int) throws {
            where_ = "\(host):\(port)"
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_family = AF_UNSPEC
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
                throw MailError("cannot find the mail server \(host)")
            }
            defer { freeaddrinfo(list) }
            var tv = timeval(tv_sec: timeout, tv_usec: 0)
            var node: UnsafeMutablePointer<addrinfo>? = first
            var connected: Int32 = -1
            while let n = node, connected < 0 {
                let s = socket(n.pointee.ai_family, n.pointee.ai_socktype, n.pointee.ai_protocol)
                if s >= 0 {
                    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                    if connect(s, n.pointee.ai_addr, n.pointee.ai_addrlen) == 0 { connected = s } else { Glibc.close(s) }
                }
                node = n.pointee.ai_next
            }
            guard connected >= 0 else { throw MailError("cannot connect to the mail server \(host):\(port)") }
            fd = connected
        }

        func close() { Glibc.close(fd) }

        func write(_ text: String) throws {
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw MailError("the connection to the mail server \(where_) broke while sending") }
                bytes = bytes.dropFirst(n)
            }
        }

        func command(_ line: String) throws -> Reply {
            try write(line + "\r\n")
            return try reply()
        }

        /// A whole reply: lines `250-…` up to the last `250 …`.
        func reply() throws -> Reply {
            var texts: [String] = []
            for _ in 0..<SMTPClient.maxLines {
                let line = try readLine()
                let bytes = Array(line.utf8)
                guard bytes.count >= 3, let code = Int(String(line.prefix(3))) else {
                    throw MailError("the mail server \(where_) answered something that is not SMTP")
                }
                texts.append(String(line.dropFirst(4)))
                if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") { return Reply(code: code, text: texts.joined(separator: " ")) }
            }
            throw MailError("the mail server \(where_) answered with too many lines")
        }

        private func readLine() throws -> String {
            while true {
                if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = Array(buffer[..<end])
                    buffer.removeSubrange(...end)
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                guard buffer.count <= SMTPClient.maxLine else {
                    throw MailError("the mail server \(where_) sent a line longer than \(SMTPClient.maxLine) bytes")
                }
                var chunk = [UInt8](repeating: 0, count: 1024)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else {
                    throw MailError(n == 0 ? "the mail server \(where_) closed the connection"
                                           : "the mail server \(where_) did not answer in time")
                }
                buffer += chunk[..<n]
            }
        }
    }
}
