import Logging
import SyncModel

/// Wraps a log handler so that no control or text-direction character reaches the log: a
/// message or value built from a source's answer (a folder name, an error text) could otherwise
/// forge log lines or run terminal escapes in whoever reads the log.
struct SafeLogHandler: LogHandler {
    var inner: any LogHandler

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = Self.clean(newValue) }
    }
    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue.map(Self.clean) }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        inner.log(
            level: level, message: "\(DisplayText.neutralised(message.description, allowLayout: false))",
            metadata: metadata.map(Self.clean), source: source, file: file, function: function, line: line)
    }

    static func clean(_ m: Logger.Metadata) -> Logger.Metadata { m.mapValues(clean) }

    static func clean(_ v: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch v {
        case .string(let s): .string(DisplayText.neutralised(s, allowLayout: false))
        case .stringConvertible(let c): .string(DisplayText.neutralised(c.description, allowLayout: false))
        case .array(let a): .array(a.map(clean))
        case .dictionary(let d): .dictionary(clean(d))
        }
    }

    /// The CLI's handler: the console's log (standard error unless a test captures it), neutralised.
    static func console(label: String, _ console: Console = Console.current) -> SafeLogHandler {
        SafeLogHandler(inner: StreamLogHandler(label: label, stream: LogSink(write: console.log)))
    }
}

/// A log handler's stream over a console's `log`.
struct LogSink: TextOutputStream, Sendable {
    let write: @Sendable (String) -> Void
    mutating func write(_ string: String) { write(string) }
}
