import Foundation
import Testing
import TestSupport
@testable import SyncCore
import SyncModel

/// Byte-identity pins of the merge, the lift and the view copy over every field at once, computed
/// with the hand-written walks before the field-schema table replaced them: the merged contact's
/// codec bytes (by digest) and the conflicts in their journal order.
@Suite struct SchemaWalkPinTests {
    static func digest(_ c: Contact) -> String { ContentHash(hashing: ContactCodec.encode(c)).description }
    static let e = SchemaFixtures.everything.normalized(), x = SchemaFixtures.edited.normalized()
    /// A winner that differs between fields, so each field's own winner is asked.
    static let alternating: @Sendable (ContactField) -> Side = { $0.description.count % 2 == 0 ? .hub : .spoke }

    @Test func mergeWithoutBase() {
        let hub = ThreeWayMerge.merge(base: nil, hub: Self.e, spoke: Self.x, winner: .hub)
        #expect(hub.conflicts == [
            .text(.namePrefix), .text(.givenName), .text(.middleName), .text(.familyName),
            .text(.nameSuffix), .text(.nickname), .text(.displayName), .text(.organization),
            .text(.department), .text(.title), .text(.notes), .birthday, .emails, .ims, .categories,
            .photo, .custom("Region"),
        ])
        #expect(Self.digest(hub.merged) == "5d577219892fdd9b")
        let spoke = ThreeWayMerge.merge(base: Contact(), hub: Self.e, spoke: Self.x, winner: .spoke)
        #expect(spoke.conflicts == hub.conflicts)
        #expect(Self.digest(spoke.merged) == "1e51a3cc158575a6")
    }

    @Test func mergeWithBase() {
        let plain = ThreeWayMerge.merge(base: Self.e, hub: Self.e, spoke: Self.x, winner: Self.alternating)
        #expect(plain.conflicts.isEmpty)
        #expect(Self.digest(plain.merged) == "77bfca83ad06d3c5")
        let both = ThreeWayMerge.merge(
            base: SchemaFixtures.messy.normalized(), hub: Self.e, spoke: Self.x, winner: Self.alternating)
        #expect(both.conflicts == [
            .text(.namePrefix), .text(.middleName), .text(.nameSuffix), .text(.nickname),
            .text(.displayName), .text(.organization), .text(.department), .text(.notes), .birthday,
            .anniversary, .emails, .ims, .photo,
        ])
        #expect(Self.digest(both.merged) == "bfb6f171d9b33de1")
    }

    @Test func liftAndRestrict() {
        let view = SpokeView(options: SpokeOptions(), fit: SchemaFixtures.narrow)
        let held = view.toHub(SchemaFixtures.narrow(view.toSpoke(Self.e)))
        #expect(Self.digest(view.lift(held, to: Self.e)) == "94fadaf8cb07d51e")
        var edit = held
        edit.emails.append(LabeledValue("z@x"))
        edit.title = "Queen"
        #expect(Self.digest(view.lift(edit, to: Self.e)) == "12261a98bf209e15")
        #expect(Self.digest(view.restrict(Self.x, to: Self.e)) == "9d52783986d35948")
        let narrow = SpokeView(options: SpokeOptions(), capabilities: [.emails, .text(.givenName), .photo])
        #expect(Self.digest(narrow.restrict(Self.x, to: Self.e)) == "34bd80b76acc559f")
    }
}
