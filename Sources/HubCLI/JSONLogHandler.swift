import ArgumentParser
import Foundation
import Logging

/// How log lines are written: for a person (`text`), or one JSON object a line for a log
/// collector (`json`: time, level, label, message, metadata, source).
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// One JSON object per log event. Always wrapped in `SafeLogHandler`, so what reaches it is
/// already neutralised; JSON's own escaping then keeps each event on one line.
struct JSONLogHandler: LogHandler {
    let label: String
    let write: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        let all = self.metadata.merging(metadata ?? [:]) { _, new in new }
        var event: [String: Any] = [
            "time": Self.time(Date()), "level": level.rawValue, "label": label, "message": message.description, "source": source,
        ]
        if !all.isEmpty { event["metadata"] = all.mapValues(Self.json) }
        guard let data = try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return
        }
        write(String(decoding: data, as: UTF8.self) + "\n")
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(json)
        case .dictionary(let d): d.mapValues(json)
        }
    }

    /// RFC 3339 in UTC with milliseconds: what log collectors parse without a setting.
    static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
