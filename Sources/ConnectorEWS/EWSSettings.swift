import Foundation

/// Where and how a spoke reaches one mailbox folder.
public struct EWSSettings: Sendable, Hashable {
    /// The EWS endpoint (…/EWS/Exchange.asmx), given or found by Autodiscover.
    public var url: URL
    public var version: ExchangeVersion
    /// The contacts folder (its EWS FolderId); nil = the mailbox's default Contacts folder.
    public var folderID: String?
    /// The signed-in user's mailbox, another user's (delegate or impersonation) or a public folder.
    public var source: EWSSource
    /// SyncFolderItems MaxChangesReturned (Exchange allows 1…512). A multiple of `batchSize`, so
    /// a page's bodies take whole GetItem requests.
    public var pageSize: Int
    /// Items per GetItem / CreateItem / UpdateItem request.
    public var batchSize: Int

    public init(
        url: URL, version: ExchangeVersion = .exchange2016, folderID: String? = nil, source: EWSSource = .userMailbox,
        pageSize: Int = 500, batchSize: Int = 100
    ) {
        self.url = url
        self.version = version
        self.folderID = folderID
        self.source = source
        self.pageSize = min(max(pageSize, 1), 512)
        self.batchSize = max(batchSize, 1)
    }
}
