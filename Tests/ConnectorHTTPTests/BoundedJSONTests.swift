import ConnectorHTTP
import Foundation
import Testing

/// JSON answers are decoded within limits, and a failure says what is wrong in plain words.
@Suite struct BoundedJSONTests {
    struct Listing: Decodable {
        struct Person: Decodable { var resourceName: String; var etag: String? }
        var connections: [Person]?
    }

    @Test func aDeeplyNestedAnswerIsRefusedBeforeDecoding() {
        for open in ["[", "{\"a\":"] {
            let deep = Data(String(repeating: open, count: 60_000).utf8)
            let error = #expect(throws: BoundedJSONError.self) { try BoundedJSON.decode(Listing.self, from: deep) }
            #expect(error?.reason == "the JSON is nested deeper than 100 levels")
        }
        // Brackets inside strings are text, not nesting.
        let text = Data(#"{"connections":[{"resourceName":"people/\"[[[[","etag":"[[[["}]}"#.utf8)
        #expect(BoundedJSON.violation(text) == nil)
    }

    @Test func aWrongShapeNamesTheField() {
        let error = #expect(throws: BoundedJSONError.self) {
            try BoundedJSON.decode(Listing.self, from: Data(#"{"connections":[{"etag":"x"}]}"#.utf8))
        }
        #expect(error?.reason == "the field resourceName is missing at connections[0]")
        let notJSON = #expect(throws: BoundedJSONError.self) { try BoundedJSON.decode(Listing.self, from: Data("<html>".utf8)) }
        #expect(notJSON?.reason == "the answer is not JSON")
    }
}
