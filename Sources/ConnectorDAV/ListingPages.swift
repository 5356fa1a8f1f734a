import ConnectorKit
import SyncModel

/// The listings a DAV spoke (address book or calendar) is paging through, by generation: a page
/// token is "generation:index", so a page of an older listing is never read from a newer one.
struct ListingPages: Sendable {
    private var listings: [Int: Listing] = [:]
    private var generation = 0

    /// The listing and page a token names; a token of a listing that is gone is refused.
    func position(of page: PageToken) throws -> (gen: Int, index: Int) {
        let parts = page.rawValue.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, listings[parts[0]] != nil else {
            throw ConnectorError(.protocolViolation, "unknown page \(page.rawValue) (the listing is gone)")
        }
        return (parts[0], parts[1])
    }

    /// Keeps a new listing; its generation names its pages.
    mutating func start(_ listing: Listing) -> Int {
        generation += 1
        listings[generation] = listing
        return generation
    }

    subscript(gen: Int) -> Listing { listings[gen]! }

    /// A body that came with the listing, read once: its page has it now.
    mutating func dropInline(_ id: RemoteID, gen: Int) { listings[gen]!.inline[id] = nil }

    /// The token of the page after `index` in pages of `batch`, or nil after the last one (the
    /// listing is dropped then).
    mutating func next(after index: Int, gen: Int, batch: Int) -> PageToken? {
        if (index + 1) * batch < listings[gen]!.fetch.count { return PageToken("\(gen):\(index + 1)") }
        listings[gen] = nil
        return nil
    }
}
