/// The Exchange version a spoke speaks, as the user picks it. It becomes the
/// `RequestServerVersion` of every request; a server older than that refuses them.
public enum ExchangeVersion: String, Sendable, Hashable, CaseIterable, Codable {
    case exchange2010SP2 = "2010sp2"
    case exchange2013 = "2013"
    /// Exchange 2016, 2019 and Subscription Edition speak the 2016 schema.
    case exchange2016 = "2016"

    /// The `t:RequestServerVersion` value.
    var schema: String {
        switch self {
        case .exchange2010SP2: "Exchange2010_SP2"
        case .exchange2013: "Exchange2013"
        case .exchange2016: "Exchange2016"
        }
    }

    public var displayName: String {
        switch self {
        case .exchange2010SP2: "Exchange 2010 SP2"
        case .exchange2013: "Exchange 2013"
        case .exchange2016: "Exchange 2016 or later"
        }
    }

    /// What a user may type: "2010 SP2", "2010sp2", "2013", "2016", "2019", "SE".
    public init?(userInput: String) {
        let s = userInput.lowercased().filter { !" _-".contains($0) }.replacingOccurrences(of: "exchange", with: "")
        switch s {
        case "2010sp2", "2010": self = .exchange2010SP2
        case "2013", "2013sp1": self = .exchange2013
        case "2016", "2019", "se", "subscriptionedition", "online": self = .exchange2016
        default: return nil
        }
    }
}
