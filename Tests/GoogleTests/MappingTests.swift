import ConnectorHTTP
import Foundation
import SyncModel
import Synchronization
import Testing
import TestSupport

@testable import ConnectorGoogle

@Suite struct GoogleMappingTests {
    static let ada = Contact(
        namePrefix: "Lady", givenName: "Ada", middleName: "King", familyName: "Lovelace", nameSuffix: "FRS",
        nickname: "Enchantress", displayName: "Ada Lovelace", organization: "Analytical Engines", department: "R&D",
        title: "Countess", birthday: PartialDate(year: nil, month: 12, day: 10),
        anniversary: PartialDate(year: 1835, month: 7, day: 8), notes: "First programmer",
        emails: [LabeledValue("ada@example.com", label: .work), LabeledValue("ada@school.example", label: .school)],
        phones: [LabeledValue("+44 20 7946 0958", label: .work), LabeledValue("+44 7700 900123", label: .mobile),
                 LabeledValue("+44 20 7946 0000", label: .fax)],
        addresses: [PostalAddress(label: .home, poBox: "PO 7", street: "12 St James's Square", city: "London",
                                  postalCode: "SW1Y 4JH", country: "UK")],
        websites: [LabeledValue("https://ada.example", label: .work)], ims: [LabeledValue("ada@im.example")],
        categories: ["VIP"], custom: ["Region": "EMEA"])

    @Test func aPersonWrittenReadsBackAsTheFit() throws {
        let m = PersonMapping(groupNames: ["contactGroups/abc": "VIP"])
        let person = m.person(Self.ada.normalized(), marker: "hubsync:h:i", groupIDs: ["vip": "contactGroups/abc"])
        // Through JSON, as it travels.
        let back = try JSONDecoder().decode(Person.self, from: try JSONEncoder().encode(person))
        #expect(PersonMapping.marker(back) == "hubsync:h:i")
        var read = m.contact(back)
        read.displayName = Self.ada.displayName
        #expect(read == GoogleSpoke.fitContact(Self.ada))
        #expect(read.categories == ["VIP"])
        #expect(read.custom == ["Region": "EMEA"])
        #expect(read.birthday == PartialDate(year: nil, month: 12, day: 10))
        #expect(GoogleSpoke.fitContact(GoogleSpoke.fitContact(Self.ada)) == GoogleSpoke.fitContact(Self.ada))
    }

    @Test func anUpdateKeepsWhatHubSyncDoesNotMap() {
        let there = Person(
            resourceName: "people/c1", etag: "e1",
            memberships: [.init(contactGroupMembership: .init(contactGroupResourceName: "contactGroups/myContacts")),
                          .init(contactGroupMembership: .init(contactGroupResourceName: "contactGroups/old"))],
            userDefined: [.init(key: "Other app", value: "x"), .init(key: "Region", value: "APAC")],
            clientData: [.init(key: "other.app", value: "1"), .init(key: PersonMapping.markerKey, value: "hubsync:h:i")])
        let m = PersonMapping(groupNames: ["contactGroups/old": "Old", "contactGroups/abc": "VIP"])
        let p = m.person(Self.ada, base: there, marker: nil, groupIDs: ["vip": "contactGroups/abc"])
        #expect(p.memberships?.compactMap(\.contactGroupMembership?.contactGroupResourceName)
            == ["contactGroups/myContacts", "contactGroups/abc"])
        #expect(p.userDefined == [.init(key: "Other app", value: "x"), .init(key: "Region", value: "EMEA")])
        #expect(p.clientData == [.init(key: "other.app", value: "1"), .init(key: PersonMapping.markerKey, value: "hubsync:h:i")])
    }

    @Test func labelsAsGoogleHasThem() {
        #expect(PersonMapping.labels("workMobile", PersonMapping.phoneLabel) == (.mobile, nil))
        #expect(PersonMapping.labels("homeFax", PersonMapping.phoneLabel) == (.homeFax, nil))
        #expect(PersonMapping.labels("workFax", PersonMapping.phoneLabel) == (.workFax, nil))
        #expect(PersonMapping.labels("otherFax", PersonMapping.phoneLabel) == (.fax, nil))
        // Google's type is free text: what names no type of its own is a custom label, as typed.
        #expect(PersonMapping.labels("googleVoice", PersonMapping.phoneLabel) == (.other, "googleVoice"))
        #expect(PersonMapping.labels("School", PersonMapping.label) == (.school, nil))
        #expect(PersonMapping.labels(" ", PersonMapping.label) == (.other, nil))
        #expect(PersonMapping.date(.init(year: 0, month: 2, day: 29)) == PartialDate(year: nil, month: 2, day: 29))
    }

    /// RFC 7636 appendix B.
    @Test func pkceS256KnownAnswer() {
        let pkce = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE().verifier.count == 64)
    }

    @Test func theAuthorizationURLAsksForOfflineAccessWithS256() throws {
        let s = GoogleSettings(clientID: "app.apps.googleusercontent.com")
        let url = GoogleOAuth.authorizationURL(s, redirectURI: "http://127.0.0.1:8080/oauth", state: "st", pkce: PKCE(verifier: String(repeating: "a", count: 43)))
        let items = Dictionary(uniqueKeysWithValues: (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items["code_challenge_method"] == "S256")
        #expect(items["access_type"] == "offline")
        #expect(items["scope"] == GoogleSettings.scope)
        #expect(items["redirect_uri"] == "http://127.0.0.1:8080/oauth")
        #expect(GoogleOAuth.formEncoded([("a b", "c&d=e")]) == "a%20b=c%26d%3De")
    }
}

@Suite struct RequestBudgetTests {
    @Test func aBudgetSpentWaitsForItsWindow() async throws {
        let waits = Sleeps()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        let clock = Mutex(t0)
        let budget = RequestBudget(perMinute: 2, now: { clock.withLock { $0 } }, sleep: { waits.record($0) })
        try await budget.take()
        clock.withLock { $0 = t0.addingTimeInterval(10) }
        try await budget.take()
        #expect(waits.all.isEmpty)
        // A bucket refilling at 2 a minute would let this one go after 30 s; the window holds it
        // until the first request is a minute old, the next until the second is.
        try await budget.take()
        try await budget.take()
        #expect(waits.all == [.seconds(50), .seconds(60)])
    }
}
