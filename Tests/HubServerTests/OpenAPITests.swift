import Foundation
import Hummingbird
import Testing
@testable import HubServer

/// The served OpenAPI document and the routes agree both ways.
struct OpenAPITests {
    /// (method, path) of every API route registered in Sources/HubServer/Routes, in OpenAPI form.
    static func registeredRoutes() throws -> Set<String> {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/HubServer/Routes").standardized
        var routes = Set<String>()
        let pattern = try NSRegularExpression(pattern: #"router\.(get|post|patch|delete)\("(/api/[^"]*)"\)"#)
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let method = String(text[Range(m.range(at: 1), in: text)!])
                let path = String(text[Range(m.range(at: 2), in: text)!])
                    .replacingOccurrences(of: #":([A-Za-z]+)"#, with: "{$1}", options: .regularExpression)
                routes.insert("\(method) \(path)")
            }
        }
        return routes
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteAnswers() async throws {
        let fx = Fixture()
        try await fx.run { c in
            let doc = try await c.call(.get, "/api/openapi.json")
            #expect(doc.status == .ok)
            let object = doc.object
            #expect(object["openapi"] as? String == "3.1.0")
            let paths = try #require(object["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, ops in ops.keys.map { "\($0) \(path)" } })
            let registered = try Self.registeredRoutes()
            #expect(registered.count > 25)
            #expect(registered.subtracting(documented).isEmpty, "undocumented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented, not served: \(documented.subtracting(registered).sorted())")

            // Every $ref resolves.
            let schemas = try #require((object["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let refs = Set(doc.body.matches(of: /"\$ref": "#\/components\/schemas\/([A-Za-z]+)"/).map { String($0.1) })
            #expect(refs.subtracting(schemas.keys).isEmpty)

            // Each documented route is served: a router miss says so in its error.
            try await c.setUp()
            c.sendCSRF = false  // 403 from the CSRF check proves the route exists without running it
            for entry in documented.sorted() {
                let parts = entry.split(separator: " ")
                let method = HTTPRequest.Method(rawValue: parts[0].uppercased())!
                let path = parts[1].replacingOccurrences(of: #"\{[a-z]+\}"#, with: "x", options: .regularExpression)
                let r = try await c.call(method, path)
                #expect(r.status != .notFound || r.object["error"] as? String != APIError.plain(.notFound), "\(entry) is not served")
            }
        }
    }
}
