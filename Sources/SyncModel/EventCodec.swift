import Foundation

/// The stored form of an `Event`, in the contact codec's manner: a version byte, then tagged
/// values; a master and each override are length-prefixed blocks of tagged fields of their own.
/// Every field of the model is kept (extra properties, parameters and components too), so a
/// series read back from the store is the series that was written. Unknown tags end decoding
/// with an error so a newer database is never half-read by older code. The tags below are what
/// stored data was written with: they never change; a new field takes a new tag.
public enum EventCodec {
    public typealias DecodingError = ContactCodec.DecodingError

    static let formatVersion: UInt8 = 1
    /// How deep kept sub-components may nest: a bound on what a stored blob can make decoding do.
    static let maxDepth = 16

    /// Series tags.
    enum Tag: UInt8 {
        case uid = 1, master = 2, rule = 3, rdate = 4, exdate = 5, override = 6
    }

    public static func encode(_ e: Event) -> [UInt8] {
        var w = ContactCodec.Writer()
        w.bytes.append(formatVersion)
        if !e.uid.isEmpty {
            w.tag(Tag.uid.rawValue)
            w.string(e.uid)
        }
        if let m = e.master {
            w.tag(Tag.master.rawValue)
            w.block { $0.fields(m) }
        }
        if let r = e.rule {
            w.tag(Tag.rule.rawValue)
            w.block { $0.rule(r) }
        }
        for t in e.rdates { w.tag(Tag.rdate.rawValue); w.time(t) }
        for t in e.exdates { w.tag(Tag.exdate.rawValue); w.time(t) }
        for o in e.overrides {
            w.tag(Tag.override.rawValue)
            w.block { b in
                b.time(o.recurrenceID)
                b.bytes.append(o.thisAndFuture ? 1 : 0)
                b.fields(o.fields)
            }
        }
        return w.bytes
    }

    public static func decode<C: Collection<UInt8>>(_ bytes: C) throws(DecodingError) -> Event {
        var r = ContactCodec.Reader(bytes: Array(bytes))
        guard try r.byte() == formatVersion else { throw DecodingError(description: "unknown event format") }
        var e = Event(uid: "", master: nil)
        while !r.atEnd {
            let raw = try r.byte()
            guard let tag = Tag(rawValue: raw) else { throw DecodingError(description: "unknown event tag \(raw)") }
            switch tag {
            case .uid: e.uid = try r.string()
            case .master:
                var b = try r.block()
                e.master = try b.fields(depth: 0)
            case .rule:
                var b = try r.block()
                e.rule = try b.rule()
            case .rdate: e.rdates.append(try r.time())
            case .exdate: e.exdates.append(try r.time())
            case .override:
                var b = try r.block()
                let id = try b.time()
                let flag = try b.byte()
                guard flag <= 1 else { throw DecodingError(description: "bad override flag") }
                e.overrides.append(EventOverride(recurrenceID: id, thisAndFuture: flag == 1, fields: try b.fields(depth: 0)))
            }
        }
        return e
    }
}
