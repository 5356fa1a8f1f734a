import Foundation

/// A plain-text mail: one recipient, UTF-8 text.
public struct MailMessage: Sendable, Hashable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String

    public init(from: String, to: String, subject: String, body: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
    }

    /// The message as sent (RFC 5322, CRLF lines): an ASCII body as it is, any other in base64,
    /// a non-ASCII subject as an encoded word. `messageID`'s domain is the sender's.
    public func rendered(date: Date = Date(), id: String = UUID().uuidString) -> String {
        let ascii = body.unicodeScalars.allSatisfy { $0.isASCII }
        let domain = from.split(separator: "@").last.map { String($0.prefix { $0 != ">" }) } ?? "localhost"
        var lines = [
            "From: \(from)", "To: \(to)", "Subject: \(Self.header(subject))", "Date: \(Self.date(date))",
            "Message-ID: <\(id)@\(domain)>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(ascii ? "7bit" : "base64")", "",
        ]
        let text = body.replacingOccurrences(of: "\r\n", with: "\n")
        if ascii {
            lines += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        } else {
            let b64 = Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString()
            var rest = Substring(b64)
            while !rest.isEmpty {
                lines.append(String(rest.prefix(76)))
                rest = rest.dropFirst(76)
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func header(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard !flat.unicodeScalars.allSatisfy({ $0.isASCII }) else { return flat }
        return "=?UTF-8?B?\(Data(flat.utf8).base64EncodedString())?="
    }

    static func date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: date)
    }
}

/// Why a mail was not sent, in words for the admin (never holding the message).
public struct MailError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
