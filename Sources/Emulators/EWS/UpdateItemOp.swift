/// UpdateItem: SetItemField / AppendToItemField / DeleteItemField with ChangeKey conflict detection.
///
/// ConflictResolution as MS-OXWSCORE describes it: NeverOverwrite with a stale ChangeKey fails with
/// ErrorIrresolvableConflict; AutoResolve and AlwaysOverwrite apply the change (AutoResolve "in most
/// cases overwrites"). A missing ChangeKey skips the check.
enum UpdateItemOp {
    static func run(_ req: XNode, _ box: inout MailboxState) -> String {
        let resolution = req.attr("ConflictResolution") ?? "AutoResolve"
        var w = XMLWriter()
        w.response("UpdateItem") { w in
            for change in req.child("ItemChanges")?.all("ItemChange") ?? [] {
                guard let idNode = change.child("ItemId") else {
                    w.failure("UpdateItem", .invalidRequest("ItemChange has no ItemId.")) { $0.empty("m:Items") }
                    continue
                }
                switch apply(change, idNode: idNode, resolution: resolution, &box) {
                case .success(let item):
                    w.success("UpdateItem") { w in
                        w.element("m:Items") { w in w.element("t:Contact") { w in ContactRendering.itemID(item, &w) } }
                        w.element("m:ConflictResults") { w in w.leaf("t:Count", "0") }
                    }
                case .failure(let e):
                    w.failure("UpdateItem", e) { $0.empty("m:Items") }
                }
            }
        }
        return w.output
    }

    static func apply(_ change: XNode, idNode: XNode, resolution: String, _ box: inout MailboxState) -> Result<StoredItem, EWSError> {
        let item: StoredItem
        switch ItemOps.lookup(idNode, box, need: .write) {
        case .success(let found): item = found
        case .failure(let e): return .failure(e)
        }
        if resolution == "NeverOverwrite", let key = idNode.attr("ChangeKey"), !key.isEmpty, key != item.changeKey {
            return .failure(.irresolvableConflict)
        }
        var contact = item.contact
        do {
            for update in change.child("Updates")?.children ?? [] {
                guard let path = FieldPath.first(in: update) else { throw EWSError.invalidRequest("Update has no field path.") }
                let partial = update.children.first { FieldPath($0) == nil }.map(ContactParsing.parse) ?? EWSContact()
                switch update.name {
                case "SetItemField": try ContactParsing.set(path, from: partial, into: &contact)
                case "AppendToItemField": try ContactParsing.append(path, from: partial, into: &contact)
                case "DeleteItemField": try ContactParsing.delete(path, from: &contact)
                default: throw EWSError.invalidRequest("Unknown update \(update.name).")
                }
            }
        } catch let e as EWSError {
            return .failure(e)
        } catch {
            return .failure(.invalidRequest("\(error)"))
        }
        box.items[item.id]!.contact = contact
        box.touch(item.id)
        return .success(box.items[item.id]!)
    }
}
