import Foundation

/// JSON `$batch` (PROTOCOLS.md §1.6): ≤ 20 members with unique ids (case-insensitive), relative
/// URLs, a `Content-Type` for every body; `dependsOn` orders members and a failed dependency
/// answers 424. Members run one by one through `perform`, so each is counted, throttled and
/// faulted on its own; the envelope is 200 even when members fail.
extension GraphEmulator {
    struct BatchMember {
        var id: String
        var request: GraphRequest
        var dependsOn: [String]
    }

    func batch(_ req: GraphRequest, caller: GraphCaller, scope: String) async -> GraphReply {
        let members: [BatchMember]
        do throws(GraphError) { members = try parseBatch(req) } catch { return .error(error, now: now) }
        var results: [String: GraphReply] = [:]
        var order: [String] = []
        var dropAll = false
        for m in members {
            let failed = m.dependsOn.contains { (results[$0.lowercased()]?.status ?? 200) >= 400 }
            let reply: GraphReply
            if failed {
                reply = .error(GraphError(status: 424, code: "FailedDependency", message: "Failed dependency"), now: now)
            } else {
                let (r, drop) = await perform(m.request, caller: caller, scope: scope)
                if drop { dropAll = true }
                reply = r
            }
            results[m.id.lowercased()] = reply
            order.append(m.id)
        }
        if dropAll { return GraphReply(status: 0, body: .empty) }
        if !batchAnswersInOrder { order.reverse() }
        let responses: [JSONValue] = order.map { id in
            let r = results[id.lowercased()]!
            var headers: [String: JSONValue] = [:]
            for (n, v) in r.headers { headers[n] = .string(v) }
            var o: [String: JSONValue] = ["id": .string(id), "status": .int(r.status)]
            switch r.body {
            case .json(let v): o["body"] = v; headers["Content-Type"] = "application/json"
            case .bytes(let b, let type): o["body"] = .string(Data(b).base64EncodedString()); headers["Content-Type"] = .string(type)
            case .empty: break
            }
            o["headers"] = .object(headers)
            return .object(o)
        }
        return .json(["responses": .array(responses)])
    }

    func parseBatch(_ req: GraphRequest) throws(GraphError) -> [BatchMember] {
        guard req.method == "POST" else { throw GraphError.badRequest("$batch takes POST.") }
        guard let items = try req.json()["requests"]?.array else { throw GraphError.badRequest("Invalid batch payload format.") }
        guard !items.isEmpty else { throw GraphError.badRequest("Invalid batch payload format.") }
        guard items.count <= 20 else { throw GraphError.badRequest("The batch request has more than 20 requests.") }
        var seen = Set<String>()
        var members: [BatchMember] = []
        for item in items {
            guard let id = item["id"]?.string ?? item["id"]?.int.map(String.init), !id.isEmpty,
                  let method = item["method"]?.string?.uppercased(), let url = item["url"]?.string else {
                throw GraphError.badRequest("Each batch request needs an id, a method and a url.")
            }
            guard seen.insert(id.lowercased()).inserted else { throw GraphError.badRequest("Batch request contains duplicate request id '\(id)'.") }
            guard !url.lowercased().hasPrefix("http://"), !url.lowercased().hasPrefix("https://") else {
                throw GraphError.badRequest("Invalid request URL '\(url)': batch request URLs must be relative.")
            }
            var headers: [String: String] = [:]
            for (k, v) in item["headers"]?.object ?? [:] { if let s = v.string { headers[k.lowercased()] = s } }
            var body = Data()
            if let b = item["body"], b != .null {
                guard let type = headers["content-type"] else {
                    throw GraphError.badRequest("Content-Type header is required for request '\(id)' with a body.")
                }
                if type.lowercased().hasPrefix("application/json") { body = Data(b.serialized.utf8) }
                else if let s = b.string { body = Data(base64Encoded: s) ?? Data(s.utf8) }
            }
            let depends = item["dependsOn"]?.array?.compactMap(\.string) ?? []
            for d in depends where !seen.contains(d.lowercased()) {
                throw GraphError.badRequest("Request '\(id)' depends on '\(d)', which is not an earlier request in the batch.")
            }
            let trimmed = url.hasPrefix("/") ? String(url.dropFirst()) : url
            let (path, query) = trimmed.firstIndex(of: "?").map { (String(trimmed[..<$0]), String(trimmed[trimmed.index(after: $0)...])) }
                ?? (trimmed, "")
            let segments = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
            let request = GraphRequest(method: method, segments: segments, query: FormFields.parse(query), headers: headers, body: body)
            members.append(BatchMember(id: id, request: request, dependsOn: depends))
        }
        return members
    }
}
