import ConnectorHTTP
import ConnectorKit
import Foundation
import SyncModel

/// EWS ids to Graph's immutable ids (`POST …/translateExchangeIds`, PROTOCOLS.md §1.5), so a
/// spoke that reached an Exchange Online mailbox through EWS can go on through Graph with the
/// links it has: nothing re-matched, re-created or duplicated.
public enum ExchangeIds {
    /// Graph takes at most 1,000 ids per request.
    public static let maxPerRequest = 1000

    struct Answer: Decodable {
        struct Result: Decodable {
            var sourceId: String?
            var targetId: String?
        }
        var value: [Result]?
    }

    /// The immutable Graph id of each EWS id Graph could translate; an id it could not (its
    /// `errorDetails`, or no answer for it) is absent. `http` carries the mailbox's auth.
    public static func translate(
        ewsIDs: [String], _ settings: GraphSettings, http: HTTPClient, perRequest: Int = maxPerRequest
    ) async throws -> [String: String] {
        let api = GraphAPI(http: http, settings: settings)
        let url = api.url(settings.root + "/translateExchangeIds")
        var out: [String: String] = [:]
        let ids = Array(Set(ewsIDs)).sorted()
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + max(1, min(perRequest, maxPerRequest)), ids.count)])
            start += chunk.count
            let body: JSONObject = [
                "inputIds": .array(chunk.map { .string($0) }), "sourceIdType": .string("ewsId"),
                "targetIdType": .string("restImmutableEntryId"),
            ]
            let answer: Answer
            do {
                // A translation changes nothing: safe to send again after a lost answer.
                answer = try GraphAPI.decode(Answer.self, try await api.json(.post, url, body), "translateExchangeIds")
            } catch let f as GraphAPI.Failure {
                throw f.connectorError
            }
            let asked = Set(chunk)
            for r in answer.value ?? [] {
                guard let source = r.sourceId, asked.contains(source), let target = r.targetId, !target.isEmpty else { continue }
                out[source] = target
            }
        }
        return out
    }

    /// An EWS ChangeKey as the version the Graph spoke compares (the item's `@odata.etag`).
    /// Exchange gives an item the same change key through EWS and Graph [I], so an item
    /// unchanged since the EWS spoke last saw it is not even fetched; if a server disagrees, the
    /// item is fetched once and merged against its base, which changes nothing either.
    public static func version(ewsChangeKey: String?) -> RemoteVersion? {
        guard let key = ewsChangeKey, !key.isEmpty else { return nil }
        return RemoteVersion("W/\"\(key)\"")
    }

    /// The folder with this Graph id in the mailbox, nil when it is not there (a 404).
    public static func folder(id: String, _ settings: GraphSettings, http: HTTPClient) async throws -> GraphFolder? {
        let api = GraphAPI(http: http, settings: settings)
        do {
            let data = try await api.get(api.url(settings.root + "/contactFolders/" + GraphSettings.segment(id), [("$select", "id,displayName")]))
            let o = try GraphAPI.decode(JSONObject.self, data, "contact folder")
            let name = o["displayName"]?.text ?? id
            return GraphFolder(id: o["id"]?.string ?? id, name: name, path: name)
        } catch let f as GraphAPI.Failure where f.status == 404 || f.status == 400 {
            return nil
        } catch let f as GraphAPI.Failure {
            throw f.connectorError
        }
    }
}
