import Logging
import SyncStore

extension HubApp {
    /// The store's web state; a store without one (every store here has one) gets a private memory one,
    /// which works for a single server whose restart signs everyone out.
    static func webState(of store: any SyncStore & AccountStore, logger: Logger) -> any WebStateStore {
        if let web = store as? any WebStateStore { return web }
        logger.warning("this store keeps no web state: sessions live in this process only")
        return MemoryStore()
    }
}
