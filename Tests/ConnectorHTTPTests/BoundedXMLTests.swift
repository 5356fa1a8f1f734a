import ConnectorXML
import Foundation
import Testing

/// Every XML answer is read within limits, and a hostile one fails with a reason, never a crash.
@Suite struct BoundedXMLTests {
    static func nested(_ depth: Int) -> Data {
        let open = String(repeating: "<d:prop>", count: depth), close = String(repeating: "</d:prop>", count: depth)
        return Data("<d:multistatus xmlns:d=\"DAV:\">\(open)x\(close)</d:multistatus>".utf8)
    }

    @Test func aDeeplyNestedAnswerFailsCleanly() throws {
        // 60,000 deep (1.3 MB) overflowed the stack when the tree was freed.
        let error = #expect(throws: XMLParseError.self) { try XMLTree.parse(Self.nested(60_000)) }
        #expect(error?.reason.hasPrefix("the XML is nested deeper than 200 levels") == true, "\(error?.reason ?? "")")
    }

    @Test func nestingWithinTheLimitIsRead() throws {
        var node = try XMLTree.parse(Self.nested(150))
        var depth = 0
        while let c = node.children.first { node = c; depth += 1 }
        #expect(depth == 150)
        #expect(node.text == "x")
    }

    @Test func tooManyElementsFailCleanly() {
        let body = String(repeating: "<d:href>x</d:href>", count: 2_000)
        let data = Data("<d:multistatus xmlns:d=\"DAV:\">\(body)</d:multistatus>".utf8)
        let error = #expect(throws: XMLParseError.self) { try XMLTree.parse(data, limits: .init(maxElements: 1_000)) }
        #expect(error?.reason == "the XML holds more than 1000 elements")
    }

    @Test func anOversizedAnswerIsRefusedBeforeParsing() {
        let error = #expect(throws: XMLParseError.self) {
            try XMLTree.parse(Data(repeating: 0x20, count: 3 * 1024 * 1024), limits: .init(maxBytes: 1024 * 1024))
        }
        #expect(error?.reason == "the answer is 3 MB of XML, more than the 1 MB allowed")
    }

    /// FoundationXML traps on such a name: one byte must not end the process.
    @Test func aNameThatIsNotUTF8IsRefused() {
        let data = Data("<d:multistat".utf8) + Data([0xC3]) + Data("s xmlns:d=\"DAV:\"><d:a/></d:multistats>".utf8)
        let error = #expect(throws: XMLParseError.self) { try XMLTree.parse(data) }
        #expect(error?.reason == "the answer is not valid UTF-8 text")
        let latin1 = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>".utf8) + Data([0xE9]) + Data("</a>".utf8)
        #expect((try? XMLTree.parse(latin1))?.text == "é")
    }

    @Test(arguments: [
        ("<a><b></a>", "the XML is cut short, or an element is not closed where it should be (line 1, column "),
        ("<a><b>", "the XML is cut short, or an element is not closed where it should be (line 1, column "),
        ("", "the answer is empty"),
        ("hello", "the answer is not XML (line 1, column "),
    ])
    func malformedAnswersAreExplainedInPlainWords(input: String, expected: String) {
        let error = #expect(throws: XMLParseError.self) { try XMLTree.parse(Data(input.utf8)) }
        let reason = error?.reason ?? ""
        #expect(reason.hasPrefix(expected), "\(reason)")
        #expect(!reason.contains("NSXMLParserErrorDomain") && !reason.contains("error "), "\(reason)")
    }
}
