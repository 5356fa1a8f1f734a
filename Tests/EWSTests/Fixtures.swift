import ConnectorHTTP
import ConnectorKit
import Foundation

enum HTTPResponseFixture {
    static func make(_ status: Int, _ body: Data) -> HTTPResponse {
        HTTPResponse(status: status, body: body, url: URL(string: "http://127.0.0.1/EWS/Exchange.asmx")!)
    }
}
