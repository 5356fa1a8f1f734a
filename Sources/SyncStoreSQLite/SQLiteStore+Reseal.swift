import Foundation
import GRDB
import SyncModel
import SyncStore

extension SQLiteStore: SecretResealing {
    public func resealSecrets(_ reseal: (String) throws -> String?) throws -> Int {
        try write(durable: true) { db in
            var changed = 0
            for row in try Row.fetchAll(db, sql: "SELECT hub_id, spoke_id, config FROM spokes") {
                var spoke = try JSON.decode(SpokeConfig.self, row["config"], "spoke config")
                guard let settings = try resealed(spoke.settings, reseal, counting: &changed) else { continue }
                spoke.settings = settings
                try db.execute(
                    sql: "UPDATE spokes SET config = ? WHERE hub_id = ? AND spoke_id = ?",
                    arguments: [try JSON.encode(spoke), row["hub_id"] as String, row["spoke_id"] as String])
            }
            for row in try Row.fetchAll(db, sql: "SELECT invitation_id, settings FROM invitations WHERE settings IS NOT NULL") {
                let settings = try JSON.decode([String: String].self, row["settings"], "invitation settings")
                guard let new = try resealed(settings, reseal, counting: &changed) else { continue }
                try db.execute(
                    sql: "UPDATE invitations SET settings = ? WHERE invitation_id = ?",
                    arguments: [try JSON.encode(new), row["invitation_id"] as String])
            }
            return changed
        }
    }
}
