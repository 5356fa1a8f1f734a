import Foundation

/// A compact binary encoding of `Contact` for storage: several times faster than JSON, which
/// matters when an initial sync writes a hub item, two link bases and a journal entry per contact.
/// Format: a version byte, then tagged fields; unknown tags end decoding with an error so a
/// newer database is never half-read by older code.
public enum ContactCodec {
    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    static let formatVersion: UInt8 = 1

    public static func encode(_ c: Contact) -> [UInt8] {
        var w = Writer()
        w.bytes.append(formatVersion)
        for encode in ContactSchema.encoders { encode(c, &w) }
        return w.bytes
    }

    public static func decode<C: Collection<UInt8>>(_ bytes: C) throws(DecodingError) -> Contact {
        var r = Reader(bytes: Array(bytes))
        guard try r.byte() == formatVersion else { throw DecodingError(description: "unknown contact format") }
        var c = Contact()
        // Tag 33 details the entry decoded just before it.
        var last: CodecSlot<Contact>?
        while !r.atEnd {
            let tag = try r.byte()
            if tag == 33 {
                let (custom, preferred, service) = try r.details()
                guard let details = last?.details else {
                    throw DecodingError(description: "label details without an entry")
                }
                details(&c, LabelDetails(customLabel: custom, preferred: preferred, service: service))
                continue
            }
            guard let slot = ContactSchema.slots[Int(tag)] else {
                throw DecodingError(description: "unknown contact field tag \(tag)")
            }
            try slot.decode(&r, &c)
            last = slot
        }
        return c
    }

    private static let labels = ContactLabel.allCases

    struct Writer {
        var bytes: [UInt8] = []
        init() { bytes.reserveCapacity(256) }
        mutating func tag(_ t: UInt8) { bytes.append(t) }
        mutating func text(_ t: UInt8, _ v: String?) {
            guard let v else { return }
            tag(t)
            string(v)
        }
        mutating func labeled(_ t: UInt8, _ list: [LabeledValue]) {
            for v in list {
                tag(t)
                label(v.label)
                string(v.value)
                details(customLabel: v.customLabel, preferred: v.preferred, service: v.service)
            }
        }
        /// Tag 33 after an entry with label details (newer data only: plain entries stay as before).
        mutating func details(customLabel: String?, preferred: Bool, service: String?) {
            guard customLabel != nil || preferred || service != nil else { return }
            tag(33)
            bytes.append((preferred ? 1 : 0) | (customLabel != nil ? 2 : 0) | (service != nil ? 4 : 0))
            if let customLabel { string(customLabel) }
            if let service { string(service) }
        }
        mutating func varint(_ v: Int) {
            var v = UInt64(truncatingIfNeeded: v)
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        mutating func string(_ s: String) {
            var s = s
            s.withUTF8 { buf in varint(buf.count); bytes.append(contentsOf: buf) }
        }
        mutating func data(_ d: Data) { varint(d.count); bytes.append(contentsOf: d) }
        mutating func label(_ l: ContactLabel) { bytes.append(UInt8(ContactCodec.labels.firstIndex(of: l)!)) }
        mutating func date(_ d: PartialDate) { varint(d.year.map { $0 &+ 1 } ?? 0); varint(d.month); varint(d.day) }
    }

    struct Reader {
        let bytes: [UInt8]
        var i = 0
        var atEnd: Bool { i >= bytes.count }
        mutating func byte() throws(DecodingError) -> UInt8 {
            guard i < bytes.count else { throw DecodingError(description: "truncated contact") }
            defer { i += 1 }
            return bytes[i]
        }
        mutating func varint() throws(DecodingError) -> Int {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
                guard shift <= 63 else { throw DecodingError(description: "bad varint") }
            }
            return Int(truncatingIfNeeded: v)
        }
        mutating func slice() throws(DecodingError) -> ArraySlice<UInt8> {
            let n = try varint()
            guard n >= 0, n <= bytes.count - i else { throw DecodingError(description: "truncated contact") }
            defer { i += n }
            return bytes[i..<i + n]
        }
        mutating func string() throws(DecodingError) -> String { String(decoding: try slice(), as: UTF8.self) }
        mutating func data() throws(DecodingError) -> Data { Data(try slice()) }
        mutating func label() throws(DecodingError) -> ContactLabel {
            let b = Int(try byte())
            guard b < ContactCodec.labels.count else { throw DecodingError(description: "bad label") }
            return ContactCodec.labels[b]
        }
        mutating func labeled() throws(DecodingError) -> LabeledValue {
            let l = try label()
            return LabeledValue(try string(), label: l)
        }
        mutating func details() throws(DecodingError) -> (String?, Bool, String?) {
            let flags = try byte()
            guard flags & ~7 == 0 else { throw DecodingError(description: "bad label details") }
            var custom: String?, service: String?
            if flags & 2 != 0 { custom = try string() }
            if flags & 4 != 0 { service = try string() }
            return (custom, flags & 1 != 0, service)
        }
        mutating func date() throws(DecodingError) -> PartialDate {
            let y = try varint()
            return PartialDate(year: y == 0 ? nil : y &- 1, month: try varint(), day: try varint())
        }
    }
}
