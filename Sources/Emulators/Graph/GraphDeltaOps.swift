import Foundation

/// Contact delta for one folder (PROTOCOLS.md §1.2): the first request freezes a round of changes;
/// pages carry `$skiptoken`, the last one a `$deltatoken` that holds the folder, the change-log
/// position, the token epoch and the `$select` of the first request, so a deltaLink can be
/// replayed and expired.
enum GraphDeltaOps {
    struct DeltaToken: Equatable {
        var folderID: String
        var seq: Int
        var epoch: Int
        var select: [String]?

        var encoded: String {
            GraphIds.base64URL(Array("GD1|\(folderID)|\(seq)|\(epoch)|\(select?.joined(separator: ",") ?? "*")".utf8))
        }

        static func decode(_ text: String) -> DeltaToken? {
            guard let data = GraphIds.decodeBase64URL(text) else { return nil }
            let parts = String(decoding: data, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 5, parts[0] == "GD1", let seq = Int(parts[2]), let epoch = Int(parts[3]) else { return nil }
            return DeltaToken(folderID: parts[1], seq: seq, epoch: epoch,
                              select: parts[4] == "*" ? nil : parts[4].split(separator: ",").map(String.init))
        }
    }

    static let defaultPageSize = 10

    static func delta(_ req: GraphRequest, _ mb: inout GraphMailbox, folder: String?, _ scope: MailboxScope,
                      _ env: GraphEnvironment) throws(GraphError) -> GraphReply {
        let fid = try GraphContactOps.folder(folder, mb)
        // Real Graph fails contact delta with `$expand` (of extended properties) with a 500
        // (microsoft-graph-docs-contrib #7929, #8029): a client must not count on it.
        if req.param("expand") != nil {
            throw GraphError(status: 500, code: "ErrorInternalServerError", message: "An internal server error occurred. The operation failed.")
        }
        func expired() -> GraphError {
            env.deltaExpiry == .gone410 ? GraphError.syncStateGone(restart: scope.url) : GraphError.syncStateNotFound
        }
        let key: String, offset: Int
        if let skip = req.param("skiptoken") {
            let parts = skip.split(separator: ".").map(String.init)
            guard parts.count == 2, let o = Int(parts[1]), mb.rounds[parts[0]]?.folderID == fid else { throw expired() }
            (key, offset) = (parts[0], o)
        } else {
            var from = 0
            var select = req.select
            if let raw = req.param("deltatoken") {
                guard let token = DeltaToken.decode(raw), token.folderID == fid, token.epoch == mb.deltaEpoch else { throw expired() }
                from = token.seq
                select = token.select
            }
            try GraphContactSchema.checkSelect(select)
            key = GraphIds.base64URL(GraphIds.random(12))
            // Rounds stay so a lost last page can be fetched again; a long-lived mailbox sheds old ones.
            if mb.rounds.count > 256 { mb.rounds.removeAll() }
            mb.rounds[key] = DeltaRound(folderID: fid, entries: changes(mb, folder: fid, after: from, replay: env.replayInDelta),
                                        select: select, pageSize: req.maxPageSize ?? defaultPageSize, endSeq: mb.seq)
            offset = 0
        }
        let round = mb.rounds[key]!
        let size = max(1, min(req.maxPageSize ?? round.pageSize, 1000))
        let page = round.entries.dropFirst(offset).prefix(size)
        let value: [JSONValue] = page.map { entry in
            if !entry.removed, let c = mb.contacts[entry.id], c.folderID == fid {
                return GraphContactSchema.render(c, select: round.select, expandIDs: nil)
            }
            return ["@odata.type": "#microsoft.graph.contact", "id": .string(entry.id), "@removed": ["reason": "deleted"]]
        }
        var o: [String: JSONValue] = ["@odata.context": .string("\(env.base)/$metadata#Collection(contact)"), "value": .array(value)]
        if offset + page.count < round.entries.count {
            o["@odata.nextLink"] = .string(scope.url + "?$skiptoken=\(key).\(offset + page.count)")
        } else {
            let token = DeltaToken(folderID: fid, seq: round.endSeq, epoch: mb.deltaEpoch, select: round.select)
            o["@odata.deltaLink"] = .string(scope.url + "?$deltatoken=\(token.encoded)")
        }
        return .json(.object(o))
    }

    /// Live items changed after `seq` and removals after it, in change order. With `replay`, the
    /// first change is sent again at the end, as Graph may (clients must apply idempotently).
    static func changes(_ mb: GraphMailbox, folder: String, after seq: Int, replay: Bool) -> [(id: String, removed: Bool)] {
        var all: [(seq: Int, id: String, removed: Bool)] = mb.contacts.values
            .filter { $0.folderID == folder && $0.changeSeq > seq }.map { ($0.changeSeq, $0.id, false) }
        if seq > 0 {
            all += mb.tombstones.filter { $0.folderID == folder && $0.seq > seq }.map { ($0.seq, $0.id, true) }
        }
        var out = all.sorted { $0.seq < $1.seq }.map { (id: $0.id, removed: $0.removed) }
        if replay, let first = out.first { out.append(first) }
        return out
    }
}
