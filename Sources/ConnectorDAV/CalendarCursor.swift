import ConnectorKit
import SyncModel

/// A calendar's cursor: the server's token (or ctag) and, after a listing of the window (the
/// fallback when the server cannot list its changes), the resources that listing held, one name
/// a line. The next listing of the window is complete for the window, so a resource it held
/// last time and lacks now either left the window or was deleted: asked for, it says which.
struct CalendarCursor {
    var token: DAVCursor?
    /// Resource names (the last path segment, as ids spell it) the last window listing held.
    var window: [String] = []

    init(token: DAVCursor?, window: [String] = []) { (self.token, self.window) = (token, window) }

    init(_ cursor: SpokeCursor?) {
        guard let cursor else { return }
        let lines = cursor.rawValue.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        token = lines.first.flatMap { DAVCursor(SpokeCursor($0)) }
        window = Array(lines.dropFirst())
    }

    var cursor: SpokeCursor? {
        token.map { SpokeCursor(([$0.cursor.rawValue] + window).joined(separator: "\n")) }
    }
}
