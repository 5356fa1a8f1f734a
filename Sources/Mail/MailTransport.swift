import Foundation

/// How HubSync sends mail: a plain SMTP server (`smtp://host:port`), or a sendmail-compatible
/// command that reads the message, headers included, on its standard input (`sendmail -t`).
public enum MailTransport: Sendable, Hashable, CustomStringConvertible {
    case smtp(host: String, port: Int)
    case sendmail([String])

    /// `smtp://host[:port]` (port 25 unless given).
    public static func smtp(url text: String) throws -> MailTransport {
        guard let url = URL(string: text), url.scheme?.lowercased() == "smtp", let host = url.host, !host.isEmpty else {
            throw MailError("--smtp-url \(text) is not smtp://host:port")
        }
        guard url.user == nil, url.password == nil else {
            throw MailError("--smtp-url: HubSync speaks plain SMTP without a password; use a relay on your network, or --sendmail")
        }
        return .smtp(host: host, port: url.port ?? 25)
    }

    /// A command line split at spaces (`/usr/sbin/sendmail -t`).
    public static func sendmail(command text: String) throws -> MailTransport {
        let parts = text.split(separator: " ").map(String.init)
        guard let first = parts.first, first.hasPrefix("/") else {
            throw MailError("--sendmail needs the command's full path, e.g. \"/usr/sbin/sendmail -t\"")
        }
        return .sendmail(parts)
    }

    public var description: String {
        switch self {
        case .smtp(let host, let port): "smtp://\(host):\(port)"
        case .sendmail(let command): command.joined(separator: " ")
        }
    }

    public func send(_ message: MailMessage) async throws {
        switch self {
        case .smtp(let host, let port): try await SMTPClient(host: host, port: port).send(message)
        case .sendmail(let command): try await Self.pipe(message, to: command)
        }
    }

    /// Runs the command with the message on its input; it must exit 0 within a minute.
    static func pipe(_ message: MailMessage, to command: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let done = AsyncStream<Int32> { continuation in
            process.terminationHandler = { p in
                continuation.yield(p.terminationStatus)
                continuation.finish()
            }
        }
        do { try process.run() } catch { throw MailError("cannot run \(command[0]): \(error.localizedDescription)") }
        let data = Data(message.rendered().replacingOccurrences(of: "\r\n", with: "\n").utf8)
        try? input.fileHandleForWriting.write(contentsOf: data)
        try? input.fileHandleForWriting.close()
        let status = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask { await done.first { _ in true } ?? -1 }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let status else {
            process.terminate()
            throw MailError("\(command[0]) did not finish within a minute")
        }
        guard status == 0 else { throw MailError("\(command[0]) failed (exit status \(status)); the mail was not sent") }
    }
}
