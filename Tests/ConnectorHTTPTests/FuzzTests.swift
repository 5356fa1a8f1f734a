import ConnectorHTTP
import ConnectorXML
import Foundation
import PIMFormats
import Testing
import TestSupport

/// Random and mutated XML, JSON and vCard, deep nesting included, through every parser that reads
/// what a server or a file gives us: each must answer or fail cleanly, never crash or hang. The
/// suite runs it briefly; `HUBSYNC_FUZZ_SECONDS=600 hs-swift test --filter FuzzTests` runs it
/// longer (and `HUBSYNC_FUZZ_SEED` replays one seed).
@Suite struct FuzzTests {
    static var seconds: Double { ProcessInfo.processInfo.environment["HUBSYNC_FUZZ_SECONDS"].flatMap(Double.init) ?? 1.5 }
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["HUBSYNC_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64(Date().timeIntervalSince1970)
    }

    /// Any JSON at all, to decode whatever shape comes.
    indirect enum AnyJSON: Decodable {
        case scalar, array([AnyJSON]), object([String: AnyJSON])
        init(from decoder: any Decoder) throws {
            if let o = try? decoder.container(keyedBy: Key.self) {
                var out: [String: AnyJSON] = [:]
                for k in o.allKeys { out[k.stringValue] = try o.decode(AnyJSON.self, forKey: k) }
                self = .object(out)
            } else if var a = try? decoder.unkeyedContainer() {
                var out: [AnyJSON] = []
                while !a.isAtEnd { out.append(try a.decode(AnyJSON.self)) }
                self = .array(out)
            } else {
                self = .scalar
            }
        }
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    static let xmlSeeds = [
        #"<d:multistatus xmlns:d="DAV:"><d:response><d:href>/a/1.vcf</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response><d:sync-token>t1</d:sync-token></d:multistatus>"#,
        #"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:SyncFolderItemsResponse xmlns:m="m"><m:ResponseMessages><m:X ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode></m:X></m:ResponseMessages></m:SyncFolderItemsResponse></s:Body></s:Envelope>"#,
        #"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bb">]><a x="&amp;&b;"><![CDATA[<x>]]>&#x41;</a>"#,
    ]
    static let jsonSeeds = [
        #"{"connections":[{"resourceName":"people/c1","etag":"%E1","names":[{"givenName":"A\u00e9"}],"memberships":[{"contactGroupMembership":{"contactGroupResourceName":"contactGroups/x"}}]}],"nextPageToken":"p2","totalItems":3}"#,
        #"{"error":{"code":429,"message":"Quota","status":"RESOURCE_EXHAUSTED","details":[{"reason":"RATE_LIMIT_EXCEEDED"}]}}"#,
    ]
    static let vcardSeeds = [
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u1\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\nitem1.EMAIL;TYPE=INTERNET:ada@example.com\r\nitem1.X-ABLabel:_$!<Work>!$_\r\nTEL;TYPE=\"work,voice\":+44 20\r\nPHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=\r\nNOTE:a\\nb\\, c\r\nEND:VCARD\r\n",
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=84rger;Zo=C3=\r\n=AB;;;\r\nTEL;WORK;VOICE:123\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:B\r\nEND:VCARD\r\n",
    ]

    static func mutate(_ seed: String, _ rng: inout SeededRandom) -> [UInt8] {
        var b = Array(seed.utf8)
        let specials: [UInt8] = Array("<>/&;:\"'=[]{},\\\r\n \0\u{1}".utf8) + [0xFF, 0xC3]
        for _ in 0..<(1 + Int(rng.next() % 8)) {
            guard !b.isEmpty else { break }
            let at = Int(rng.next() % UInt64(b.count))
            switch rng.next() % 6 {
            case 0: b[at] = specials[Int(rng.next() % UInt64(specials.count))]
            case 1: b.remove(at: at)
            case 2: b = Array(b.prefix(at))
            case 3:  // a slice repeated: nests what it holds
                let end = min(b.count, at + 1 + Int(rng.next() % 40))
                let slice = b[at..<end]
                b.insert(contentsOf: Array(repeating: Array(slice), count: 1 + Int(rng.next() % 50)).flatMap { $0 }, at: at)
            case 4: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            default: b.insert(contentsOf: specials.shuffled(using: &rng).prefix(3), at: at)
            }
        }
        return b
    }

    /// Deep nesting of every kind, the stack's enemies.
    static func deep(_ rng: inout SeededRandom) -> (xml: [UInt8], json: [UInt8]) {
        let n = 1 + Int(rng.next() % 100_000)
        let xml = Array((String(repeating: "<a>", count: n) + (rng.next() % 2 == 0 ? String(repeating: "</a>", count: n) : "")).utf8)
        let open = rng.next() % 2 == 0 ? "[" : "{\"k\":"
        let json = Array((String(repeating: open, count: n)).utf8)
        return (xml, json)
    }

    @Test func parsersSurviveRandomAndMutatedInput() {
        let seed = Self.seed
        var rng = SeededRandom(seed: seed)
        let until = Date().addingTimeInterval(Self.seconds)
        var rounds = 0
        while Date() < until {
            rounds += 1
            let xml = Self.mutate(Self.xmlSeeds[Int(rng.next() % UInt64(Self.xmlSeeds.count))], &rng)
            let json = Self.mutate(Self.jsonSeeds[Int(rng.next() % UInt64(Self.jsonSeeds.count))], &rng)
            let card = Self.mutate(Self.vcardSeeds[Int(rng.next() % UInt64(Self.vcardSeeds.count))], &rng)
            let random = (0..<Int(rng.next() % 512)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var inputs: [([UInt8], [UInt8], [UInt8])] = [(xml, json, card), (random, random, random)]
            if rounds % 50 == 0 {
                let d = Self.deep(&rng)
                inputs.append((d.xml, d.json, d.xml))
            }
            for (x, j, v) in inputs {
                if let tree = try? XMLTree.parse(Data(x)) { #expect(depth(tree) <= XMLLimits().maxDepth, "seed \(seed)") }
                _ = try? BoundedJSON.decode(AnyJSON.self, from: Data(j))
                for parsed in VCardParser.read(data: Data(v)) {
                    if case .success(let c) = parsed.result {
                        // Written back and read again: never a crash, and still one card.
                        let out = parsed.writtenVersion == "2.1" ? VCard21.write(c) : VCardWriter.write(c)
                        #expect(VCardParser.read(data: Data(out.utf8)).count == 1, "seed \(seed)")
                    }
                }
            }
        }
        #expect(rounds > 0)
    }

    func depth(_ t: XMLTree) -> Int {
        var deepest = 0
        var stack = [(t, 1)]
        while let (node, d) = stack.popLast() {
            deepest = max(deepest, d)
            for c in node.children { stack.append((c, d + 1)) }
        }
        return deepest
    }
}
