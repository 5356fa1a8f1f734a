import Foundation

/// Where and how a spoke reaches one mailbox folder.
public struct EWSSettings: Sendable, Hashable {
    /// The EWS endpoint (…/EWS/Exchange.asmx), given or found by Autodiscover.
    public var url: URL
    public var version: ExchangeVersion
    /// The contacts folder (its EWS FolderId); nil = the mailbox's default Contacts folder.
    public var folderID: String?
    /// The mailbox to act on when it is not the signed-in user's own (delegate access).
    public var mailbox: String?
    /// SyncFolderItems MaxChangesReturned (Exchange allows 1…512). A multiple of `batchSize`, so
    /// a page's bodies take whole GetItem requests.
    public var pageSize: Int
    /// Items per GetItem / CreateItem / UpdateItem request.
    public var batchSize: Int

    public init(
        url: URL, version: ExchangeVersion = .exchange2016, folderID: String? = nil, mailbox: String? = nil,
        pageSize: Int = 500, batchSize: Int = 100
    ) {
        self.url = url
        self.version = version
        self.folderID = folderID
        self.mailbox = mailbox
        self.pageSize = min(max(pageSize, 1), 512)
        self.batchSize = max(batchSize, 1)
    }
}
