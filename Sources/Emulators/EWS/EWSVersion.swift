/// The Exchange release an emulator pretends to be.
public enum ExchangeVersion: String, Sendable, CaseIterable {
    case exchange2010SP2, exchange2013, exchange2013SP1, exchange2016, exchange2019

    /// ServerVersionInfo numbers.
    public var build: (major: Int, minor: Int, majorBuild: Int, minorBuild: Int) {
        switch self {
        case .exchange2010SP2: return (14, 2, 247, 5)
        case .exchange2013: return (15, 0, 516, 32)
        case .exchange2013SP1: return (15, 0, 1497, 2)
        case .exchange2016: return (15, 1, 2507, 6)
        case .exchange2019: return (15, 2, 1118, 7)
        }
    }

    /// The Version attribute Exchange puts in ServerVersionInfo.
    public var headerVersion: String {
        switch self {
        case .exchange2010SP2: return "Exchange2010_SP2"
        case .exchange2013: return "Exchange2013"
        case .exchange2013SP1: return "Exchange2013_SP1"
        case .exchange2016, .exchange2019: return "V2017_07_11"
        }
    }

    /// Newest RequestServerVersion value this release accepts.
    public var newestSchema: String {
        switch self {
        case .exchange2010SP2: return "Exchange2010_SP2"
        case .exchange2013: return "Exchange2013"
        case .exchange2013SP1: return "Exchange2013_SP1"
        case .exchange2016, .exchange2019: return "Exchange2016"
        }
    }

    static let schemaOrder = ["Exchange2007", "Exchange2007_SP1", "Exchange2010", "Exchange2010_SP1",
                              "Exchange2010_SP2", "Exchange2013", "Exchange2013_SP1", "Exchange2015", "Exchange2016"]

    /// Every RequestServerVersion value accepted, oldest first.
    public var supportedSchemas: [String] {
        let last = Self.schemaOrder.firstIndex(of: newestSchema)!
        return Array(Self.schemaOrder[...last])
    }

    /// Whether a request's RequestServerVersion is served. An absent header means Exchange2007.
    public func accepts(requestVersion: String?) -> Bool {
        guard let v = requestVersion, !v.isEmpty else { return true }
        if supportedSchemas.contains(v) { return true }
        // Exchange 2016+ also accept the V20xx_ schema names it reports itself.
        return newestSchema == "Exchange2016" && v.hasPrefix("V20")
    }
}
