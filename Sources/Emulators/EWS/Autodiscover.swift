import Foundation

/// Autodiscover: the POX service (autodiscover.xml, 2006 schemas) and the SOAP service
/// (autodiscover.svc, GetUserSettings) that exchangelib uses.
enum Autodiscover {
    static let poxResponseNS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
    static let outlookNS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
    static let soapNS = "http://schemas.microsoft.com/exchange/2010/Autodiscover"

    struct Account {
        var email: String
        var displayName: String
        var domain: String
    }

    /// POX request → POX response (always HTTP 200, errors in the body as Exchange does).
    static func pox(_ body: Data, baseURL: String, lookup: (String) -> Account?) -> String {
        let root = try? XMLTree.parse(body)
        let email = root?.path("Request", "EMailAddress")?.text.trimmingCharacters(in: .whitespaces) ?? ""
        let schema = root?.path("Request", "AcceptableResponseSchema")?.text.trimmingCharacters(in: .whitespaces)
        var w = XMLWriter(declaration: true)
        w.element("Autodiscover", [("xmlns", poxResponseNS)]) { w in
            guard root?.name == "Autodiscover", schema == outlookNS, !email.isEmpty else {
                w.element("Response") { w in error(600, "Invalid Request", &w) }
                return
            }
            guard let acct = lookup(email) else {
                w.element("Response") { w in error(500, "The e-mail address cannot be found.", &w) }
                return
            }
            let ews = baseURL + "/EWS/Exchange.asmx"
            w.element("Response", [("xmlns", outlookNS)]) { w in
                w.element("User") { w in
                    w.leaf("DisplayName", acct.displayName)
                    w.leaf("LegacyDN", "/o=Emulator/ou=Exchange Administrative Group/cn=Recipients/cn=\(acct.email)")
                    w.leaf("AutoDiscoverSMTPAddress", acct.email)
                    w.leaf("DeploymentId", "6e4c7f0a-0b4e-4c2b-9b0b-emulator0001")
                }
                w.element("Account") { w in
                    w.leaf("AccountType", "email")
                    w.leaf("Action", "settings")
                    w.leaf("MicrosoftOnline", "False")
                    for type in ["EXCH", "EXPR"] {
                        w.element("Protocol") { w in
                            w.leaf("Type", type)
                            w.leaf("Server", URL(string: baseURL)?.host ?? "127.0.0.1")
                            w.leaf("ASUrl", ews)
                            w.leaf("EwsUrl", ews)
                            w.leaf("EmwsUrl", ews)
                            w.leaf("OOFUrl", ews)
                            w.leaf("AuthPackage", type == "EXPR" ? "Ntlm" : "Negotiate")
                        }
                    }
                }
            }
        }
        return w.output
    }

    static func error(_ code: Int, _ message: String, _ w: inout XMLWriter) {
        w.element("Error", [("Time", "00:00:00.0000000"), ("Id", "2477272013")]) { w in
            w.leaf("ErrorCode", "\(code)")
            w.leaf("Message", message)
            w.empty("DebugData")
        }
    }

    /// SOAP GetUserSettings request → envelope.
    static func getUserSettings(_ body: Data, baseURL: String, version: ExchangeVersion, lookup: (String) -> Account?) -> String {
        let root = try? XMLTree.parse(body)
        let request = root?.child("Body")?.child("GetUserSettingsRequestMessage")?.child("Request")
        let users = request?.child("Users")?.all("User").compactMap { $0.childText("Mailbox") } ?? []
        let wanted = request?.child("RequestedSettings")?.all("Setting").map(\.text) ?? []
        let b = version.build
        var w = XMLWriter(declaration: true)
        w.element("s:Envelope", [("xmlns:s", SOAP.envelopeNS), ("xmlns:a", "http://www.w3.org/2005/08/addressing")]) { w in
            w.element("s:Header") { w in
                w.leaf("a:Action", "http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettingsResponse",
                       [("s:mustUnderstand", "1")])
                w.element("h:ServerVersionInfo", [("xmlns:h", soapNS), ("xmlns:i", SOAP.xsi)]) { w in
                    w.leaf("h:MajorVersion", "\(b.major)")
                    w.leaf("h:MinorVersion", "\(b.minor)")
                    w.leaf("h:MajorBuildNumber", "\(b.majorBuild)")
                    w.leaf("h:MinorBuildNumber", "\(b.minorBuild)")
                    w.leaf("h:Version", version.newestSchema == "Exchange2016" ? "Exchange2015" : version.newestSchema)
                }
            }
            w.element("s:Body") { w in
                w.element("GetUserSettingsResponseMessage", [("xmlns", soapNS)]) { w in
                    w.element("Response", [("xmlns:i", SOAP.xsi)]) { w in
                        w.leaf("ErrorCode", request == nil ? "InvalidRequest" : "NoError")
                        w.leaf("ErrorMessage", request == nil ? "The request is invalid." : "")
                        w.element("UserResponses") { w in
                            for user in users { userResponse(user, wanted, baseURL, version, lookup(user), &w) }
                        }
                    }
                }
            }
        }
        return w.output
    }

    static func userResponse(_ user: String, _ wanted: [String], _ baseURL: String, _ version: ExchangeVersion,
                             _ acct: Account?, _ w: inout XMLWriter) {
        w.element("UserResponse") { w in
            guard let acct else {
                w.leaf("ErrorCode", "InvalidUser")
                w.leaf("ErrorMessage", "Invalid user: '\(user)'")
                w.empty("RedirectTarget", [("i:nil", "true")])
                w.empty("UserSettingErrors")
                w.empty("UserSettings")
                return
            }
            let ews = baseURL + "/EWS/Exchange.asmx"
            let b = version.build
            let values: [String: String] = [
                "UserDisplayName": acct.displayName, "UserDN": "/o=Emulator/cn=Recipients/cn=\(acct.email)",
                "UserDeploymentId": "6e4c7f0a-0b4e-4c2b-9b0b-000000000001", "AutoDiscoverSMTPAddress": acct.email,
                "InternalEwsUrl": ews, "ExternalEwsUrl": ews, "EwsSupportedSchemas": version.supportedSchemas.joined(separator: ", "),
                "CasVersion": "\(b.major).\(String(format: "%02d", b.minor)).\(String(format: "%04d", b.majorBuild)).\(String(format: "%03d", b.minorBuild))",
                "InternalMailboxServer": URL(string: baseURL)?.host ?? "127.0.0.1", "ExternalEwsVersion": "\(b.major).\(b.minor)",
            ]
            w.leaf("ErrorCode", "NoError")
            w.leaf("ErrorMessage", "No error.")
            w.empty("RedirectTarget", [("i:nil", "true")])
            w.element("UserSettingErrors") { w in
                for name in wanted where values[name] == nil {
                    w.element("UserSettingError") { w in
                        w.leaf("ErrorCode", "SettingIsNotAvailable")
                        w.leaf("ErrorMessage", "User setting '\(name)' is not available. ")
                        w.leaf("SettingName", name)
                    }
                }
            }
            w.element("UserSettings") { w in
                for name in wanted {
                    guard let value = values[name] else { continue }
                    w.element("UserSetting", [("i:type", "StringSetting")]) { w in
                        w.leaf("Name", name)
                        w.leaf("Value", value)
                    }
                }
            }
        }
    }
}
