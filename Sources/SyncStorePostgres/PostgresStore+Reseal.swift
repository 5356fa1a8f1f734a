import Foundation
import SyncModel
import SyncStore

/// `hubsync key rotate` on PostgreSQL: every sealed value of every spoke and invitation, sealed
/// anew in one transaction (all or none), as on SQLite.
extension PostgresStore: SecretResealing {
    public func resealSecrets(_ reseal: (String) throws -> String?) throws -> Int {
        try pool.transaction(durable: true) { s in
            var changed = 0
            // FOR UPDATE: a spoke saved meanwhile (a rotated refresh token) waits for the rotation.
            for row in try s.rows("SELECT config FROM spokes ORDER BY hub_id, spoke_id FOR UPDATE") {
                var spoke = try JSON.decode(SpokeConfig.self, try row.get(0), "spoke config")
                guard let settings = try resealed(spoke.settings, reseal, counting: &changed) else { continue }
                spoke.settings = settings
                let config = try JSON.encode(spoke)
                _ = try s.execute("""
                    UPDATE spokes SET config = \(config) WHERE hub_id = \(spoke.hub.rawValue) AND spoke_id = \(spoke.id.rawValue)
                    """)
            }
            for row in try s.rows("SELECT invitation_id, settings FROM invitations WHERE settings IS NOT NULL ORDER BY invitation_id FOR UPDATE") {
                let id = try row.get(0, String.self)
                let settings = try JSON.decode([String: String].self, try row.get(1), "settings of invitation \(id)")
                guard let new = try resealed(settings, reseal, counting: &changed) else { continue }
                let text = try JSON.encode(new)
                _ = try s.execute("UPDATE invitations SET settings = \(text) WHERE invitation_id = \(id)")
            }
            return changed
        }
    }
}
