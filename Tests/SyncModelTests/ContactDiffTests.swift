import Foundation
import Testing
import SyncModel

@Suite struct ContactDiffTests {
    @Test func describesEachChangedField() {
        let old = Contact(
            givenName: "Ada", familyName: "Lovelace", title: "Countess",
            emails: [LabeledValue("ada@example.com", label: .work)], categories: ["VIP"])
        var new = old
        new.title = nil
        new.organization = "Analytical Engines"
        new.emails.append(LabeledValue("ada@home.example", label: .home))
        new.categories = []
        new.custom["X-REGION"] = "EMEA"
        let changes = old.changes(to: new).map(\.description)
        #expect(changes == [
            "organization: ∅ → 'Analytical Engines'",
            "title: 'Countess' → ∅",
            "emails: +ada@home.example (home)",
            "categories: -VIP",
            "custom.X-REGION: ∅ → 'EMEA'",
        ])
    }

    @Test func noChangeNoLines() {
        let c = Contact(givenName: "Ada", phones: [LabeledValue("+1 555 0100", label: .mobile)])
        #expect(c.changes(to: c).isEmpty)
    }
}
